import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, openTestApp, type TestApp, USER_PASSWORD } from '../../test/helpers.ts';
import { freshDatabase } from '../../test/template.ts';
import { emitEvent } from '../events/events.ts';
import { invalidateAuthCache } from './auth.service.ts';
import { hashToken } from './tokens.ts';

let t: TestApp;
let admin: { token: string };
beforeAll(async () => {
  // Smaller budgets than the defaults (20 per address, 10 per name): the same rules with fewer argon2 hashes.
  t = await openTestApp(await freshDatabase(), {}, { loginLimits: { perAddress: 6, perUser: 8 } });
  admin = await t.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.stop());

/** A sign-in from a client address of its own (the throttle counts per address). */
function loginFrom(address: string, username: string, password: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: address,
    headers: { 'accept-language': 'en' },
    payload: { username, password },
  });
}

let n = 0;
/** A different documentation-range address per call. */
const nextAddress = () => `198.51.${100 + Math.floor(++n / 250)}.${n % 250}`;

describe('the sign-in lockout', () => {
  it('holds against parallel wrong passwords: at most four are checked, then even the right one is refused', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const me = (await t.api('GET', '/api/v1/auth/me', { token: u.token })).json().user;
    // Seven, from seven addresses: within what the per-name throttle lets through, so the count itself is tested.
    const replies = await Promise.all(
      Array.from({ length: 7 }, (_, k) => loginFrom(nextAddress(), me.username, `wrong-pass-${k}`)),
    );
    const codes = replies.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c === 200)).toHaveLength(0);
    expect(codes).toContain(423);
    const right = await loginFrom(nextAddress(), me.username, USER_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('locks a name that does not exist exactly as an existing one, with the same replies', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const me = (await t.api('GET', '/api/v1/auth/me', { token: u.token })).json().user;
    const ghost = `ghost_${Date.now()}`;
    const replies = async (name: string) => {
      const out: [number, string][] = [];
      for (let k = 0; k < 6; k++) {
        const r = await loginFrom(nextAddress(), name, 'wrong-pass-1');
        out.push([r.statusCode, r.json().error.code]);
      }
      return out;
    };
    const existing = await replies(me.username);
    const unknown = await replies(ghost);
    expect(unknown).toEqual(existing);
    expect(unknown.map(([s]) => s)).toEqual([401, 401, 401, 401, 423, 423]);
    // Counted under the name as typed, whatever its case and spaces.
    expect((await loginFrom(nextAddress(), ` ${ghost.toUpperCase()} `, 'x')).statusCode).toBe(423);
  });

  it('throttles one address trying many names (429 with the seconds to wait), not the others', async () => {
    const address = nextAddress();
    const codes: number[] = [];
    let throttled: Awaited<ReturnType<typeof loginFrom>> | undefined;
    for (let k = 0; k < 10 && !throttled; k++) {
      const r = await loginFrom(address, `sprayed_${k}_${Date.now()}`, 'wrong-pass-1');
      codes.push(r.statusCode);
      if (r.statusCode === 429) throttled = r;
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429]);
    expect(throttled?.json().error.code).toBe('TOO_MANY_REQUESTS');
    const seconds = Number(throttled?.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(throttled?.json().error.message).toContain(`${seconds} s`);
    // The right password from that address waits too; another address is not held up.
    expect((await loginFrom(address, 'admin', ADMIN_PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom(nextAddress(), 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('throttles one name tried from many addresses before the database is asked', async () => {
    const name = `target_${Date.now()}`;
    const codes: number[] = [];
    for (let k = 0; k < 10; k++) codes.push((await loginFrom(nextAddress(), name, 'wrong-pass-1')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 423, 423, 423, 423, 429, 429]);
  });

  it('does not count successful sign-ins against an address (an office behind one address)', async () => {
    const address = nextAddress();
    for (let k = 0; k < 8; k++) expect((await loginFrom(address, 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });
});

describe("an administrator's decision ends sessions", () => {
  it('a password reset signs the user out everywhere', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const other = await t.login((await t.api('GET', '/api/v1/auth/me', { token: u.token })).json().user.username);
    const reset = await t.api('PATCH', `/api/v1/org/users/${u.id}`, {
      token: admin.token,
      body: { password: 'Reset-pass-99' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: other.token })).statusCode).toBe(401);
  });

  it('a disable signs the user out, and a later enable does not bring the sessions back', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const patch = (body: object) => t.api('PATCH', `/api/v1/org/users/${u.id}`, { token: admin.token, body });
    expect((await patch({ disabled: true })).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
    expect((await patch({ disabled: false })).statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
  });

  it("refuses a disabled user's API tokens while the user is disabled", async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const { token } = (
      await t.api('POST', '/api/v1/auth/tokens', { token: admin.token, body: { name: 'gateway', userId: u.id } })
    ).json();
    const patch = (body: object) => t.api('PATCH', `/api/v1/org/users/${u.id}`, { token: admin.token, body });
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token })).statusCode).toBe(200);
    await patch({ disabled: true });
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token })).statusCode).toBe(401);
    // A device's token is no session: enabling the user again lets it work (revoke it to end it).
    await patch({ disabled: false });
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token })).statusCode).toBe(200);
  });
});

