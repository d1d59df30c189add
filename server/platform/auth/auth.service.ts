import { rmSync } from 'node:fs';
import type { Scope } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Actor, RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db, Tx } from '../db/index.ts';
import { type EventBus, emitEvent } from '../events/events.ts';
import * as repo from './auth.repository.ts';
import { type LoginThrottle, usernameKey } from './login-throttle.ts';
import { dummyHash, hashPassword, needsRehash, passwordWork, verifyHeld, verifyPassword } from './passwords.ts';
import { API_TOKEN_PREFIX, hashToken, newSecret, safeEqual } from './tokens.ts';

export { hashPassword };

export const SESSION_HOURS = 12;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
/** failures further apart than this do not add up to a lock */
const FAILURE_MEMORY_HOURS = 24;

export interface AuthDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** DATA_DIR/initial-admin-password: removed once `admin` has chosen a password of their own */
  initialPasswordFile?: string;
}

export interface LoginDeps extends AuthDeps {
  throttle: LoginThrottle;
}

export interface Authenticated {
  actor: Actor;
  /** set for session (cookie or bearer) logins; API tokens have none */
  csrfToken: string | null;
  sessionId: string | null;
  /** a password set by an administrator, not yet changed by its owner: the session may do little else */
  mustChangePassword: boolean;
  /** when the session ends unless used (sessions slide); null for API tokens */
  expiresAt?: Date | null;
  /** the session's expiry moved with this request: the browser's cookie is given the new lifetime too */
  renewed?: boolean;
}

/** At least 8 characters with a letter and a digit. */
export function checkPasswordStrength(password: string, field = 'password'): void {
  if (password.length < 8 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('WEAK_PASSWORD', { field });
  }
}

function actorOf(
  u: {
    id: string;
    displayName: string;
    unitCode: string;
    scope: string;
    roles: string[];
    permissions: string[] | null;
  },
  kind: Actor['kind'],
): Actor {
  return {
    kind,
    id: u.id,
    name: u.displayName,
    unitCode: u.unitCode,
    scope: u.scope as Scope,
    roles: u.roles,
    permissions: new Set(u.permissions ?? []),
  };
}

/**
 * Checks username and password. Every attempt is throttled per address and per name (429), then counted under the
 * normalised name in the database in one atomic statement before the hash is checked, so parallel guesses cannot
 * share a count; MAX_FAILURES in a row lock the name for LOCK_MINUTES. A name that does not exist is hashed against
 * a dummy, counted and locked alike: reply and cost tell nothing about which names exist.
 */
export async function login(deps: LoginDeps, ctx: RequestCtx, username: string, password: string) {
  const { db, clock, ids, throttle } = deps;
  const key = usernameKey(username);
  await throttle.take(ctx.address, key);
  const now = clock.now();
  const lock = await repo.findLoginLock(db.kysely, key);
  if (lock?.locked_until && lock.locked_until > now) {
    throw new AppError('ACCOUNT_LOCKED', { until: lock.locked_until.toISOString() });
  }
  const user = await repo.findUserByUsername(db.kysely, username);
  // The attempt is counted inside its hashing slot: one refused for a full queue (429) does not count against the name.
  const attempt = await passwordWork.run(async () => {
    const counted = await repo.countLoginAttempt(
      db.kysely,
      key,
      now,
      new Date(now.getTime() - FAILURE_MEMORY_HOURS * 3600_000),
    );
    if (counted.locked_until && counted.locked_until > now) return { ...counted, ok: false, refused: true };
    // Beyond the allowance already (parallel guesses): no more hashing until the lock is over.
    if (counted.failures > MAX_FAILURES) return { ...counted, ok: false, refused: true };
    const ok = await verifyHeld(user?.password_hash ?? (await dummyHash()), password);
    return { ...counted, ok: ok && !!user, refused: false };
  });
  if (!attempt.ok || !user) {
    const locks = attempt.refused || attempt.failures >= MAX_FAILURES;
    const until = locks ? await repo.lockLogin(db.kysely, key, new Date(now.getTime() + LOCK_MINUTES * 60_000)) : null;
    if (!attempt.refused) {
      await db.transaction(async (trx) => {
        await recordAudit(trx, { ...ctx, actor: { ...ctx.actor, name: username.slice(0, 200) } }, now, {
          action: until ? 'auth.locked' : 'auth.login_failed',
          entity: 'user',
          entityId: user?.id ?? null,
          after: user ? null : { username: username.slice(0, 200) },
        });
      });
    }
    await pruneNowAndThen(deps, now);
    if (until) throw new AppError('ACCOUNT_LOCKED', { until: until.toISOString() });
    throw new AppError('BAD_CREDENTIALS');
  }
  await repo.clearLoginFailures(db.kysely, key);
  await throttle.giveBack(ctx.address, key);
  if (user.disabled) throw new AppError('ACCOUNT_DISABLED');
  if (needsRehash(user.password_hash)) {
    // Older hashes (four lanes each) are redone with today's settings while the password is at hand.
    const rehashed = await hashPassword(password).catch(() => null);
    if (rehashed) await repo.setPasswordHash(db.kysely, user.id, rehashed);
  }
  const token = newSecret();
  const csrf = newSecret();
  const sessionId = ids.next();
  await db.transaction(async (trx) => {
    await repo.insertSession(trx, {
      id: sessionId,
      tokenHash: hashToken(token),
      userId: user.id,
      csrf,
      now,
      expires: new Date(now.getTime() + SESSION_HOURS * 3600_000),
    });
    await recordAudit(trx, { ...ctx, actor: { ...ctx.actor, id: user.id, name: user.display_name } }, now, {
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
    });
  });
  return { token, csrfToken: csrf, userId: user.id };
}

