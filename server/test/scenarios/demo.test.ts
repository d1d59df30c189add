import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../../contracts/org.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../modules/org/index.ts';
import { MODULES } from '../../modules.ts';
import { bringUp, createPlatform } from '../../platform/platform.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ANLAN_DEMO: '1' });
}, 300_000);
afterAll(() => t.stop());

describe('the Weihai demo dataset', () => {
  it('has one demo account per role besides admin, each able to sign in', async () => {
    const roles = new Set(DEMO_USERS.map((u) => u.role));
    expect([...roles, 'admin'].sort()).toEqual([...ROLES].sort());
    for (const u of DEMO_USERS) {
      const s = await t.login(u.username, DEMO_PASSWORD);
      const me = (await t.api('GET', '/api/v1/auth/me', { token: s.token })).json().user;
      expect(me.roles).toEqual([u.role]);
      expect(me.demo).toBe(true);
    }
  });

  it('has about twenty demo incidents of the past year, of every category, several levels and stages', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const list = (await t.api('GET', '/api/v1/incidents?limit=100', { token: admin.token })).json();
    expect(list.total).toBeGreaterThanOrEqual(18);
    expect(list.total).toBeLessThanOrEqual(25);
    const items = list.items as {
      demo: boolean;
      category: string;
      level: string | null;
      status: string;
      occurredAt: string;
      districtStatus: string;
      title: string;
      district: { code: string } | null;
      levelOverride: unknown;
    }[];
    expect(items.every((i) => i.demo)).toBe(true);
    expect(new Set(items.map((i) => i.category))).toEqual(
      new Set(['natural', 'accident', 'public_health', 'social_security']),
    );
    expect(new Set(items.map((i) => i.level))).toEqual(new Set(['II', 'III', 'IV', null]));
    expect(new Set(items.map((i) => i.status)).size).toBe(5);
    // the oil spill at sea off Weihai is in Huancui's waters (the demo's sea areas), not outside the city
    const spill = items.find((i) => i.title.includes('海上溢油'));
    expect(spill).toMatchObject({ districtStatus: 'sea', district: { code: '371002' } });
    expect(items.some((i) => i.levelOverride)).toBe(true);
    const yearAgo = Date.now() - 366 * 86_400_000;
    expect(
      items.every((i) => new Date(i.occurredAt).getTime() > yearAgo && new Date(i.occurredAt).getTime() <= Date.now()),
    ).toBe(true);
    expect((await t.api('GET', '/api/v1/system/info')).json().demo).toBe(true);
  });

  it('scopes the demo accounts: the Huancui district account sees only Huancui, the enterprise account its own reports', async () => {
    const hc = await t.login('huancui', DEMO_PASSWORD);
    const seen = (await t.api('GET', '/api/v1/incidents?limit=100', { token: hc.token })).json();
    expect(seen.total).toBeGreaterThan(0);
    expect(seen.items.every((i: { district: { code: string } | null }) => i.district?.code === '371002')).toBe(true);
    const ent = await t.login('enterprise', DEMO_PASSWORD);
    const me = (await t.api('GET', '/api/v1/auth/me', { token: ent.token })).json().user;
    expect(me.unitCode).toBe('demo-ent-1');
    expect((await t.api('GET', '/api/v1/incidents', { token: ent.token })).json().total).toBe(0);
  });

  it('has the command centre on shift: the demo duty officer and the commander as leader, no gap this month', async () => {
    const duty = await t.login('duty', DEMO_PASSWORD);
    const now = (await t.api('GET', '/api/v1/duty/on-shift', { token: duty.token })).json();
    expect(now.officers.map((o: { displayName: string }) => o.displayName)).toEqual(['李值班（演示）']);
    expect(now.leaders.map((o: { displayName: string }) => o.displayName)).toEqual(['王指挥（演示）']);
    const gaps = (await t.api('GET', '/api/v1/duty/gaps?unit=yjj&days=20', { token: duty.token })).json();
    expect(gaps.officer).toEqual([]);
    expect(gaps.leader).toEqual([]);
  });
});

describe('an interrupted demo load', () => {
  it('is finished by loading again, without doubles', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const count = async () => (await t.api('GET', '/api/v1/incidents?limit=1', { token: admin.token })).json().total;
    const before = await count();
    const registers = ['/api/v1/teams', '/api/v1/experts', '/api/v1/plans'];
    const totals = async () =>
      Promise.all(
        registers.map(async (u) => (await t.api('GET', `${u}?limit=1`, { token: admin.token })).json().total),
      );
    const registersBefore = await totals();
    // the demo marker is gone, as if the first start had stopped half-way through the demo
    await t.db.kysely.deleteFrom('settings').where('key', '=', 'demo.loaded').execute();
    await bringUp(await createPlatform(t.platform.config, MODULES, { db: t.db, clock: t.clock, ids: t.ids }));
    expect(await count()).toBe(before);
    // teams, experts and plans are not doubled either
    expect(registersBefore.every((n) => n > 0)).toBe(true);
    expect(await totals()).toEqual(registersBefore);
    const users = (await t.api('GET', '/api/v1/org/users?limit=500', { token: admin.token })).json();
    expect(users.items.filter((u: { demo: boolean }) => u.demo)).toHaveLength(DEMO_USERS.length);
  });
});
