import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, langOf } from '../../errors.ts';
import { type AuthDeps, type Authenticated, authenticate, csrfMatches, SESSION_HOURS } from '../auth/auth.service.ts';
import { safeEqual } from '../auth/tokens.ts';
import { can, type RequestCtx, SYSTEM_ACTOR } from '../core/context.ts';

export const SESSION_COOKIE = 'anlan_session';
/** The header that tells a browser when its session ends unless used (ISO time); sessions slide with use. */
export const SESSION_EXPIRES_HEADER = 'x-session-expires';

/** The session cookie's options: it lives as long as the session, and is given that lifetime again as it slides. */
export function sessionCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: SESSION_HOURS * 3600 };
}

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
    /** the permission the route needs, checked before the handler runs (outside /api too, e.g. /metrics) */
    permission?: string;
    /** client addresses let in without signing in (the metrics allow-list) */
    admitAddress?: (address: string) => boolean;
    /**
     * the bearer is not a user's: the route checks its own credential (a device's token) and no session or API
     * token is looked up for it (a device posting every second would cost a query each time)
     */
    ownCredential?: boolean;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a session whose password an administrator set may still do until its owner changes it. */
const WHILE_PASSWORD_CHANGE_PENDING = new Set([
  'GET /api/v1/auth/me',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  // "continue working" while the new password is being chosen
  'POST /api/v1/auth/refresh',
]);

function bearerOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : null;
}

/**
 * Authenticates every /api request (the API, its OpenAPI document and docs page) and every route that names a
 * permission: a bearer token (scripts, devices; no CSRF) or the session cookie (browsers; writes need the
 * x-csrf-token header). Routes say `config: { public: true }` or `config: { permission }`. A session whose password
 * was set by an administrator may only read itself, sign out and change the password (403 PASSWORD_CHANGE_REQUIRED).
 */
export function registerAuth(
  app: FastifyInstance,
  deps: AuthDeps,
  operatorToken?: string,
  secureCookies = false,
): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('authToken', null);
  app.decorateRequest('ctx', null as unknown as RequestCtx);
  app.addHook('onRequest', async (req, reply) => {
    req.ctx = {
      actor: { ...SYSTEM_ACTOR, kind: 'user', name: 'anonymous', permissions: new Set() },
      requestId: req.id,
      address: req.ip,
      lang: langOf(req.headers['accept-language']),
    };
    const cfg = req.routeOptions.config ?? {};
    // The route matched as well as the URL as sent: `/%61pi/v1/audit` reaches the audit route and must not pass
    // unsigned, and an unknown /api path answers 401 before 404 (it tells an anonymous caller nothing).
    const api = req.url.startsWith('/api/') || !!req.routeOptions.url?.startsWith('/api/');
    if (!api && !cfg.permission) return;
    if (cfg.admitAddress?.(req.ip)) return;
    if (cfg.ownCredential) return;
    const bearer = bearerOf(req);
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie ?? null;
    if (operatorToken && bearer && safeEqual(bearer, operatorToken)) {
      // `npx anlan` on the same machine and data directory, with this run's token from DATA_DIR/server.json.
      req.ctx.actor = { ...SYSTEM_ACTOR, name: 'operator (anlan CLI)' };
      req.auth = { actor: req.ctx.actor, csrfToken: null, sessionId: null, mustChangePassword: false };
      return;
    }
    if (token) {
      const a = await authenticate(deps, token);
      if (a) {
        req.auth = a;
        req.authToken = token;
        req.ctx.actor = a.actor;
        if (a.expiresAt) {
          reply.header(SESSION_EXPIRES_HEADER, a.expiresAt.toISOString());
          // the cookie's own lifetime was fixed at sign-in: without this a busy user is signed out 12 h after it
          if (a.renewed && !bearer) reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(secureCookies));
        }
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
    if (req.auth.mustChangePassword && !WHILE_PASSWORD_CHANGE_PENDING.has(`${req.method} ${req.routeOptions.url}`)) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    if (cfg.permission && !can(req.ctx.actor, cfg.permission)) {
      throw new AppError('FORBIDDEN', { permission: cfg.permission });
    }
  });
}
