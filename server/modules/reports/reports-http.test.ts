// The HTTP paths of the reports module: an incident's schedule beside the incidents' own routes, the level change
// that re-plans it, closing and the final report, the .docx route beside the report's JSON, and the due list.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';

const MIN = 60_000;
const H = 3_600_000;
let t: TestApp;
let duty: { token: string };
let commander: { token: string };
let clockNow = Date.now();
let realNow: (() => Date) | undefined;

beforeAll(async () => {
  t = await startTestApp();
  duty = await t.loginAs('duty_officer');
  commander = await t.loginAs('commander');
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clockNow);
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await t?.stop();
});

describe('an incident’s reports over HTTP', () => {
  it('re-plans on a level rise, ends updates at closing, drafts and downloads the final report', async () => {
    const start = clockNow;
    const created = await t.api('POST', '/api/v1/incidents', {
      token: duty.token,
      body: incidentBody({ occurredAt: new Date(start - 10 * MIN).toISOString(), casualties: { deaths: 1 } }),
    });
    expect(created.statusCode).toBe(201);
    const i = created.json();
    const reported = Date.parse(i.reportedAt);
    await t.bus.settle(['reports.levels']);
    const schedule = async () => {
      const r = await t.api('GET', `/api/v1/incidents/${i.id}/reports`, { token: duty.token });
      expect(r.statusCode).toBe(200);
      return r.json().items as { kind: string; seq: number; dueAt: string; status: string; id: string | null }[];
    };
    const hours = (s: { dueAt: string }) => (Date.parse(s.dueAt) - reported) / H;

    // sessions last 12 hours: sign in again at the moved time
    const moveTo = async (ms: number) => {
      clockNow = ms;
      duty = await t.loginAs('duty_officer');
      commander = await t.loginAs('commander');
    };
    await moveTo(start + 30 * H);
    expect((await schedule()).map((s) => [s.kind, s.seq, hours(s), s.status])).toEqual([
      ['initial', 1, 1, 'overdue'],
      ['update', 1, 25, 'overdue'],
      ['update', 2, 49, 'due'],
    ]);
    // 12 deaths: level II from now on; the update not yet due comes 12 hours after update 1, at 37 h
    const raised = await t.api('PATCH', `/api/v1/incidents/${i.id}`, {
      token: duty.token,
      body: { casualties: { deaths: 12 } },
    });
    expect(raised.json().level).toBe('II');
    await t.bus.settle(['reports.levels']);
    expect((await schedule()).map((s) => [s.kind, s.seq, hours(s)])).toEqual([
      ['initial', 1, 1],
      ['update', 1, 25],
      ['update', 2, 37],
    ]);
    const due = await t.api('GET', '/api/v1/reports/due?withinHours=24', { token: duty.token });
    expect(
      due
        .json()
        .items.filter((d: { incidentId: string }) => d.incidentId === i.id)
        .map((d: { kind: string; status: string }) => `${d.kind} ${d.status}`),
    ).toEqual(['initial overdue', 'update overdue', 'update due']);

    // closed at 31 h: no update after it; the final report 3 days on, issued on the closed incident
    await moveTo(start + 31 * H);
    const closed = await t.api('POST', `/api/v1/incidents/${i.id}/transitions`, {
      token: duty.token,
      body: { to: 'closed', note: '处置完毕' },
    });
    expect(closed.json().closedAt).toBe(new Date(clockNow).toISOString());
    const after = await schedule();
    expect(after.map((s) => s.kind)).toEqual(['initial', 'update', 'final']);
    expect(Date.parse(after[2].dueAt)).toBe(clockNow + 72 * H);
    const update = await t.api('POST', `/api/v1/incidents/${i.id}/reports`, {
      token: duty.token,
      body: { kind: 'update' },
    });
    expect(update.statusCode).toBe(409);
    expect(update.json().error).toMatchObject({ code: 'INCIDENT_CLOSED', field: 'status' });
    const final = await t.api('POST', `/api/v1/incidents/${i.id}/reports`, {
      token: duty.token,
      body: { kind: 'final' },
    });
    expect(final.statusCode).toBe(201);
    const f = final.json();
    const issued = await t.api('POST', `/api/v1/incidents/${i.id}/reports/${f.id}/issue`, {
      token: commander.token,
      body: { version: f.version },
    });
    expect(issued.statusCode).toBe(200);
    expect(issued.json().issuedVersions).toBe(1);

    // the .docx beside the report's JSON
    const json = await t.api('GET', `/api/v1/incidents/${i.id}/reports/${f.id}`, { token: duty.token });
    expect(json.json()).toMatchObject({ id: f.id, kind: 'final' });
    const docx = await t.api('GET', `/api/v1/incidents/${i.id}/reports/${f.id}.docx?version=1`, { token: duty.token });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(String(docx.headers['content-disposition'])).toContain(encodeURIComponent(`${i.number}-终报-v1.docx`));
    const zip = await JSZip.loadAsync(docx.rawPayload);
    expect(await zip.file('word/document.xml')!.async('string')).toContain(i.number);
    const missing = await t.api('GET', `/api/v1/incidents/${i.id}/reports/${f.id}.docx?version=2`, {
      token: duty.token,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.field).toBe('version');
    await moveTo(start);
  });

  it('keeps the clocks for those who may change them', async () => {
    const viewer = await t.loginAs('viewer');
    duty = await t.loginAs('duty_officer');
    commander = await t.loginAs('commander');
    const read = await t.api('GET', '/api/v1/reports/clocks', { token: viewer.token });
    expect(read.statusCode).toBe(200);
    const body = { clocks: read.json().clocks, reminderMinutes: 20, sitrepTimes: ['08:00'] };
    expect((await t.api('PUT', '/api/v1/reports/clocks', { token: duty.token, body })).statusCode).toBe(403);
    const bad = await t.api('PUT', '/api/v1/reports/clocks', {
      token: commander.token,
      body: { ...body, sitrepTimes: ['25:00'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('sitrepTimes.0');
  });
});
