import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';
import { verifyAudit } from './audit.ts';

let t: TestApp;
let admin: { token: string };
beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin', ADMIN_PASSWORD);
});
afterAll(() => t.stop());

describe('the audit trail', () => {
  it('records every write with actor, before and after, request id and address', async () => {
    const created = (
      await t.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody({ title: '审计' }) })
    ).json();
    await t.api('PATCH', `/api/v1/incidents/${created.id}`, { token: admin.token, body: { title: '审计2' } });
    const r = (
      await t.api('GET', `/api/v1/audit?entity=incident&entityId=${created.id}`, { token: admin.token })
    ).json();
    expect(r.total).toBe(2);
    const [update, create] = r.items;
    expect(create.action).toBe('incident.created');
    expect(update.action).toBe('incident.updated');
    expect(update.before.title).toBe('审计');
    expect(update.after.title).toBe('审计2');
    expect(update.actorName).toBe('系统管理员');
    expect(update.requestId).toBeTruthy();
    expect(update.address).toBeTruthy();
  });

  it('is append-only: the database refuses updates and deletes', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db.kysely)).rejects.toThrow(/append-only/);
  });

  it('verification finds an intact chain, then the first row edited behind its back', async () => {
    for (let k = 0; k < 3; k++)
      await t.api('POST', '/api/v1/incidents', { token: admin.token, body: incidentBody({ title: `链 ${k}` }) });
    const ok = await verifyAudit(t.db);
    expect(ok.firstTampered).toBeNull();
    expect(ok.checked).toBeGreaterThan(4);
    const rows = await t.db.kysely.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    const victim = rows[Math.floor(rows.length / 2)].seq;
    // Someone with database access edits a row, going around the trigger.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db.kysely);
    await sql`update audit_log set actor_name = 'someone else' where seq = ${victim}`.execute(t.db.kysely);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db.kysely);
    const bad = await verifyAudit(t.db);
    expect(bad.firstTampered).toEqual({ seq: victim, reason: 'content' });
    expect(ok.head?.hash).toMatch(/^[0-9a-f]{64}$/);
    const viaApi = (await t.api('GET', '/api/v1/audit/verify', { token: admin.token })).json();
    expect(viaApi.firstTampered.seq).toBe(victim);
  });

  it('masks personal fields in before and after for readers without personal.read, as everywhere else', async () => {
    const incident = (
      await t.api('POST', '/api/v1/incidents', {
        token: admin.token,
        body: incidentBody({ reporter: { name: '李四', unit: '村委', phone: '13912345678' } }),
      })
    ).json();
    await t.api('PATCH', `/api/v1/incidents/${incident.id}`, {
      token: admin.token,
      body: { reporter: { name: '李四', unit: '村委', phone: '13987654321' } },
    });
    const username = `masked_${Date.now()}`;
    const user = (
      await t.api('POST', '/api/v1/org/users', {
        token: admin.token,
        body: {
          username,
          displayName: '王五',
          phone: '13700001111',
          unitCode: 'yjj',
          roles: ['viewer'],
          scope: 'city',
          password: 'Given-pass-1',
        },
      })
    ).json();
    const auditor = await t.userWith('auditor', 'szfb', 'city');
    const read = async (token: string, entity: string, id: string) =>
      (await t.api('GET', `/api/v1/audit?entity=${entity}&entityId=${id}`, { token })).json().items;
    const seen = JSON.stringify([
      ...(await read(auditor.token, 'incident', incident.id)),
      ...(await read(auditor.token, 'user', user.id)),
    ]);
    for (const phone of ['13912345678', '13987654321', '13700001111']) expect(seen).not.toContain(phone);
    expect(seen).toContain('139****5678');
    expect(seen).toContain('139****4321');
    expect(seen).toContain('137****1111');
    // An administrator holds personal.read and sees them whole.
    const whole = JSON.stringify(await read(admin.token, 'incident', incident.id));
    expect(whole).toContain('13987654321');
  });

  it('only auditors and administrators read it', async () => {
    const duty = await t.userWith('duty_officer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/audit', { token: duty.token })).statusCode).toBe(403);
    const auditor = await t.userWith('auditor', 'szfb', 'city');
    expect((await t.api('GET', '/api/v1/audit?limit=5', { token: auditor.token })).json().items).toHaveLength(5);
  });
});
