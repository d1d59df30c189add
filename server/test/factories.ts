/**
 * Factories for service-level tests: a request context acting as a role (with the permissions the role really holds
 * in the database), and users made without spending an argon2 hash each (one hash per test process).
 */
import type { Scope } from '../../contracts/org.ts';
import { hashPassword } from '../platform/auth/auth.service.ts';
import { type Actor, type RequestCtx, systemCtx } from '../platform/core/context.ts';
import type { Platform } from '../platform/module.ts';

export const USER_PASSWORD = 'User-pass-123';

let hash: Promise<string> | null = null;
/** The argon2 hash of USER_PASSWORD, made once per test process. */
export function userPasswordHash(): Promise<string> {
  hash ??= hashPassword(USER_PASSWORD);
  return hash;
}

let n = 0;

/** A user with one role, password USER_PASSWORD, no forced change. */
export async function makeUser(
  p: Platform,
  role: string,
  unitCode: string,
  scope: Scope,
  username = `${role}_${++n}_${Math.random().toString(36).slice(2, 6)}`,
) {
  return p.access.createUser(
    systemCtx(),
    {
      username,
      displayName: username,
      phone: '13912345678',
      unitCode,
      roles: [role],
      scope,
      password: USER_PASSWORD,
    },
    { mustChange: false, passwordHash: await userPasswordHash() },
  );
}

/**
 * A request context for a new user with this role: what a route would hand the service after signing in, without
 * HTTP. `lang` 'en' checks English messages.
 */
export async function ctxAs(
  p: Platform,
  role: string,
  unitCode: string,
  scope: Scope,
  lang: 'zh' | 'en' = 'zh',
): Promise<RequestCtx> {
  const u = await makeUser(p, role, unitCode, scope);
  const actor: Actor = {
    kind: 'user',
    id: u.id,
    name: u.displayName,
    unitCode: u.unitCode,
    scope: u.scope,
    roles: u.roles,
    permissions: new Set(u.permissions),
  };
  return { actor, requestId: null, address: '127.0.0.1', lang };
}
