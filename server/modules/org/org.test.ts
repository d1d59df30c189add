import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp, USER_PASSWORD } from '../../test/helpers.ts';

let t: TestApp;
let admin: { token: string; csrf: string; cookie: string };
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.stop());

describe('organisation units', () => {
  it('lists the city, four districts, four zones and the departments with stable codes', async () => {
    const r = (await t.api('GET', '/api/v1/org/units', { token: admin.token })).json();
    const byCode = new Map(r.items.map((u: { code: string }) => [u.code, u]));
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
    expect(r.items.filter((u: { kind: string }) => u.kind === 'district')).toHaveLength(4);
    expect(r.items.filter((u: { kind: string }) => u.kind === 'zone')).toHaveLength(4);
    expect((byCode.get('371002') as { hasBoundary: boolean }).hasBoundary).toBe(true);
    expect((byCode.get('gaoqu') as { hasBoundary: boolean }).hasBoundary).toBe(false);
  });
});

describe('signing in', () => {
  it('returns a token, a CSRF token and the user, and sets an HttpOnly cookie', async () => {
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

  it('locks the account after five wrong passwords, and an admin reset lifts the lock', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const me = (await t.api('GET', '/api/v1/auth/me', { token: u.token })).json().user;
    for (let k = 0; k < 4; k++) {
      const r = await t.api('POST', '/api/v1/auth/login', { body: { username: me.username, password: 'wrong-1234' } });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await t.api('POST', '/api/v1/auth/login', {
      body: { username: me.username, password: 'wrong-1234' },
    });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await t.api('POST', '/api/v1/auth/login', {
      body: { username: me.username, password: USER_PASSWORD },
    });
    expect(right.statusCode).toBe(423);
    const reset = await t.api('PATCH', `/api/v1/org/users/${me.id}`, {
      token: admin.token,
      body: { password: 'Reset-pass-99' },
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().mustChangePassword).toBe(true);
    expect(
      (await t.api('POST', '/api/v1/auth/login', { body: { username: me.username, password: 'Reset-pass-99' } }))
        .statusCode,
    ).toBe(200);
  });

  it('changes the password, ends the other sessions, and logs out', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const me = (await t.api('GET', '/api/v1/auth/me', { token: u.token })).json().user;
    const other = await t.login(me.username);
    const wrong = await t.api('POST', '/api/v1/auth/password', {
      token: u.token,
      body: { currentPassword: 'nope-1234', newPassword: 'New-pass-456' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('currentPassword');
    const weak = await t.api('POST', '/api/v1/auth/password', {
      token: u.token,
      body: { currentPassword: USER_PASSWORD, newPassword: 'abcdefgh' },
    });
    expect(weak.json().error.field).toBe('newPassword');
    const ok = await t.api('POST', '/api/v1/auth/password', {
      token: u.token,
      body: { currentPassword: USER_PASSWORD, newPassword: 'New-pass-456' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/auth/me', { token: other.token })).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(200);
    await t.api('POST', '/api/v1/auth/logout', { token: u.token });
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
    await t.login(me.username, 'New-pass-456');
  });
});

describe('API tokens for devices and integrations', () => {
  it('works as a bearer token without CSRF, is stored hashed, and stops working when revoked', async () => {
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
});

describe('user administration', () => {
  it('creates users, names bad fields, masks phones for those without personal.read', async () => {
    const body = {
      username: `zhang${Date.now()}`,
      displayName: '张三',
      phone: '13800001111',
      unitCode: '371003',
      roles: ['district_staff'],
      scope: 'district',
      password: 'Strong-pass-1',
    };
    const r = await t.api('POST', '/api/v1/org/users', { token: admin.token, body });
    expect(r.statusCode).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/org/users/${r.json().id}`);
    expect(r.json().unitName).toBe('文登区');
    const dup = await t.api('POST', '/api/v1/org/users', { token: admin.token, body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('username');
    const badUnit = await t.api('POST', '/api/v1/org/users', {
      token: admin.token,
      body: { ...body, username: 'other_x', unitCode: 'nowhere' },
    });
    expect(badUnit.json().error.field).toBe('unitCode');
    const badRole = await t.api('POST', '/api/v1/org/users', {
      token: admin.token,
      body: { ...body, username: 'other_y', roles: ['king'] },
    });
    expect(badRole.json().error.field).toBe('roles.0');
    const list = (await t.api('GET', `/api/v1/org/users?q=${body.username}`, { token: admin.token })).json();
    expect(list.items[0].phone).toBe('13800001111');
    // a role that manages users without personal.read sees phones masked
    const roles = (await t.api('GET', '/api/v1/org/roles', { token: admin.token })).json().items;
    const viewer = roles.find((x: { code: string }) => x.code === 'viewer');
    const widened = await t.api('PATCH', '/api/v1/org/roles/viewer', {
      token: admin.token,
      body: { permissions: [...viewer.permissions, 'org.manage'], version: viewer.version },
    });
    expect(widened.statusCode).toBe(200);
    const v = await t.userWith('viewer', 'yjj', 'city');
    const masked = (await t.api('GET', `/api/v1/org/users?q=${body.username}`, { token: v.token })).json();
    expect(masked.items[0].phone).toBe('138****1111');
    const stale = await t.api('PATCH', '/api/v1/org/roles/viewer', {
      token: admin.token,
      body: { permissions: viewer.permissions, version: viewer.version },
    });
    expect(stale.statusCode).toBe(409);
    await t.api('PATCH', '/api/v1/org/roles/viewer', {
      token: admin.token,
      body: { permissions: viewer.permissions, version: viewer.version + 1 },
    });
    // the administrator role holds everything and is not edited
    const adminRole = roles.find((x: { code: string }) => x.code === 'admin');
    const permissions = (await t.api('GET', '/api/v1/org/permissions', { token: admin.token })).json().items;
    expect([...adminRole.permissions].sort()).toEqual(permissions.map((p: { code: string }) => p.code).sort());
    expect(permissions.find((p: { code: string }) => p.code === 'closures.manage')).toMatchObject({
      module: 'geo',
      name: '登记和解除道路封闭',
    });
    const fixed = await t.api('PATCH', '/api/v1/org/roles/admin', {
      token: admin.token,
      body: { permissions: [], version: adminRole.version },
    });
    expect(fixed.json().error.code).toBe('ROLE_FIXED');
  });

  it('is for administrators only', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/org/users', { token: duty.token })).statusCode).toBe(403);
  });
});
