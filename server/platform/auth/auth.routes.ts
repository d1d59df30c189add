import { Type as T } from 'typebox';
import { ApiToken, LoginInput, PasswordChange, SessionRefreshReply } from '../../../contracts/org.ts';
import { AppError } from '../../errors.ts';
import type { AccessService } from '../access/access.service.ts';
import { can } from '../core/context.ts';
import { SESSION_COOKIE, SESSION_EXPIRES_HEADER, sessionCookieOptions } from '../http/auth.plugin.ts';
import type { TypedApp } from '../module.ts';
import * as auth from './auth.service.ts';

export function authRoutes(
  app: TypedApp,
  deps: auth.LoginDeps & { secureCookies: boolean; access: AccessService },
): void {
  const cookieOpts = sessionCookieOptions(deps.secureCookies);

  app.post(
    '/api/v1/auth/login',
    { config: { public: true, errors: [401, 423, 429] }, schema: { tags: ['auth'], body: LoginInput } },
    async (req, reply) => {
      const body = req.body;
      const s = await auth.login(deps, req.ctx, body.username.trim(), body.password).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'TOO_MANY_REQUESTS')
          reply.header('retry-after', err.details.seconds);
        throw err;
      });
      const a = await auth.authenticate(deps, s.token);
      if (!a) throw new AppError('UNAUTHENTICATED');
      const user = await deps.access.getUser({ ...req.ctx, actor: a.actor }, s.userId);
      reply.setCookie(SESSION_COOKIE, s.token, cookieOpts);
      return { token: s.token, csrfToken: s.csrfToken, user, sessionExpiresAt: a.expiresAt?.toISOString() ?? null };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (req, reply) => {
    if (req.authToken && req.auth?.sessionId) await auth.logout(deps, req.ctx, req.authToken);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/auth/me', { schema: { tags: ['auth'] } }, async (req) => {
    const user = await deps.access.getUser(req.ctx, req.ctx.actor.id!);
    return {
      user,
      csrfToken: req.auth?.csrfToken ?? null,
      sessionExpiresAt: req.auth?.expiresAt?.toISOString() ?? null,
    };
  });

  app.post(
    '/api/v1/auth/refresh',
    {
      config: { errors: [401] },
      schema: {
        tags: ['auth'],
        description:
          'Extends the signed-in session (cookie or bearer session token) by its full lifetime: "continue working".',
        response: { 200: SessionRefreshReply },
      },
    },
    async (req, reply) => {
      if (!req.authToken || !req.auth?.sessionId) throw new AppError('UNAUTHENTICATED');
      const expiresAt = await auth.refreshSession(deps, req.authToken, req.auth.sessionId);
      if (req.cookies?.[SESSION_COOKIE] === req.authToken) reply.setCookie(SESSION_COOKIE, req.authToken, cookieOpts);
      reply.header(SESSION_EXPIRES_HEADER, expiresAt.toISOString());
      return { sessionExpiresAt: expiresAt.toISOString() };
    },
  );

  app.post('/api/v1/auth/password', { schema: { tags: ['auth'], body: PasswordChange } }, async (req) => {
    const b = req.body;
    await auth.changePassword(deps, req.ctx, req.auth?.sessionId ?? null, b.currentPassword, b.newPassword);
    return { ok: true };
  });

  app.get(
    '/api/v1/auth/tokens',
    { schema: { tags: ['auth'], querystring: T.Object({ all: T.Optional(T.Boolean()) }) } },
    async (req) => {
      const all = req.query.all === true && can(req.ctx.actor, 'tokens.manage');
      const items = await auth.listApiTokens(deps, req.ctx, all);
      return { items, total: items.length };
    },
  );

  app.post(
    '/api/v1/auth/tokens',
    {
      config: { permission: 'tokens.manage' },
      schema: {
        tags: ['auth'],
        body: T.Object({
          name: T.String({ minLength: 1, maxLength: 100 }),
          userId: T.Optional(T.String({ format: 'uuid' })),
        }),
        response: { 200: T.Intersect([ApiToken, T.Object({ token: T.String({ description: 'shown once' }) })]) },
      },
    },
    async (req) => {
      const b = req.body;
      return auth.createApiToken(deps, req.ctx, b.name.trim(), b.userId);
    },
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    { schema: { tags: ['auth'], params: T.Object({ id: T.String({ format: 'uuid' }) }) } },
    async (req) => {
      await auth.revokeApiToken(deps, req.ctx, req.params.id, can(req.ctx.actor, 'tokens.manage'));
      return { ok: true };
    },
  );
}
