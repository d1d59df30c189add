import { sql } from 'kysely';
import { PERMISSIONS_OF_USER } from '../access/access.repository.ts';
import type { Tx } from '../db/index.ts';

const ACTOR_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name as displayName',
  'u.unit_code as unitCode',
  'u.scope',
  'u.roles',
  'u.disabled',
  'u.must_change_password as mustChangePassword',
] as const;

export type UserRow = Awaited<ReturnType<typeof findUserByUsername>>;

export function findUserByUsername(db: Tx, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Tx, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user behind a session token, with the union of their roles' permissions, in one query. */
export function findSessionUser(db: Tx, tokenHash: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as sessionId',
      's.csrf_token as csrfToken',
      's.last_seen_at as lastSeenAt',
      's.expires_at as expiresAt',
      ...ACTOR_COLUMNS,
    ])
    .select(PERMISSIONS_OF_USER)
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
}

export function findTokenUser(db: Tx, tokenHash: string) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 't.name as tokenName', 't.last_used_at as lastUsedAt', ...ACTOR_COLUMNS])
    .select(PERMISSIONS_OF_USER)
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function insertSession(
  db: Tx,
  s: { id: string; tokenHash: string; userId: string; csrf: string; now: Date; expires: Date },
) {
  await db
    .insertInto('sessions')
    .values({
      id: s.id,
      token_hash: s.tokenHash,
      user_id: s.userId,
      csrf_token: s.csrf,
      created_at: s.now,
      expires_at: s.expires,
      last_seen_at: s.now,
    })
    .execute();
}

export async function touchSession(db: Tx, id: string, now: Date, expires: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expires }).where('id', '=', id).execute();
}

export async function deleteSessionByHash(db: Tx, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends a user's sessions (all but one, when given); returns how many ended. */
export async function deleteUserSessions(db: Tx, userId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function setPasswordHash(db: Tx, id: string, hash: string) {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
}

export function findLoginLock(db: Tx, key: string) {
  return db.selectFrom('login_failures').select('locked_until').where('username', '=', key).executeTakeFirst();
}

/**
 * Counts one attempt under `key` in one statement (parallel attempts each get their own number): the count starts
 * again after an expired lock or a quiet `since`. Returns this attempt's number and the lock in force, if any.
 */
export async function countLoginAttempt(db: Tx, key: string, now: Date, since: Date) {
  const r = await sql<{ failures: number; locked_until: Date | null }>`
    insert into login_failures as f (username, failures, locked_until, last_failed_at)
    values (${key}, 1, null, ${now})
    on conflict (username) do update set
      failures = case when f.locked_until <= ${now} or f.last_failed_at < ${since} then 1 else f.failures + 1 end,
      locked_until = case when f.locked_until <= ${now} then null else f.locked_until end,
      last_failed_at = ${now}
    returning failures, locked_until`.execute(db);
  return r.rows[0];
}

/** Locks `key` until `until` (a lock in force that ends later is kept); returns the lock's end. */
export async function lockLogin(db: Tx, key: string, until: Date): Promise<Date> {
  const r = await sql<{ locked_until: Date }>`
    update login_failures set locked_until = greatest(coalesce(locked_until, ${until}), ${until})
    where username = ${key} returning locked_until`.execute(db);
  return r.rows[0]?.locked_until ?? until;
}

export async function clearLoginFailures(db: Tx, key: string) {
  await db.deleteFrom('login_failures').where('username', '=', key).execute();
}

/** Forgets failures older than `before` whose lock (if any) is over: unknown names must not pile up. */
export async function pruneLoginFailures(db: Tx, before: Date, now: Date) {
  await db
    .deleteFrom('login_failures')
    .where('last_failed_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .execute();
}

export async function setPassword(db: Tx, id: string, hash: string, mustChange: boolean, now: Date) {
  await db
    .updateTable('users')
    .set((eb) => ({
      password_hash: hash,
      must_change_password: mustChange,
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .execute();
}

export async function touchToken(db: Tx, id: string, now: Date) {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export function listTokens(db: Tx, userId: string | null) {
  let q = db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'user_id', 'prefix', 'created_at', 'last_used_at', 'revoked_at']);
  if (userId) q = q.where('user_id', '=', userId);
  return q.orderBy('created_at', 'desc').execute();
}

export async function insertToken(
  db: Tx,
  t: { id: string; name: string; userId: string; tokenHash: string; prefix: string; now: Date },
) {
  await db
    .insertInto('api_tokens')
    .values({ id: t.id, name: t.name, user_id: t.userId, token_hash: t.tokenHash, prefix: t.prefix, created_at: t.now })
    .execute();
}

export function findToken(db: Tx, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Tx, id: string, now: Date) {
  await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
}
