import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auth from '../../platform/auth/auth.service.ts';
import { DEFAULT_LIMITS, LoginThrottle } from '../../platform/auth/login-throttle.ts';
import { type RequestCtx, SYSTEM_ACTOR } from '../../platform/core/context.ts';
import { ctxAs, makeUser, seededCtx } from '../../test/factories.ts';
import {
  ADMIN_PASSWORD,
  refusal,
  startTestApp,
  type TestApp,
  type TestPlatform,
  USER_PASSWORD,
} from '../../test/helpers.ts';
import type { OrgApi } from './index.ts';

// Two parts on one database (one start of the embedded PostgreSQL per file): the rules, through the services with a
// signed-in user's context on the app's platform (no request goes through HTTP), and the HTTP path itself (status
// codes and headers, cookies, bearer tokens, the routes' permissions).
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.stop());

/** What the HTTP layer hands the service before anyone has signed in. */
const anonymous: RequestCtx = {
  actor: { ...SYSTEM_ACTOR, kind: 'user', name: 'anonymous', permissions: new Set() },
  requestId: null,
  address: '127.0.0.1',
  lang: 'zh',
};

// ───────────────────────────── rules, at the service level ─────────────────────────────
describe('organisation rules (service level)', () => {
  // what a module's rules need: its platform and modules (startTestPlatform gives the same without HTTP)
  let t: Pick<TestPlatform, 'platform' | 'module'>;
  let admin: RequestCtx;
  let deps: auth.LoginDeps;
  beforeAll(async () => {
    t = app;
    admin = await seededCtx(t.platform, 'admin');
    // generous limits: these tests are about the lock, not the throttle (auth.test.ts tests that)
    deps = {
      db: t.platform.db,
      clock: t.platform.clock,
      ids: t.platform.ids,
      throttle: new LoginThrottle({ ...DEFAULT_LIMITS, perAddress: 1000, perUser: 1000 }),
    };
  });

  describe('organisation units', () => {
    it('lists the city, four districts, four zones and the departments with stable codes', async () => {
      const units = await t.module<OrgApi>('org').listUnits();
      const byCode = new Map(units.map((u) => [u.code, u]));
      for (const code of [
        '371000',
        '371002',
        '371003',
        '371082',
        '371083',
        'gaoqu',
        'jingqu',
        'lingang',
        'nanhai',
        'yjj',
        'wjw',
        'xfzd',
        'szfb',
      ]) {
        expect(byCode.has(code), code).toBe(true);
      }
      expect(units.filter((u) => u.kind === 'district')).toHaveLength(4);
      expect(units.filter((u) => u.kind === 'zone')).toHaveLength(4);
      expect(byCode.get('371002')?.hasBoundary).toBe(true);
      expect(byCode.get('gaoqu')?.hasBoundary).toBe(false);
    });
  });

  describe('signing in', () => {
    it('locks the account after five wrong passwords, and an admin reset lifts the lock', async () => {
      const u = await makeUser(t.platform, 'viewer', 'yjj', 'city');
      for (let k = 0; k < 4; k++) {
        expect(await refusal(auth.login(deps, anonymous, u.username, 'wrong-1234'))).toEqual({
          code: 'BAD_CREDENTIALS',
          status: 401,
        });
      }
      const fifth = await refusal(auth.login(deps, anonymous, u.username, 'wrong-1234'));
      expect(fifth).toEqual({ code: 'ACCOUNT_LOCKED', status: 423 });
      const right = await refusal(auth.login(deps, anonymous, u.username, USER_PASSWORD));
      expect(right).toEqual({ code: 'ACCOUNT_LOCKED', status: 423 });
      const reset = await t.platform.access.updateUser(admin, u.id, { password: 'Reset-pass-99' });
      expect(reset.mustChangePassword).toBe(true);
      expect((await auth.login(deps, anonymous, u.username, 'Reset-pass-99')).userId).toBe(u.id);
    });

    it('changes the password, ends the other sessions, and logs out', async () => {
      const u = await makeUser(t.platform, 'viewer', 'yjj', 'city');
      const mine = await auth.login(deps, anonymous, u.username, USER_PASSWORD);
      const other = await auth.login(deps, anonymous, u.username, USER_PASSWORD);
      const signedIn = (await auth.authenticate(deps, mine.token))!;
      const ctx: RequestCtx = { ...anonymous, actor: signedIn.actor };
      const change = (current: string, next: string) =>
        auth.changePassword(deps, ctx, signedIn.sessionId, current, next);
      expect(await refusal(change('nope-1234', 'New-pass-456'))).toEqual({
        code: 'WRONG_PASSWORD',
        status: 400,
        field: 'currentPassword',
      });
      expect(await refusal(change(USER_PASSWORD, 'abcdefgh'))).toMatchObject({ status: 400, field: 'newPassword' });
      await change(USER_PASSWORD, 'New-pass-456');
      expect(await auth.authenticate(deps, other.token)).toBeUndefined();
      expect((await auth.authenticate(deps, mine.token))?.actor.id).toBe(u.id);
      await auth.logout(deps, ctx, mine.token);
      expect(await auth.authenticate(deps, mine.token)).toBeUndefined();
      expect((await auth.login(deps, anonymous, u.username, 'New-pass-456')).userId).toBe(u.id);
    });

    it("removes the printed first password's file once admin has changed it, not when someone else does", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'anlan-initial-'));
      const file = join(dir, 'initial-admin-password');
      writeFileSync(file, `${ADMIN_PASSWORD}\n`);
      const withFile = { ...deps, initialPasswordFile: file };
      const signIn = async (username: string, password: string) => {
        const a = (await auth.authenticate(deps, (await auth.login(deps, anonymous, username, password)).token))!;
        return { ctx: { ...anonymous, actor: a.actor }, session: a.sessionId };
      };
      try {
        const u = await makeUser(t.platform, 'viewer', 'yjj', 'city');
        const other = await signIn(u.username, USER_PASSWORD);
        await auth.changePassword(withFile, other.ctx, other.session, USER_PASSWORD, 'Other-pass-789');
        expect(existsSync(file)).toBe(true);
        const admin = await signIn('admin', ADMIN_PASSWORD);
        await auth.changePassword(withFile, admin.ctx, admin.session, ADMIN_PASSWORD, 'Admin-pass-789');
        expect(existsSync(file)).toBe(false);
        // (back to the password the other tests sign in with)
        const again = await signIn('admin', 'Admin-pass-789');
        await auth.changePassword(deps, again.ctx, again.session, 'Admin-pass-789', ADMIN_PASSWORD);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('user administration', () => {
    it('creates users, names bad fields, masks phones for those without personal.read', async () => {
      const access = t.platform.access;
      const body = {
        username: `zhang${Date.now()}`,
        displayName: '张三',
        phone: '13800001111',
        unitCode: '371003',
        roles: ['district_staff'],
        scope: 'district' as const,
        password: 'Strong-pass-1',
      };
      expect((await access.createUser(admin, body)).unitName).toBe('文登区');
      expect(await refusal(access.createUser(admin, body))).toEqual({
        code: 'DUPLICATE',
        status: 409,
        field: 'username',
      });
      const badUnit = await refusal(access.createUser(admin, { ...body, username: 'other_x', unitCode: 'nowhere' }));
      expect(badUnit).toMatchObject({ status: 400, field: 'unitCode' });
      const badRole = await refusal(access.createUser(admin, { ...body, username: 'other_y', roles: ['king'] }));
      expect(badRole).toMatchObject({ status: 400, field: 'roles.0' });
      expect((await access.listUsers(admin, { q: body.username })).items[0].phone).toBe('13800001111');
      // a role that manages users without personal.read sees phones masked
      const roles = await access.listRoles();
      const viewer = roles.find((x) => x.code === 'viewer')!;
      const widened = await access.updateRole(admin, 'viewer', [...viewer.permissions, 'org.manage'], viewer.version);
      try {
        expect(widened.permissions).toContain('org.manage');
        const v = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
        expect(v.actor.permissions.has('org.manage')).toBe(true);
        expect((await access.listUsers(v, { q: body.username })).items[0].phone).toBe('138****1111');
        expect(await refusal(access.updateRole(admin, 'viewer', viewer.permissions, viewer.version))).toEqual({
          code: 'VERSION_CONFLICT',
          status: 409,
          field: 'version',
        });
      } finally {
        await access.updateRole(admin, 'viewer', viewer.permissions, viewer.version + 1);
      }
      // the administrator role holds everything and is not edited
      const adminRole = roles.find((x) => x.code === 'admin')!;
      const permissions = access.permissions();
      expect([...adminRole.permissions].sort()).toEqual(permissions.map((p) => p.code).sort());
      expect(permissions.find((p) => p.code === 'closures.manage')).toMatchObject({
        module: 'geo',
        zh: '登记和解除道路封闭',
      });
      expect(await refusal(access.updateRole(admin, 'admin', [], adminRole.version))).toMatchObject({
        code: 'ROLE_FIXED',
      });
    });

    it('refuses user and role administration below the route to those without org.manage', async () => {
      const access = t.platform.access;
      const duty = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
      const viewer = (await access.listRoles()).find((x) => x.code === 'viewer')!;
      const forbidden = { code: 'FORBIDDEN', status: 403 };
      expect(await refusal(access.listUsers(duty, {}))).toEqual(forbidden);
      expect(await refusal(access.updateRole(duty, 'viewer', [], viewer.version))).toEqual(forbidden);
      const someone = (await access.listUsers(admin, { limit: 1 })).items[0];
      expect(await refusal(access.updateUser(duty, someone.id, { version: 1, displayName: 'x' }))).toEqual(forbidden);
      const body = {
        username: 'nobody_x',
        displayName: 'x',
        unitCode: '371003',
        roles: ['viewer'],
        scope: 'district' as const,
        password: 'Strong-pass-1',
      };
      expect(await refusal(access.createUser(duty, body))).toEqual(forbidden);
      expect((await access.listRoles()).find((x) => x.code === 'viewer')!.permissions).toEqual(viewer.permissions);
    });
  });
});

// ───────────────────────────── the HTTP path ─────────────────────────────
describe('organisation over HTTP', () => {
  let t: TestApp;
  let admin: { token: string; csrf: string; cookie: string };
  beforeAll(async () => {
    t = app;
    admin = await t.login('admin', ADMIN_PASSWORD);
  });

  it('signing in returns a token, a CSRF token and the user, and sets an HttpOnly cookie', async () => {
    const r = await t.api('POST', '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.token).toBeTruthy();
    expect(b.csrfToken).toBeTruthy();
    expect(b.user.username).toBe('admin');
    expect(b.user.roles).toEqual(['admin']);
    expect(String(r.headers['set-cookie'])).toMatch(/anlan_session=.*HttpOnly/i);
    const me = (await t.api('GET', '/api/v1/auth/me', { token: b.token })).json();
    expect(me.user.permissions).toContain('org.manage');
  });

  it('API tokens work as a bearer token without CSRF, are stored hashed, and stop working when revoked', async () => {
    const created = await t.api('POST', '/api/v1/auth/tokens', { token: admin.token, body: { name: '雨量站网关' } });
    expect(created.statusCode).toBe(200);
    const { token, id } = created.json();
    expect(token).toMatch(/^anl_/);
    const stored = await t.db.kysely
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token })).statusCode).toBe(200);
    expect((await t.api('DELETE', `/api/v1/auth/tokens/${id}`, { token: admin.token })).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token })).statusCode).toBe(401);
  });

  it('creates a user with 201 and its Location; a duplicate is 409 naming the field', async () => {
    const body = {
      username: `li${Date.now()}`,
      displayName: '李四',
      phone: '13800002222',
      unitCode: '371003',
      roles: ['district_staff'],
      scope: 'district',
      password: 'Strong-pass-1',
    };
    const r = await t.api('POST', '/api/v1/org/users', { token: admin.token, body });
    expect(r.statusCode).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/org/users/${r.json().id}`);
    const dup = await t.api('POST', '/api/v1/org/users', { token: admin.token, body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('username');
  });

  it('user administration is for administrators only', async () => {
    const duty = await t.loginAs('duty_officer');
    expect((await t.api('GET', '/api/v1/org/users', { token: duty.token })).statusCode).toBe(403);
  });
});
