import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPackedProject,
  importedPackages,
  lineOf,
  type PackedProject,
  pack,
  tarballContents,
  withoutExpectErrors,
} from '../../sdk/test/packed-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sdkDir = fileURLToPath(new URL('../../sdk', import.meta.url));
const fixture = fileURLToPath(new URL('./consumer.fixture.tsx', import.meta.url));

let packDir: string;
let tarball: string;
let project: PackedProject;
let consumer: string;

beforeAll(async () => {
  packDir = await mkdtemp(path.join(tmpdir(), 'userhub-react-pack-'));
  tarball = await pack(packageDir, packDir);
  // The SDK is not on the registry yet, so its tarball is installed beside this one.
  const sdkTarball = await pack(sdkDir, packDir);
  project = await createPackedProject([
    'typescript@5.9',
    'react@19',
    '@types/react@19',
    '@tanstack/react-query@5',
    sdkTarball,
    tarball,
  ]);
  consumer = await readFile(fixture, 'utf8');
  await project.writeFile('consumer.tsx', consumer);
  await project.writeFile('mistakes.tsx', withoutExpectErrors(consumer));
}, 600_000);

afterAll(async () => {
  await project?.remove();
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

const compilerOptions = (skipLibCheck: boolean) => ({
  module: 'ESNext',
  moduleResolution: 'Bundler',
  jsx: 'react-jsx',
  // tRPC's own declarations name `Disposable`, so a full library check needs that lib.
  lib: ['ES2023', 'ESNext.Disposable', 'DOM', 'DOM.Iterable'],
  types: [],
  skipLibCheck,
});

describe('the packed @userhub/react', () => {
  it('is publishable: not private, every export in the tarball, react and TanStack Query as peers', async () => {
    const { files, manifest } = await tarballContents(tarball);
    const pkg = manifest as Record<string, Record<string, string> | undefined>;
    expect(pkg.private).toBeUndefined();
    expect(JSON.stringify(pkg)).not.toContain('@userhub/source');
    expect(JSON.stringify(pkg)).not.toMatch(/workspace:|catalog:/);
    expect(pkg.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    expect(files).toEqual(expect.arrayContaining(['README.md', 'dist/index.js', 'dist/index.d.ts']));
    expect(Object.keys(pkg.peerDependencies ?? {}).sort()).toEqual(['@tanstack/react-query', 'react']);
    expect(pkg.dependencies?.['@userhub/sdk']).toMatch(/^\^?\d/);
  });

  it('ships declarations that import only its dependencies and peers', async () => {
    const { manifest } = await tarballContents(tarball);
    const pkg = manifest as Record<string, Record<string, string>>;
    const allowed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
    const declarationFiles = (await tarballContents(tarball)).files.filter((file) => file.endsWith('.d.ts'));
    for (const file of declarationFiles) {
      const declarations = await project.readFile(`node_modules/@userhub/react/${file}`);
      for (const name of importedPackages(declarations)) expect(allowed, file).toContain(name);
    }
  });

  it('type-checks a consumer component with skipLibCheck (a Vite app), every mistake caught', async () => {
    const result = await project.typeCheck(['consumer.tsx'], compilerOptions(true));
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('type-checks without skipLibCheck with no error in the consumer or in our declarations', async () => {
    // The TanStack Query integration's newest release (11.22.1) pins tRPC 11.22.1 as its peer, so
    // npm installs that copy beside the SDK's; its own declarations import `http` and `ws` types.
    // Those are the only errors a full library check may report.
    const result = await project.typeCheck(['consumer.tsx'], compilerOptions(false));
    const ours = result.diagnostics.filter(
      (line) => !/^node_modules\/(@userhub\/react\/node_modules\/)?@trpc\//.test(line),
    );
    expect(ours).toEqual([]);
  });

  it('reports each mistake when the expectations are taken away (the types are real, not any)', async () => {
    const result = await project.typeCheck(['mistakes.tsx'], compilerOptions(true));
    expect(result.ok).toBe(false);
    const at = (marker: string) => `mistakes.tsx(${lineOf(consumer, marker)},`;
    const expected = [
      [at('MISTAKE:procedure'), "error TS2339: Property 'doesNotExist' does not exist"],
      [at('MISTAKE:input'), "'rememberMe' does not exist in type"],
      [at('MISTAKE:output'), "error TS2339: Property 'notAProfileField' does not exist"],
    ];
    for (const [position, message] of expected) {
      expect(
        result.diagnostics.some((line) => line.startsWith(position!) && line.includes(message!)),
        `${position} ${message}\n${result.diagnostics.join('\n')}`,
      ).toBe(true);
    }
    expect(result.diagnostics).toHaveLength(3);
  });
});
