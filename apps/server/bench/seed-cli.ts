/** `pnpm bench:seed`: seeds the bench database ahead of `pnpm bench` (which seeds when needed). */
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { benchDatabaseUrl } from './database.js';
import { seedUsers } from './seed.js';

const users = Number(process.env.BENCH_USERS ?? 1_000_000);
const handle = await openDatabase({
  kind: 'postgres',
  url: await benchDatabaseUrl(),
  poolSize: 2,
  unbounded: true,
});
try {
  await migrateToLatest(handle.db);
  await seedUsers(handle.db, users, (line) => console.log(line));
} finally {
  await handle.close();
}
