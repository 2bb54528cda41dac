/**
 * The server `pnpm bench` loads, in its own process (the load generator must not share its
 * event loop): the real app on PostgreSQL, plus one hand-written Fastify route, `/bench/me`,
 * that answers what `profile.me` answers with the same two statements on a pool of the same
 * size, and no tRPC, Kysely or superjson. It exists only here, as the baseline of the ratio.
 * Prints `{"url": …}` on its first line once listening.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

const url = process.env.BENCH_DATABASE_URL!;
const POOL = 10;
const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  PORT: '0',
  HOST: '127.0.0.1',
  DATABASE_URL: url,
  APP_SECRET: 'bench-app-secret-bench-app-secret-0123456789',
  PUBLIC_URL: 'http://localhost',
});
const built = await buildApp({
  config,
  database: { kind: 'postgres', url, poolSize: POOL },
  logger: createLogger(config),
});

const pool = new pg.Pool({ connectionString: url, max: POOL });
const SESSION_WITH_USER = `
  select users.*, sessions.id as session_id, sessions.expires_at, sessions.absolute_expires_at
  from sessions join users on users.id = sessions.user_id where sessions.token_hash = $1`;
const EXTRAS = `
  select
    coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'key', t.key, 'color', t.color,
               'categories', t.categories, 'isParent', t.is_parent, 'type', t.type, 'entryCount', t.entry_count,
               'createdAt', t.created_at, 'updatedAt', t.updated_at) order by ut.position)
              from user_tags ut join tags t on t.id = ut.tag_id where ut.user_id = $1), '[]'::json) as tags,
    coalesce((select json_agg(json_build_object('id', a.id, 'type', a.type, 'value', a.value, 'total', a.total,
               'createdAt', a.created_at, 'updatedAt', a.updated_at) order by a.type)
              from achievements a where a.user_id = $1), '[]'::json) as achievements,
    (select count(*)::int from follows f join users u on u.id = f.follower_id and u.locked_at is null
      where f.followee_id = $1) as followers,
    (select count(*)::int from follows f join users u on u.id = f.followee_id and u.locked_at is null
      where f.follower_id = $1) as following,
    (select max(last_used_at) from sessions where user_id = $1) as last_activity,
    (select count(*)::int from passkeys where user_id = $1) as passkey_count`;

built.app.get('/bench/me', async (request, reply) => {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) return reply.code(401).send({ error: 'unauthenticated' });
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const { rows } = await pool.query(SESSION_WITH_USER, [tokenHash]);
  const user = rows[0];
  const now = Date.now();
  if (user === undefined || now >= user.expires_at.getTime() || now >= user.absolute_expires_at.getTime()) {
    return reply.code(401).send({ error: 'unauthenticated' });
  }
  const extras = (await pool.query(EXTRAS, [user.id])).rows[0];
  const {
    password_hash: _hash,
    totp_secret_encrypted: _totp,
    totp_pending_secret_encrypted: _pending,
    ...own
  } = user;
  return { ...own, ...extras };
});

const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ url: address }));
const stop = async () => {
  await built.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
