import { fileURLToPath } from 'node:url';
import { dts } from 'rollup-plugin-dts';

/**
 * Bundles the SDK's declarations into one self-contained `dist/index.d.ts`: the router's type and
 * the domain types it names are copied in from the server and core packages, which are not
 * published. Any other package stays an import, and tree-shaking drops those the kept types do
 * not use; the package's pack test fails if one that is not a dependency is left.
 */
const isBundled = (id) =>
  id.startsWith('.') ||
  id.startsWith('/') ||
  id.startsWith('@userhub/') ||
  // The passkey procedures speak WebAuthn's JSON shapes, declared by the server's WebAuthn library.
  id.startsWith('@simplewebauthn/');
/**
 * The router's type carries the server's request context (database, services, mailer) in every
 * sub-router's root config. No client reads it — tRPC's client types use only the procedures'
 * input, output and error shape — so it is replaced by `object` instead of dragging the server's
 * internals (and their packages) into the bundle.
 */
const withoutServerContext = {
  name: 'userhub-without-server-context',
  transform(code, id) {
    if (!/\/(apps|@userhub)\/server\//.test(id)) return null;
    return code.replace(/import\("(?:\.\.?\/)+trpc\/context\.js"\)\.Context\b/g, 'object');
  },
};

/** Points the SDK's `@userhub/server` import at the two declarations it uses. */
const serverTypesOnly = {
  name: 'userhub-server-types-only',
  resolveId(source) {
    return source === '@userhub/server'
      ? fileURLToPath(new URL('./build/server-types.d.ts', import.meta.url))
      : null;
  },
};

export default {
  input: 'dist/index.d.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  external: (id) => !isBundled(id),
  plugins: [
    serverTypesOnly,
    withoutServerContext,
    dts({ respectExternal: true, tsconfig: 'tsconfig.build.json' }),
  ],
};
