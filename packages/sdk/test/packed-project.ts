import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What `tsc` said about a consumer project: its exit status and its diagnostics, one per line. */
export interface TypeCheckResult {
  readonly ok: boolean;
  readonly diagnostics: string[];
}

/** A throwaway npm project outside the workspace, with packed tarballs installed into it. */
export interface PackedProject {
  readonly dir: string;
  writeFile(name: string, text: string): Promise<void>;
  readFile(name: string): Promise<string>;
  /** Runs the project's own `tsc` on `files` with `compilerOptions` (strict, no emit, no libraries of ours). */
  typeCheck(files: string[], compilerOptions: Record<string, unknown>): Promise<TypeCheckResult>;
  node(script: string): Promise<string>;
  remove(): Promise<void>;
}

/** Packs a workspace package with `pnpm pack` (which writes its real dependency ranges) into `dest`. */
export async function pack(packageDir: string, dest: string): Promise<string> {
  const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', dest], { cwd: packageDir });
  const { filename } = JSON.parse(stdout) as { filename: string };
  return path.isAbsolute(filename) ? filename : path.join(dest, filename);
}

/** The file list and package.json of a tarball, read with `tar` (no extraction). */
export async function tarballContents(tarball: string): Promise<{ files: string[]; manifest: unknown }> {
  const { stdout: list } = await run('tar', ['-tzf', tarball]);
  const { stdout: manifest } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
  return {
    files: list
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, '')),
    manifest: JSON.parse(manifest),
  };
}

/**
 * Makes a project under the OS temp folder and installs into it only `packages` (tarball paths
 * and registry names) with npm, the way an adopter outside this repository would.
 */
export async function createPackedProject(packages: string[]): Promise<PackedProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'userhub-consumer-'));
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'userhub-consumer', private: true, type: 'module' }, null, 2),
  );
  await installWithRetries(dir, packages);
  return {
    dir,
    writeFile: (name, text) => writeFile(path.join(dir, name), text),
    readFile: (name) => readFile(path.join(dir, name), 'utf8'),
    async typeCheck(files, compilerOptions) {
      const config = {
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', types: [], ...compilerOptions },
        files,
      };
      const configName = `tsconfig.${Math.random().toString(36).slice(2)}.json`;
      await writeFile(path.join(dir, configName), JSON.stringify(config, null, 2));
      const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
      try {
        await run(process.execPath, [tsc, '-p', configName, '--pretty', 'false'], { cwd: dir });
        return { ok: true, diagnostics: [] };
      } catch (error) {
        const stdout = (error as { stdout?: string }).stdout ?? '';
        return { ok: false, diagnostics: stdout.split('\n').filter((line) => line.includes('error TS')) };
      } finally {
        await rm(path.join(dir, configName), { force: true });
      }
    },
    async node(script) {
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
      return stdout.trim();
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * npm waits up to five minutes on a stalled registry connection by default, which is longer
 * than any test should hang. Ask it to use what its cache already holds, give up on a silent
 * connection after 30 s, and try the whole install again a few times before failing with npm's
 * own message.
 */
const NPM_FETCH_TIMEOUT_MS = 30_000;
const INSTALL_ATTEMPTS = 3;

async function installWithRetries(dir: string, packages: string[]): Promise<void> {
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    '--prefer-offline',
    `--fetch-timeout=${NPM_FETCH_TIMEOUT_MS}`,
    '--fetch-retries=2',
    ...packages,
  ];
  let lastError: unknown;
  for (let attempt = 1; attempt <= INSTALL_ATTEMPTS; attempt++) {
    try {
      await run('npm', args, { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 6 * NPM_FETCH_TIMEOUT_MS });
      return;
    } catch (error) {
      lastError = error;
    }
  }
  const stderr = (lastError as { stderr?: string }).stderr ?? '';
  throw new Error(`npm install ${packages.join(' ')} failed ${INSTALL_ATTEMPTS} times: ${stderr.trim()}`, {
    cause: lastError,
  });
}

/** Removes every `// @ts-expect-error` line, so the mistakes under them must surface as errors. */
export function withoutExpectErrors(source: string): string {
  return source
    .split('\n')
    .map((line) => (line.trim().startsWith('// @ts-expect-error') ? '' : line))
    .join('\n');
}

/** The 1-based line of the first line containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`marker not found: ${marker}`);
  return index + 1;
}

/** The bare package names a bundled declaration file imports from. */
export function importedPackages(declarations: string): string[] {
  const names = new Set<string>();
  for (const match of declarations.matchAll(/(?:from|import)\s*\(?\s*['"]([^'".][^'"]*)['"]/g)) {
    const specifier = match[1]!;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return [...names].sort();
}