describe('a password set by an administrator', () => {
  it('allows only reading oneself, signing out and changing it, until its owner changes it', async () => {
    const username = `fresh_${Date.now()}`;
    const created = await t.api('POST', '/api/v1/org/users', {
      token: admin.token,
      body: {
        username,
        displayName: '新用户',
        unitCode: 'yjj',
        roles: ['duty_officer'],
        scope: 'city',
        password: 'Given-pass-1',
      },
    });
    expect(created.json().mustChangePassword).toBe(true);
    const s = await t.login(username, 'Given-pass-1');
    const me = await t.api('GET', '/api/v1/auth/me', { token: s.token });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mustChangePassword).toBe(true);
    for (const [method, url] of [
      ['GET', '/api/v1/incidents?limit=1'],
      ['GET', '/api/v1/org/units'],
      ['GET', '/api/v1/auth/tokens'],
      ['GET', '/api/openapi.json'],
    ]) {
      const r = await t.api(method, url, { token: s.token, headers: { 'accept-language': 'en' } });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code, url).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    // the session may be kept alive while its owner chooses the new password
    expect((await t.api('POST', '/api/v1/auth/refresh', { token: s.token })).statusCode).toBe(200);
    // The browser's way: the cookie, with the CSRF token, and the forced change.
    const changed = await t.api('POST', '/api/v1/auth/password', {
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: { currentPassword: 'Given-pass-1', newPassword: 'Own-pass-22' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.api('GET', '/api/v1/incidents?limit=1', { token: s.token })).statusCode).toBe(200);
  });
});

describe('the authentication cache', () => {
  it("is dropped on another instance's change, delivered as an internal event, not after a delay", async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(200);
    // Another instance disables the user: its transaction writes the change and the event; this one only polls.
    await t.db.transaction(async (trx) => {
      await sql`update users set disabled = true where id = ${u.id}`.execute(trx);
      await sql`delete from sessions where user_id = ${u.id}`.execute(trx);
      await emitEvent(trx, new Date(), {
        type: 'auth.changed',
        entity: 'user',
        entityId: u.id,
        payload: { reason: 'user.disabled' },
        visibility: { permission: 'org.manage', internal: true },
      });
    });
    await t.bus.kick();
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
  });

  it('every change that affects authentication writes an internal event in its transaction', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const { seq: before } = await t.db.kysely
      .selectFrom('outbox')
      .select((eb) => eb.fn.coalesce(eb.fn.max('seq'), eb.lit(0)).as('seq'))
      .executeTakeFirstOrThrow();
    await t.api('PATCH', `/api/v1/org/users/${u.id}`, { token: admin.token, body: { disabled: true } });
    const roles = (await t.api('GET', '/api/v1/org/roles', { token: admin.token })).json().items;
    const viewer = roles.find((r: { code: string }) => r.code === 'viewer');
    await t.api('PATCH', '/api/v1/org/roles/viewer', {
      token: admin.token,
      body: { permissions: viewer.permissions, version: viewer.version },
    });
    const { id } = (await t.api('POST', '/api/v1/auth/tokens', { token: admin.token, body: { name: 'x' } })).json();
    await t.api('DELETE', `/api/v1/auth/tokens/${id}`, { token: admin.token });
    const s = await t.login('admin', ADMIN_PASSWORD);
    await t.api('POST', '/api/v1/auth/logout', { token: s.token });
    const events = await t.db.kysely
      .selectFrom('outbox')
      .select(['type', 'entity', 'payload', 'visibility'])
      .where('seq', '>', Number(before))
      .where('type', '=', 'auth.changed')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'user.disabled',
      'role.updated',
      'token.revoked',
      'auth.logout',
    ]);
    expect(events.every((e) => (e.visibility as { internal?: boolean }).internal === true)).toBe(true);
  });
});