let prunedAt = 0;
/** Forgets old failures of names nobody signs in with (at most once an hour, on the way of a failure). */
async function pruneNowAndThen(deps: AuthDeps, now: Date): Promise<void> {
  if (now.getTime() - prunedAt < 3600_000) return;
  prunedAt = now.getTime();
  await repo.pruneLoginFailures(deps.db.kysely, new Date(now.getTime() - FAILURE_MEMORY_HOURS * 3600_000), now);
}

/** The event every change that affects authentication writes in its transaction: each instance drops its cache. */
export const AUTH_CHANGED = 'auth.changed';

/**
 * Records, in the caller's transaction, that who may do what has changed (a user updated, disabled or given a new
 * password, a role's permissions, a session ended, a token revoked). Internal: never sent to browsers.
 */
export async function authChanged(
  trx: Tx,
  now: Date,
  entity: 'user' | 'role' | 'session' | 'api_token',
  entityId: string | null,
  reason: string,
): Promise<void> {
  await emitEvent(trx, now, {
    type: AUTH_CHANGED,
    entity,
    entityId,
    payload: { reason },
    visibility: { permission: 'org.manage', internal: true },
  });
}

/** Drops this instance's cache on every instance's change (the bus delivers other instances' events by polling). */
export function listenForAuthChanges(bus: EventBus): void {
  bus.subscribe(AUTH_CHANGED, () => invalidateAuthCache());
}

/** Ends a user's sessions (but one, when given) in the caller's transaction, with the event that says so. */
export async function endUserSessions(
  trx: Tx,
  now: Date,
  userId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<void> {
  await repo.deleteUserSessions(trx, userId, exceptSessionId);
  await authChanged(trx, now, 'user', userId, reason);
}

/**
 * Recently authenticated tokens: the embedded database answers one query at a time, and a session lookup on every
 * request would cost as much as the page itself. Every change that affects authentication empties it on every
 * instance through its AUTH_CHANGED event; the time limit is only a backstop should an event be missed.
 */
const AUTH_CACHE_MS = 60_000;
const authCache = new Map<string, { until: number; auth: Authenticated }>();
/** moves on every invalidation: a lookup that began before one does not fill the cache with what it read */
let generation = 0;

export function invalidateAuthCache(): void {
  generation++;
  authCache.clear();
}

/** The actor behind a bearer token or session cookie; undefined when the token is unknown or expired. */
export async function authenticate(deps: AuthDeps, token: string): Promise<Authenticated | undefined> {
  const h = hashToken(token);
  const t = deps.clock.now().getTime();
  const hit = authCache.get(h);
  if (hit && hit.until > t) return hit.auth;
  const gen = generation;
  const auth = await lookUp(deps, token, h);
  if (gen !== generation) return auth;
  if (authCache.size > 10_000) authCache.clear();
  if (auth) authCache.set(h, { until: t + AUTH_CACHE_MS, auth: { ...auth, renewed: false } });
  else authCache.delete(h);
  return auth;
}

async function lookUp(deps: AuthDeps, token: string, h: string): Promise<Authenticated | undefined> {
  const { db, clock } = deps;
  const now = clock.now();
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const t = await repo.findTokenUser(db.kysely, h);
    if (!t || t.disabled) return undefined;
    // Record use at most once a minute: a device posting every second must not write every second.
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > 60_000)
      await repo.touchToken(db.kysely, t.tokenId, now);
    // A token is no password: the owner's pending password change does not stop a device.
    return { actor: actorOf(t, 'token'), csrfToken: null, sessionId: null, mustChangePassword: false };
  }
  const s = await repo.findSessionUser(db.kysely, h, now);
  if (!s || s.disabled) return undefined;
  // Sliding expiry, written at most once a minute.
  let expiresAt = s.expiresAt;
  const renewed = now.getTime() - s.lastSeenAt.getTime() > 60_000;
  if (renewed) {
    expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await repo.touchSession(db.kysely, s.sessionId, now, expiresAt);
  }
  return {
    actor: actorOf(s, 'user'),
    csrfToken: s.csrfToken,
    sessionId: s.sessionId,
    mustChangePassword: s.mustChangePassword,
    expiresAt,
    renewed,
  };
}

