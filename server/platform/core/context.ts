import type { Scope } from '../../../contracts/org.ts';
import type { Lang } from '../../errors.ts';

/** Who is acting: a signed-in user, an integration token, or the system itself (start-up, demo loader). */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  id: string | null;
  name: string;
  unitCode: string | null;
  scope: Scope;
  roles: string[];
  permissions: ReadonlySet<string>;
}

/** What a service needs to know about the request it serves. */
export interface RequestCtx {
  actor: Actor;
  requestId: string | null;
  address: string | null;
  lang: Lang;
}

export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  id: null,
  name: 'system',
  unitCode: null,
  scope: 'city',
  roles: [],
  permissions: new Set(['*']),
};

export function systemCtx(): RequestCtx {
  return { actor: SYSTEM_ACTOR, requestId: null, address: null, lang: 'zh' };
}

export function can(actor: Actor, permission: string): boolean {
  return actor.permissions.has('*') || actor.permissions.has(permission);
}
