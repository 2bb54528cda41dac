import type { Db } from '../db/types.js';

/** What the owner may see of a passkey: never the key or the counter. */
const PASSKEY_VIEW_COLUMNS = ['id', 'name', 'createdAt', 'lastUsedAt', 'deviceType', 'backedUp'] as const;

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
  createdAt: Date;
}

export async function insertPasskey(db: Db, passkey: NewPasskey) {
  return db.insertInto('passkeys').values(passkey).returning(PASSKEY_VIEW_COLUMNS).executeTakeFirstOrThrow();
}

export async function listPasskeys(db: Db, userId: string) {
  return db
    .selectFrom('passkeys')
    .select(PASSKEY_VIEW_COLUMNS)
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Credential ids and transports, for `excludeCredentials` / `allowCredentials`. */
export async function listCredentialDescriptors(db: Db, userId: string) {
  return db
    .selectFrom('passkeys')
    .select(['credentialId', 'transports'])
    .where('userId', '=', userId)
    .execute();
}

export async function findPasskeyByCredentialId(db: Db, credentialId: string) {
  return db
    .selectFrom('passkeys')
    .select(['id', 'userId', 'credentialId', 'publicKey', 'counter', 'transports'])
    .where('credentialId', '=', credentialId)
    .executeTakeFirst();
}

export async function countPasskeys(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function renamePasskey(db: Db, userId: string, id: string, name: string) {
  return db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('userId', '=', userId)
    .returning(PASSKEY_VIEW_COLUMNS)
    .executeTakeFirst();
}

export async function deletePasskey(db: Db, userId: string, id: string) {
  return db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('userId', '=', userId)
    .returning(['id', 'name'])
    .executeTakeFirst();
}

/**
 * Records a verified use. The counter only moves forward: of two assertions checked against
 * the same stored value, the one that would move it back (a cloned authenticator, or a
 * replay racing the original) changes nothing and is refused. Authenticators that do not
 * count (always 0, as synced passkeys do) keep 0.
 */
export async function recordPasskeyUse(
  db: Db,
  use: { id: string; previousCounter: number; newCounter: number; backedUp: boolean; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter: use.newCounter, backedUp: use.backedUp, lastUsedAt: use.at })
    .where('id', '=', use.id)
    .where((eb) =>
      use.newCounter === 0
        ? eb('counter', '=', 0)
        : eb('counter', '=', use.previousCounter).and('counter', '<', use.newCounter),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