/**
 * Extends the caller's session by SESSION_HOURS from now ("continue working" before it ends) and returns the new
 * expiry. Sessions slide with use anyway; this is for a user who read or typed for hours without a request.
 */
export async function refreshSession(deps: AuthDeps, token: string, sessionId: string): Promise<Date> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await repo.touchSession(deps.db.kysely, sessionId, now, expiresAt);
  // the cached entry still holds the old expiry
  authCache.delete(hashToken(token));
  return expiresAt;
}

export function csrfMatches(expected: string | null, given: string | undefined): boolean {
  return !!expected && !!given && safeEqual(expected, given);
}

export async function logout(deps: AuthDeps, ctx: RequestCtx, token: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteSessionByHash(trx, hashToken(token));
    await authChanged(trx, now, 'session', null, 'auth.logout');
    await recordAudit(trx, ctx, now, { action: 'auth.logout', entity: 'user', entityId: ctx.actor.id });
  });
  invalidateAuthCache();
}

export async function changePassword(
  deps: AuthDeps,
  ctx: RequestCtx,
  sessionId: string | null,
  current: string,
  next: string,
): Promise<void> {
  const user = ctx.actor.id ? await repo.findUserById(deps.db.kysely, ctx.actor.id) : undefined;
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.password_hash, current))) {
    throw new AppError('WRONG_PASSWORD', { field: 'currentPassword' });
  }
  checkPasswordStrength(next, 'newPassword');
  const hash = await hashPassword(next);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.setPassword(trx, user.id, hash, false, now);
    // Other sessions of this user end: whoever knew the old password is signed out.
    await endUserSessions(trx, now, user.id, 'auth.password_changed', sessionId ?? undefined);
    await recordAudit(trx, ctx, now, { action: 'auth.password_changed', entity: 'user', entityId: user.id });
  });
  invalidateAuthCache();
  // the printed first password no longer signs anyone in: a file holding it would only mislead (and leak a habit)
  if (user.username === 'admin' && deps.initialPasswordFile) rmSync(deps.initialPasswordFile, { force: true });
}

export async function createApiToken(deps: AuthDeps, ctx: RequestCtx, name: string, userId?: string) {
  const owner = userId ?? ctx.actor.id;
  if (!owner) throw new AppError('UNAUTHENTICATED');
  const token = newSecret(API_TOKEN_PREFIX);
  const id = deps.ids.next();
  const now = deps.clock.now();
  const prefix = token.slice(0, 10);
  await deps.db.transaction(async (trx) => {
    await repo.insertToken(trx, { id, name, userId: owner, tokenHash: hashToken(token), prefix, now });
    await recordAudit(trx, ctx, now, {
      action: 'token.created',
      entity: 'api_token',
      entityId: id,
      after: { name, userId: owner, prefix },
    });
  });
  return { id, name, userId: owner, prefix, token, createdAt: now.toISOString(), lastUsedAt: null, revokedAt: null };
}

export async function listApiTokens(deps: AuthDeps, ctx: RequestCtx, all: boolean) {
  const rows = await repo.listTokens(deps.db.kysely, all ? null : ctx.actor.id);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    userId: r.user_id,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(deps: AuthDeps, ctx: RequestCtx, id: string, any: boolean): Promise<void> {
  const t = await repo.findToken(deps.db.kysely, id);
  if (!t || (!any && t.user_id !== ctx.actor.id)) throw new AppError('NOT_FOUND', { entity: 'api_token' });
  if (t.revoked_at) return;
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.revokeToken(trx, id, now);
    await authChanged(trx, now, 'api_token', id, 'token.revoked');
    await recordAudit(trx, ctx, now, {
      action: 'token.revoked',
      entity: 'api_token',
      entityId: id,
      before: { name: t.name },
    });
  });
  invalidateAuthCache();
}
