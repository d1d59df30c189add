import argon2 from 'argon2';
import type { Scope } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Actor, RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db } from '../db/index.ts';
import * as repo from './auth.repository.ts';
import { API_TOKEN_PREFIX, hashToken, newSecret, safeEqual } from './tokens.ts';

export const SESSION_HOURS = 12;
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export interface AuthDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
}

export interface Authenticated {
  actor: Actor;
  /** set for session (cookie or bearer) logins; API tokens have none */
  csrfToken: string | null;
  sessionId: string | null;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
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

/** Checks username and password; counts failures and locks the account after MAX_FAILURES in a row. */
export async function login(deps: AuthDeps, ctx: RequestCtx, username: string, password: string) {
  const { db, clock, ids } = deps;
  const now = clock.now();
  const user = await repo.findUserByUsername(db.kysely, username);
  if (!user) {
    // Spend the same time as a real check so that usernames cannot be probed by timing.
    await argon2.verify(await dummyHashOnce(), password).catch(() => false);
    throw new AppError('BAD_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('ACCOUNT_LOCKED', { until: user.locked_until.toISOString() });
  }
  const ok = await argon2.verify(user.password_hash, password).catch(() => false);
  if (!ok) {
    const failed = user.failed_attempts + 1;
    const lock = failed >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await db.transaction(async (trx) => {
      await repo.recordFailure(trx, user.id, lock ? 0 : failed, lock);
      await recordAudit(trx, { ...ctx, actor: { ...ctx.actor, name: username } }, now, {
        action: lock ? 'auth.locked' : 'auth.login_failed',
        entity: 'user',
        entityId: user.id,
      });
    });
    if (lock) throw new AppError('ACCOUNT_LOCKED', { until: lock.toISOString() });
    throw new AppError('BAD_CREDENTIALS');
  }
  if (user.disabled) throw new AppError('ACCOUNT_DISABLED');
  const token = newSecret();
  const csrf = newSecret();
  const sessionId = ids.next();
  await db.transaction(async (trx) => {
    await repo.clearFailures(trx, user.id);
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

// Made on first need, not at start-up (an argon2id hash costs tens of milliseconds).
let dummyHash: Promise<string> | null = null;
function dummyHashOnce(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}

/**
 * Recently authenticated tokens, for a few seconds: the embedded database answers one query at a time, and a
 * session lookup on every request would cost as much as the page itself. Sign-out, password changes, revoked
 * tokens and changed users or roles empty it at once on this instance; other API instances follow within AUTH_CACHE_MS.
 */
const AUTH_CACHE_MS = 5_000;
const authCache = new Map<string, { until: number; auth: Authenticated }>();

export function invalidateAuthCache(): void {
  authCache.clear();
}

/** The actor behind a bearer token or session cookie; undefined when the token is unknown or expired. */
export async function authenticate(deps: AuthDeps, token: string): Promise<Authenticated | undefined> {
  const h = hashToken(token);
  const t = deps.clock.now().getTime();
  const hit = authCache.get(h);
  if (hit && hit.until > t) return hit.auth;
  const auth = await lookUp(deps, token, h);
  if (authCache.size > 10_000) authCache.clear();
  if (auth) authCache.set(h, { until: t + AUTH_CACHE_MS, auth });
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
    return { actor: actorOf(t, 'token'), csrfToken: null, sessionId: null };
  }
  const s = await repo.findSessionUser(db.kysely, h, now);
  if (!s || s.disabled) return undefined;
  // Sliding expiry, written at most once a minute.
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await repo.touchSession(db.kysely, s.sessionId, now, new Date(now.getTime() + SESSION_HOURS * 3600_000));
  }
  return { actor: actorOf(s, 'user'), csrfToken: s.csrfToken, sessionId: s.sessionId };
}

export function csrfMatches(expected: string | null, given: string | undefined): boolean {
  return !!expected && !!given && safeEqual(expected, given);
}

export async function logout(deps: AuthDeps, ctx: RequestCtx, token: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await repo.deleteSessionByHash(trx, hashToken(token));
    await recordAudit(trx, ctx, deps.clock.now(), { action: 'auth.logout', entity: 'user', entityId: ctx.actor.id });
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
  if (!(await argon2.verify(user.password_hash, current).catch(() => false))) {
    throw new AppError('WRONG_PASSWORD', { field: 'currentPassword' });
  }
  checkPasswordStrength(next, 'newPassword');
  const hash = await hashPassword(next);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.setPassword(trx, user.id, hash, false, now);
    // Other sessions of this user end: whoever knew the old password is signed out.
    await repo.deleteUserSessions(trx, user.id, sessionId ?? undefined);
    await recordAudit(trx, ctx, now, { action: 'auth.password_changed', entity: 'user', entityId: user.id });
  });
  invalidateAuthCache();
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
    await recordAudit(trx, ctx, now, {
      action: 'token.revoked',
      entity: 'api_token',
      entityId: id,
      before: { name: t.name },
    });
  });
  invalidateAuthCache();
}