describe("the session's end (issue 9 §3: warn before it, extend it, nothing lost)", () => {
  const HOUR = 3600_000;
  /** moves the session's end as the clock would, and forgets what the cache remembers of it */
  async function endsIn(token: string, ms: number) {
    await t.platform.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() + ms), last_seen_at: new Date() })
      .where('token_hash', '=', hashToken(token))
      .execute();
    invalidateAuthCache();
  }
  const expiresAt = (r: { json(): { sessionExpiresAt?: string } }) => Date.parse(r.json().sessionExpiresAt ?? '');

  it('tells the browser when the session ends, in the reply and on every answer', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    const me = await t.api('GET', '/api/v1/auth/me', { token: u.token });
    expect(expiresAt(me) - Date.now()).toBeGreaterThan(11.9 * HOUR);
    await endsIn(u.token, 4 * 60_000);
    const list = await t.api('GET', '/api/v1/incidents?limit=1', { token: u.token });
    const left = Date.parse(String(list.headers['x-session-expires'])) - Date.now();
    expect(left).toBeGreaterThan(3 * 60_000);
    expect(left).toBeLessThan(5 * 60_000);
  });

  it('"continue working" extends a session about to end by its whole lifetime, and renews the cookie', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    await endsIn(u.token, 2 * 60_000);
    expect(expiresAt(await t.api('GET', '/api/v1/auth/me', { token: u.token })) - Date.now()).toBeLessThan(3 * 60_000);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { cookie: u.cookie, 'x-csrf-token': u.csrf },
    });
    expect(r.statusCode).toBe(200);
    expect(expiresAt(r) - Date.now()).toBeGreaterThan(11.9 * HOUR);
    expect(String(r.headers['set-cookie'])).toMatch(/anlan_session=.*Max-Age=43200/);
    expect(expiresAt(await t.api('GET', '/api/v1/auth/me', { token: u.token })) - Date.now()).toBeGreaterThan(
      11.9 * HOUR,
    );
  });

  it('an ended session cannot be extended: 401, and the user signs in again', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    await endsIn(u.token, -1000);
    expect((await t.api('POST', '/api/v1/auth/refresh', { token: u.token })).statusCode).toBe(401);
    expect((await t.api('GET', '/api/v1/auth/me', { token: u.token })).statusCode).toBe(401);
  });
});

describe("the session cookie's lifetime", () => {
  it('is given the whole lifetime again as the session slides, so a busy user is not signed out 12 h after sign-in', async () => {
    const u = await t.userWith('viewer', 'yjj', 'city');
    // last used two minutes ago: this request moves the session's end, and the cookie's
    await t.platform.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 120_000) })
      .where('token_hash', '=', hashToken(u.token))
      .execute();
    invalidateAuthCache();
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=1', headers: { cookie: u.cookie } });
    expect(r.statusCode).toBe(200);
    expect(String(r.headers['set-cookie'])).toMatch(/anlan_session=.*Max-Age=43200/);
    // within the minute nothing is written, and no cookie is sent again
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents?limit=1',
      headers: { cookie: u.cookie },
    });
    expect(again.headers['set-cookie']).toBeUndefined();
    // a bearer caller has no cookie to renew
    const bearer = await t.api('GET', '/api/v1/incidents?limit=1', { token: u.token });
    expect(bearer.headers['set-cookie']).toBeUndefined();
  });
});
