import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './harness.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl on a temporary folder and a free
 * port), so a test may stop, restart and kill it without touching the machine's shared one.
 * The binaries come with the PostgreSQL packages CI installs; PostgreSQL refuses to run as
 * root, so as root every command runs as the `postgres` user.
 */
export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  /** Runs SQL as the superuser in the test database. */
  sql(statement: string): Promise<string>;
  /** `pg_ctl stop -m fast`: every connection is terminated, new ones are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Ends the cluster and removes its folder. */
  destroy(): Promise<void>;
}

async function postgresBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root)).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  if (newest === undefined) throw new Error(`no PostgreSQL under ${root}: install postgresql`);
  return path.join(root, newest, 'bin');
}

const isRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
async function asPostgres(program: string, args: string[]): Promise<string> {
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await postgresBinDir();
  const dir = await mkdtemp(path.join(tmpdir(), 'userhub-pg-'));
  const data = path.join(dir, 'data');
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const port = await freePort();
  await asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const pgCtl = (...args: string[]) =>
    asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', ...args]);
  await pgCtl('-o', options, 'start');
  const psql = (database: string, statement: string) =>
    asPostgres(path.join(bin, 'psql'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      database,
      '-At',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      statement,
    ]);
  await psql('postgres', 'create database userhub');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/userhub`,
    port,
    sql: (statement) => psql('userhub', statement),
    stop: async () => {
      await pgCtl('-m', 'fast', 'stop');
    },
    start: async () => {
      await pgCtl('-o', options, 'start');
    },
    destroy: async () => {
      await pgCtl('-m', 'immediate', 'stop').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
