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
} from './packed-project.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./consumer.fixture.ts', import.meta.url));

let packDir: string;
let tarball: string;
let project: PackedProject;
let consumer: string;

beforeAll(async () => {
  packDir = await mkdtemp(path.join(tmpdir(), 'userhub-sdk-pack-'));
  tarball = await pack(packageDir, packDir);
  project = await createPackedProject(['typescript@5.9', tarball]);
  consumer = await readFile(fixture, 'utf8');
  await project.writeFile('consumer.ts', consumer);
  await project.writeFile('mistakes.ts', withoutExpectErrors(consumer));
}, 600_000);

afterAll(async () => {
  await project?.remove();
  if (packDir) await rm(packDir, { recursive: true, force: true });
});

describe('the packed @userhub/sdk', () => {
  it('is publishable: not private, and every export points at a file the tarball ships', async () => {
    const { files, manifest } = await tarballContents(tarball);
    const pkg = manifest as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect(JSON.stringify(pkg)).not.toContain('@userhub/source');
    expect(JSON.stringify(pkg)).not.toMatch(/workspace:|catalog:/);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
    expect(pkg.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    expect(files.some((file) => file.startsWith('src/'))).toBe(false);
  });

  it('ships declarations that import only packages it depends on', async () => {
    const { manifest } = await tarballContents(tarball);
    const dependencies = Object.keys((manifest as { dependencies: Record<string, string> }).dependencies);
    const declarations = await project.readFile('node_modules/@userhub/sdk/dist/index.d.ts');
    const imported = importedPackages(declarations);
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(dependencies).toContain(name);
    expect(declarations).not.toMatch(/@userhub\/(server|core)/);
  });

  it('type-checks a consumer without skipLibCheck (NodeNext), every deliberate mistake caught', async () => {
    const result = await project.typeCheck(['consumer.ts'], {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      // tRPC's own declarations name `Disposable`, so a full library check needs that lib.
      lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
      skipLibCheck: false,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('type-checks a consumer with skipLibCheck (a Vite app: bundler resolution), every mistake caught', async () => {
    const result = await project.typeCheck(['consumer.ts'], {
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      skipLibCheck: true,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports each mistake when the expectations are taken away (the types are real, not any)', async () => {
    for (const skipLibCheck of [false, true]) {
      const result = await project.typeCheck(['mistakes.ts'], {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
        skipLibCheck,
      });
      expect(result.ok).toBe(false);
      const at = (marker: string) => `mistakes.ts(${lineOf(consumer, marker)},`;
      const expected = [
        [at('MISTAKE:procedure'), "error TS2339: Property 'doesNotExist' does not exist"],
        [
          at('MISTAKE:input'),
          "error TS2353: Object literal may only specify known properties, and 'rememberMe'",
        ],
        [at('MISTAKE:output'), "error TS2339: Property 'notAProfileField' does not exist"],
      ];
      for (const [position, message] of expected) {
        expect(result.diagnostics.some((line) => line.startsWith(position!) && line.includes(message!))).toBe(
          true,
        );
      }
      expect(result.diagnostics).toHaveLength(3);
    }
  });

  it('loads in plain Node from the tarball', async () => {
    const kind = await project.node(
      "const sdk = await import('@userhub/sdk'); console.log(typeof sdk.createUserhubClient, typeof sdk.readUserhubError)",
    );
    expect(kind).toBe('function function');
  });
});
