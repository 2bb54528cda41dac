import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/db/connect.js';
import { precompiled } from '../src/db/precompiled.js';
import type { Db } from '../src/db/types.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ kind: 'pglite', dataDir: null });
});
afterAll(async () => {
  await handle.close();
});

const sumOf = precompiled(
  (_db: Db, a: number, b: number) =>
    sql<{ total: number; first: number; firstAgain: number }>`
    select ${a}::int + ${b}::int as total, ${a}::int as first, ${a}::int as first_again, ${'fixed'}::text as fixed
  `,
);

describe('precompiled queries', () => {
  it('run with each call’s own values, a value used twice included, rows camel-cased', async () => {
    expect((await sumOf(handle.db, 2, 3)).rows[0]).toEqual({
      total: 5,
      first: 2,
      firstAgain: 2,
      fixed: 'fixed',
    });
    expect((await sumOf(handle.db, 10, -4)).rows[0]).toEqual({
      total: 6,
      first: 10,
      firstAgain: 10,
      fixed: 'fixed',
    });
    const inParallel = await Promise.all([1, 2, 3, 4].map((n) => sumOf(handle.db, n, n)));
    expect(inParallel.map((result) => result.rows[0]!.total)).toEqual([2, 4, 6, 8]);
  });

  it('run inside a transaction', async () => {
    const total = await handle.db
      .transaction()
      .execute(async (trx) => (await sumOf(trx, 40, 2)).rows[0]!.total);
    expect(total).toBe(42);
  });

  it('refuse a query that leaves an argument out', async () => {
    const careless = precompiled((_db: Db, _unused: string) => sql<{ one: number }>`select 1 as one`);
    await expect(careless(handle.db, 'x')).rejects.toThrow(/must use each of its 1 arguments/);
  });
});
