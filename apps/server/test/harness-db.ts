import { sql } from 'kysely';
import type { BuiltApp } from '../src/app.js';
import { ownProfileExtrasQuery } from '../src/repositories/own-profile.js';
import { viewPartsQuery } from '../src/repositories/profile-parts.js';
import { findTagIdsByKeys, type UserListFilter, userListQueries } from '../src/repositories/user-list.js';
import { hashToken } from '../src/security/tokens.js';
import { PUBLIC_USER_COLUMNS } from '../src/services/profile-views.js';

export type { UserListFilter } from '../src/repositories/user-list.js';

type Database = BuiltApp['deps']['db'];

/**
 * The only place the tests touch the database. Two kinds of operation live here, each named
 * for what it means: what is stored at rest (hashes, encrypted keys, rows left behind), which
 * no API answers by design; and the few states no public API reaches (a role, ten thousand
 * seeded users). Everything else a test sets up goes through the API.
 */
const render = (rows: Record<string, unknown>[]) =>
  rows.map((row) => Object.values(row).join(' ')).join('\n');

export function testDatabase(db: Database) {
  const countOf = async (query: Promise<{ n: string | number | bigint }>) => Number((await query).n);

  return {
    /** The SHA-256 a session token is stored as. */
    tokenHashOf: hashToken,

    /** Erases accounts the way `account.delete` does: one row delete, the rest cascades. */
    async eraseUsers(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await db
        .deleteFrom('users')
        .where('id', 'in', [...ids])
        .execute();
    },

    /** The password-reset links stored for a user: digests and lifetimes only. */
    storedPasswordResetTokens(userId: string) {
      return db.selectFrom('passwordResetTokens').selectAll().where('userId', '=', userId).execute();
    },

    /** Roles are granted by operators, not through the API. */
    async grantRole(userId: string, role: 'moderator' | 'partner'): Promise<void> {
      await db.updateTable('users').set({ role }).where('id', '=', userId).execute();
    },

    /** The account row's identity and lock state, as stored. */
    storedAccount(userId: string) {
      return db
        .selectFrom('users')
        .select(['email', 'userName', 'firstName', 'lockedAt', 'lockReason'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
    },

    /** The user's TOTP key as stored. */
    async storedTotpSecret(userId: string): Promise<string | null> {
      const row = await db
        .selectFrom('users')
        .select(['totpSecretEncrypted'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      return row.totpSecretEncrypted;
    },

    storedSessionTokenHashes(userId: string) {
      return db.selectFrom('sessions').select(['tokenHash']).where('userId', '=', userId).execute();
    },

    storedOneTimeCodes(userId: string) {
      return db.selectFrom('oneTimeCodes').selectAll().where('userId', '=', userId).execute();
    },

    storedRecoveryCodes(userId: string) {
      return db.selectFrom('recoveryCodes').selectAll().where('userId', '=', userId).execute();
    },

    auditEventsOfType(userId: string, type: string) {
      return db
        .selectFrom('auditEvents')
        .select(['type'])
        .where('userId', '=', userId)
        .where('type', '=', type)
        .execute();
    },

    /** Rows that still reference the user, table by table. */
    async rowsReferencing(userId: string) {
      const count = (
        table: 'users' | 'sessions' | 'oneTimeCodes' | 'recoveryCodes' | 'auditEvents' | 'achievements',
      ) =>
        countOf(
          db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where(table === 'users' ? 'id' : 'userId', '=', userId)
            .executeTakeFirstOrThrow(),
        );
      return {
        users: await count('users'),
        sessions: await count('sessions'),
        oneTimeCodes: await count('oneTimeCodes'),
        recoveryCodes: await count('recoveryCodes'),
        auditEvents: await count('auditEvents'),
        achievements: await count('achievements'),
        follows: await countOf(
          db
            .selectFrom('follows')
            .select((eb) => eb.fn.countAll().as('n'))
            .where((eb) => eb.or([eb('followerId', '=', userId), eb('followeeId', '=', userId)]))
            .executeTakeFirstOrThrow(),
        ),
        bookmarks: await countOf(
          db
            .selectFrom('bookmarks')
            .select((eb) => eb.fn.countAll().as('n'))
            .where((eb) => eb.or([eb('ownerId', '=', userId), eb('targetId', '=', userId)]))
            .executeTakeFirstOrThrow(),
        ),
      };
    },

    /** The argon2 hash the password is stored as. */
    async storedPasswordHash(userId: string): Promise<string> {
      const row = await db
        .selectFrom('users')
        .select(['passwordHash'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      return row.passwordHash;
    },

    /** Every stored hash of a challenge or link token of the user (2FA sign-in, password reset). */
    async storedChallengeHashes(userId: string): Promise<string[]> {
      const [challenges, resets] = await Promise.all([
        db.selectFrom('twoFactorChallenges').select(['tokenHash']).where('userId', '=', userId).execute(),
        db.selectFrom('passwordResetTokens').select(['tokenHash']).where('userId', '=', userId).execute(),
      ]);
      return [...challenges, ...resets].map((row) => row.tokenHash);
    },

    /**
     * A passkey as a completed registration ceremony stores it (a ceremony needs a browser's
     * authenticator, which passkeys.test.ts drives; a test that only needs the row uses this).
     */
    async storePasskey(
      userId: string,
      passkey: { credentialId: string; publicKey: Uint8Array; name: string },
    ) {
      await db
        .insertInto('passkeys')
        .values({
          userId,
          credentialId: passkey.credentialId,
          publicKey: passkey.publicKey,
          counter: 7,
          transports: ['internal', 'hybrid'],
          deviceType: 'multiDevice',
          backedUp: true,
          name: passkey.name,
          createdAt: new Date(),
        })
        .execute();
    },

    /**
     * For every column of every table that references users (found in the catalog, so a new
     * table shows up here by itself): how many rows point at this user through it.
     */
    async rowsPointingAt(userId: string): Promise<Record<string, number>> {
      const references = await sql<{ table: string; column: string }>`
        select cl.relname as "table", att.attname as "column"
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid
        join pg_attribute att on att.attrelid = con.conrelid and att.attnum = any(con.conkey)
        where con.contype = 'f' and con.confrelid = 'users'::regclass
        order by 1, 2`.execute(db);
      const counts: Record<string, number> = {};
      for (const { table, column } of references.rows) {
        const result = await sql<{ n: string | number | bigint }>`
          select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${userId}`.execute(db);
        counts[`${table}.${column}`] = Number(result.rows[0]?.n ?? 0);
      }
      return counts;
    },

    /**
     * `count` users named `<marker>-<n>`, older than any user another test creates (so they
     * never crowd other tests' first pages), every one tagged `commonTag` and every 1000th
     * also `rareTag`, beside 2,000 tags nobody carries; then fresh planner statistics. Enough rows for the planner to tell an
     * index from a table scan.
     */
    async seedListUsers(marker: string, count: number, tags: { rareTag: string; commonTag: string }) {
      const { rareTag, commonTag } = tags;
      await sql`
        insert into users (email, user_name, password_hash, password_changed_at, first_name, last_name,
                           headline, referral_code, profile_completeness, created_at, updated_at)
        select ${marker} || '-' || n || '@example.com', ${marker} || '-' || n, 'x', now(), 'Seed', 'User ' || n,
               case when n % 500 = 0 then 'Needle ' || ${marker} else 'Engineer' end,
               upper(${marker}) || '-' || n, (n % 11) * 10, now() - interval '400 days' - n * interval '1 minute',
               now()
        from generate_series(1, ${count}) as n
      `.execute(db);
      await sql`
        insert into tags (name, key, color)
        values (${rareTag}, ${rareTag}, '#000000'), (${commonTag}, ${commonTag}, '#FFFFFF')
      `.execute(db);
      // Enough other tags that looking tags up by name is a question for the key index.
      await sql`
        insert into tags (name, key, color)
        select ${marker} || '-other-' || n, ${marker} || '-other-' || n, '#777777' from generate_series(1, 2000) as n
      `.execute(db);
      await sql`
        insert into user_tags (user_id, tag_id, position)
        select u.id, t.id, case when t.key = ${rareTag} then 1 else 0 end from users u, tags t
        where u.user_name like ${`${marker}-%`}
          and (t.key = ${commonTag} or (t.key = ${rareTag} and u.user_name like '%000'))
      `.execute(db);
      await sql`analyze users`.execute(db);
      await sql`analyze user_tags`.execute(db);
      await sql`analyze tags`.execute(db);
    },

    /** Each of these tags' stored entry count beside a fresh recount of its links, by key. */
    async tagCounts(keys: readonly string[]): Promise<Map<string, { stored: number; recounted: number }>> {
      if (keys.length === 0) return new Map();
      const rows = await db
        .selectFrom('tags')
        .select([
          'key',
          'entryCount',
          sql<number>`(select count(*)::int from user_tags counted where counted.tag_id = tags.id)`.as(
            'recounted',
          ),
        ])
        .where('key', 'in', [...keys])
        .execute();
      return new Map(rows.map((row) => [row.key, { stored: row.entryCount, recounted: row.recounted }]));
    },

    /** Tag names to ids, as the list service resolves them before it queries. */
    tagIdsByKeys: (keys: string[]) => findTagIdsByKeys(db, keys),

    async userIdByUserName(userName: string): Promise<string> {
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('userName', '=', userName)
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** The planner's plans for the user list's page and bounded count queries (a page of 12). */
    async userListPlans(filter: UserListFilter, viewerId: string | null = null, page = 1): Promise<string[]> {
      const queries = userListQueries(db, viewerId, filter, { page, limit: 12 }, PUBLIC_USER_COLUMNS);
      return [render(await queries.page.explain()), render(await queries.boundedCount.explain())];
    },

    /** Sessions for the user as many sign-ins would leave them, one a minute back in time. */
    async seedSessions(userId: string, count: number): Promise<void> {
      await sql`
        insert into sessions (token_hash, user_id, last_used_at, expires_at, absolute_expires_at)
        select ${userId} || '-seeded-' || n, ${userId}, now() - n * interval '1 minute',
               now() + interval '30 days', now() + interval '90 days'
        from generate_series(1, ${count}) as n
      `.execute(db);
      await sql`analyze sessions`.execute(db);
    },

    /** The plan of the owner-profile statement (`profile.me`, and every sign-in's answer). */
    async ownProfilePlan(userId: string): Promise<string> {
      return render(
        (await sql<Record<string, unknown>>`explain ${ownProfileExtrasQuery(userId)}`.execute(db)).rows,
      );
    },

    /** The plan of the statement that reads the parts of these users' public views. */
    async viewPartsPlan(userIds: readonly string[], viewerId: string | null): Promise<string> {
      return render(
        (await sql<Record<string, unknown>>`explain ${viewPartsQuery(userIds, viewerId)}`.execute(db)).rows,
      );
    },

    /** The plan of the tag-name look-up the list runs before it filters by tag. */
    async tagLookupPlan(names: string[]): Promise<string> {
      return render(await db.selectFrom('tags').select('id').where('key', 'in', names).explain());
    },

    /** The outbox rows of one queue, oldest first: what they are and how far they got. */
    outboxMessages(queue: string) {
      return db
        .selectFrom('outbox')
        .select(['kind', 'status', 'attempts', sql<boolean>`payload is null`.as('erased')])
        .where('queue', '=', queue)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
    },

    /** Sessions stored for the user, expired or not. */
    async sessionCount(userId: string): Promise<number> {
      return countOf(
        db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('userId', '=', userId)
          .executeTakeFirstOrThrow(),
      );
    },

    /** Audit events of one type for the user. */
    async auditEventCount(userId: string, type: string): Promise<number> {
      return countOf(
        db
          .selectFrom('auditEvents')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('userId', '=', userId)
          .where('type', '=', type as never)
          .executeTakeFirstOrThrow(),
      );
    },

    /** Accounts stored under this email, compared case-insensitively. */
    async usersWithEmail(email: string): Promise<number> {
      return countOf(
        db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(sql<string>`lower(email)`, '=', email.toLowerCase())
          .executeTakeFirstOrThrow(),
      );
    },

    async achievementValue(userId: string, type: string): Promise<number> {
      const row = await db
        .selectFrom('achievements')
        .select('value')
        .where('userId', '=', userId)
        .where('type', '=', type as never)
        .executeTakeFirstOrThrow();
      return Number(row.value);
    },

    /**
     * A fault injected at the last step of sign-up: the `sign_up` audit event of an account
     * whose email starts with `emailPrefix` fails to insert. Answers the function that removes it.
     */
    async failSignUpAuditFor(emailPrefix: string): Promise<() => Promise<void>> {
      const name = `test_fail_sign_up_${Math.random().toString(36).slice(2, 10)}`;
      await sql
        .raw(
          `create function ${name}() returns trigger language plpgsql as $$ begin
             if new.type = 'sign_up' and exists (
               select 1 from users where id = new.user_id and email like '${emailPrefix}%'
             ) then raise exception 'injected sign-up failure'; end if;
             return new;
           end $$`,
        )
        .execute(db);
      await sql
        .raw(`create trigger ${name} before insert on audit_events for each row execute function ${name}()`)
        .execute(db);
      return async () => {
        await sql.raw(`drop trigger ${name} on audit_events`).execute(db);
        await sql.raw(`drop function ${name}()`).execute(db);
      };
    },
  };
}

export type TestDatabase = ReturnType<typeof testDatabase>;
