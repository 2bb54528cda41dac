import pg from 'pg';

/** The bench's own database (created when missing), on the server DATABASE_URL names. */
export async function benchDatabaseUrl(): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (url === undefined)
    throw new Error('pnpm bench runs on PostgreSQL: set DATABASE_URL (any database on the server)');
  const name = process.env.BENCH_DATABASE ?? 'userhub_perf_bench';
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  return benchUrl.toString();
}
