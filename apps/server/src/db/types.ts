import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** What every repository function takes first: the database, or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

/** What a request tells about its client, kept on session and audit rows. */
export interface ClientMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}
