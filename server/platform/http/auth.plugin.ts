import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, langOf } from '../../errors.ts';
import { type AuthDeps, type Authenticated, authenticate, csrfMatches } from '../auth/auth.service.ts';
import { safeEqual } from '../auth/tokens.ts';
import { can, type RequestCtx, SYSTEM_ACTOR } from '../core/context.ts';

export const SESSION_COOKIE = 'anlan_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
    /** the token the request came with (bearer or cookie) */
    authToken: string | null;
    ctx: RequestCtx;
  }
  interface FastifyContextConfig {
    /** no sign-in needed */
    public?: boolean;
    /** the permission the route needs, checked before the handler runs */
    permission?: string;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : null;
}

/**
 * Authenticates every /api request: a bearer token (scripts, devices; no CSRF) or the session cookie (browsers;
 * writes need the x-csrf-token header). Routes say `config: { public: true }` or `config: { permission }`.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps, operatorToken?: string): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('authToken', null);
  app.decorateRequest('ctx', null as unknown as RequestCtx);
  app.addHook('onRequest', async (req) => {
    req.ctx = {
      actor: { ...SYSTEM_ACTOR, kind: 'user', name: 'anonymous', permissions: new Set() },
      requestId: req.id,
      address: req.ip,
      lang: langOf(req.headers['accept-language']),
    };
    if (!req.url.startsWith('/api/v1/')) return;
    const bearer = bearerOf(req);
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie ?? null;
    const cfg = req.routeOptions.config ?? {};
    if (operatorToken && bearer && safeEqual(bearer, operatorToken)) {
      // `npx anlan` on the same machine and data directory, with this run's token from DATA_DIR/server.json.
      req.ctx.actor = { ...SYSTEM_ACTOR, name: 'operator (anlan CLI)' };
      req.auth = { actor: req.ctx.actor, csrfToken: null, sessionId: null };
      return;
    }
    if (token) {
      const a = await authenticate(deps, token);
      if (a) {
        req.auth = a;
        req.authToken = token;
        req.ctx.actor = a.actor;
      } else if (!cfg.public) {
        throw new AppError('UNAUTHENTICATED');
      }
    }
    if (cfg.public) return;
    if (!req.auth) throw new AppError('UNAUTHENTICATED');
    if (
      !bearer &&
      UNSAFE.has(req.method) &&
      !csrfMatches(req.auth.csrfToken, req.headers['x-csrf-token'] as string | undefined)
    ) {
      throw new AppError('CSRF');
    }
    if (cfg.permission && !can(req.ctx.actor, cfg.permission)) {
      throw new AppError('FORBIDDEN', { permission: cfg.permission });
    }
  });
}
