// Duty at the service level: the gap arithmetic (pure, Beijing time, shifts crossing midnight, half-covered hours),
// a month generated from a rotation and who is on shift at two instants, the gaps of the next days with an injected
// clock and their alarm raised once, the roster import naming each bad row, a handover carrying its items and
// accepted by the incoming officer only, and the contact book found by pinyin initials with masked phones.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs, makeIncident, makeUser, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { SHIFT_COLUMNS, shiftImport } from './duty.import.ts';
import * as svc from './duty.service.ts';
import { HOUR, slotTimes, uncoveredHours } from './gaps.ts';
import type { DutyInternal } from './module.ts';

const at = (s: string) => Date.parse(s);

describe('gap arithmetic (pure)', () => {
  it('a slot ending at or before its start ends the next day, in Beijing time', () => {
    const night = slotTimes('2026-12-31', { start: '18:00', end: '08:00' });
    expect(night.startsAt.toISOString()).toBe('2026-12-31T10:00:00.000Z');
    expect(night.endsAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    const full = slotTimes('2026-12-01', { start: '08:00', end: '08:00' });
    expect((full.endsAt.getTime() - full.startsAt.getTime()) / HOUR).toBe(24);
  });

  it('day and night shifts that touch leave nothing between; the hours around them are gaps, merged', () => {
    const day = slotTimes('2026-12-01', { start: '08:00', end: '18:00' });
    const night = slotTimes('2026-12-01', { start: '18:00', end: '08:00' });
    const covered = [day, night].map((s) => ({ start: s.startsAt.getTime(), end: s.endsAt.getTime() }));
    const gaps = uncoveredHours(covered, at('2026-12-01T00:00:00+08:00'), at('2026-12-03T00:00:00+08:00'));
    expect(gaps.map((g) => [new Date(g.start).toISOString(), new Date(g.end).toISOString()])).toEqual([
      ['2026-11-30T16:00:00.000Z', '2026-12-01T00:00:00.000Z'], // 00:00–08:00 on the 1st
      ['2026-12-02T00:00:00.000Z', '2026-12-02T16:00:00.000Z'], // 08:00 on the 2nd – midnight
    ]);
  });

  it('an hour only partly covered is a gap; the window starts at the hour of "now"', () => {
    const covered = [{ start: at('2026-12-01T00:00:00+08:00'), end: at('2026-12-01T08:30:00+08:00') }];
    const gaps = uncoveredHours(covered, at('2026-12-01T07:20:00+08:00'), at('2026-12-01T10:00:00+08:00'));
    expect(gaps).toEqual([{ start: at('2026-12-01T08:00:00+08:00'), end: at('2026-12-01T10:00:00+08:00') }]);
    expect(uncoveredHours([], at('2026-12-01T00:00:00Z'), at('2026-12-01T03:00:00Z'))).toEqual([
      { start: at('2026-12-01T00:00:00Z'), end: at('2026-12-01T03:00:00Z') },
    ]);
  });
});

let t: TestPlatform;
let deps: svc.DutyDeps;
let duty: RequestCtx;
let viewer: RequestCtx;
let wendeng: RequestCtx;
let a: { id: string; displayName: string; username: string };
let b: { id: string; displayName: string; username: string };
let clockNow = at('2026-12-01T09:00:00+08:00');
let realNow: (() => Date) | undefined;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<DutyInternal>('duty').deps;
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clockNow);
  duty = await seededCtx(t.platform, 'duty_officer');
  viewer = await seededCtx(t.platform, 'viewer');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  a = await makeUser(t.platform, 'duty_officer', 'yjj', 'city');
  b = await makeUser(t.platform, 'duty_officer', 'yjj', 'city');
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await t?.stop();
});

const DAY_NIGHT = [
  { key: 'day', name: '白班', start: '08:00', end: '18:00' },
  { key: 'night', name: '夜班', start: '18:00', end: '08:00' },
];

describe('the roster', () => {
  let patternId: string;

  it('generates a month from a rotation; who is on shift changes at 18:00 and after midnight', async () => {
    const p = await svc.createPattern(deps, duty, { unit: 'yjj', name: '昼夜两班', slots: DAY_NIGHT });
    patternId = p.id;
    const made = await svc.generateMonth(deps, duty, {
      unit: 'yjj',
      patternId,
      month: '2026-12',
      role: 'officer',
      rotation: [a.id, b.id],
    });
    expect(made).toEqual({ created: 62, replaced: 0 });
    // a second run must say replace
    const again = await refusal(
      svc.generateMonth(deps, duty, { unit: 'yjj', patternId, month: '2026-12', role: 'officer', rotation: [a.id] }),
    );
    expect(again).toMatchObject({ code: 'DUTY_MONTH_HAS_SHIFTS', status: 409, field: 'replace' });

    const noon = await svc.onShift(deps, new Date(at('2026-12-01T12:00:00+08:00')));
    expect(noon.officers.map((o) => o.id)).toEqual([a.id]);
    // 02:00 on the 2nd is still the night shift of the 1st (crossing midnight)
    const night = await svc.onShift(deps, new Date(at('2026-12-02T02:00:00+08:00')));
    expect(night.officers.map((o) => o.id)).toEqual([b.id]);
    expect(night.leaders).toEqual([]);

    const { items } = await svc.listShifts(deps, duty, { unit: 'yjj', from: '2026-12-01', to: '2026-12-01' });
    expect(items.map((s) => [s.slot, s.user.id, s.endsAt])).toEqual([
      ['day', a.id, '2026-12-01T10:00:00.000Z'],
      ['night', b.id, '2026-12-02T00:00:00.000Z'],
    ]);
    // a district sees its own roster, not the city's
    expect((await refusal(svc.listShifts(deps, wendeng, { unit: 'yjj' }))).code).toBe('OUT_OF_SCOPE');
  });

  it('gaps of the next days: every hour without an officer, and apart without a leader; the alarm once', async () => {
    clockNow = at('2026-12-30T09:40:00+08:00');
    const g = await svc.gaps(deps, duty, { unit: 'yjj', days: 3 });
    expect(g.from).toBe('2026-12-30T01:00:00.000Z');
    // December is covered; the roster ends at 08:00 on 1 January
    expect(g.officer).toEqual([{ from: '2027-01-01T00:00:00.000Z', to: '2027-01-02T01:00:00.000Z', hours: 25 }]);
    expect(g.leader).toEqual([{ from: '2026-12-30T01:00:00.000Z', to: '2027-01-02T01:00:00.000Z', hours: 72 }]);
    // a deleted shift opens a gap inside the month
    const { items } = await svc.listShifts(deps, duty, { unit: 'yjj', from: '2026-12-30', to: '2026-12-30' });
    const nightShift = items.find((s) => s.slot === 'night')!;
    await svc.deleteShift(deps, duty, nightShift.id);
    const g2 = await svc.gaps(deps, duty, { unit: 'yjj', days: 3 });
    expect(g2.officer[0]).toEqual({ from: '2026-12-30T10:00:00.000Z', to: '2026-12-31T00:00:00.000Z', hours: 14 });

    const before = (await t.platform.alerts.listOpen(duty, { limit: 200 })).items.filter(
      (x) => x.source === 'duty_gap',
    );
    const raised = await svc.checkGaps(deps);
    expect(raised).toBeGreaterThanOrEqual(3); // the night's officer, the new year's officer, the leader
    const after = (await t.platform.alerts.listOpen(duty, { limit: 200 })).items.filter((x) => x.source === 'duty_gap');
    expect(after.length - before.length).toBe(raised);
    expect(after.some((x) => x.title.zh.includes('值班员') && x.title.zh.includes('2026-12-30 18:00'))).toBe(true);
    // claimed once: the next check raises nothing new
    expect(await svc.checkGaps(deps)).toBe(0);
    // the gap is closed again for the tests below
    await svc.createShift(deps, duty, {
      unit: 'yjj',
      date: '2026-12-30',
      patternId,
      slot: 'night',
      role: 'officer',
      userId: b.id,
    });
    clockNow = at('2026-12-01T09:00:00+08:00');
  });

  it('refuses a slot the pattern lacks, a repeated assignment, a pattern of another unit', async () => {
    const base = { unit: 'yjj', date: '2026-12-05', patternId, role: 'leader' as const, userId: a.id };
    expect(await refusal(svc.createShift(deps, duty, { ...base, slot: 'evening' }))).toMatchObject({
      code: 'DUTY_UNKNOWN_SLOT',
      field: 'slot',
    });
    await svc.createShift(deps, duty, { ...base, slot: 'day' });
    expect(await refusal(svc.createShift(deps, duty, { ...base, slot: 'day' }))).toMatchObject({
      code: 'DUTY_ALREADY_ASSIGNED',
      status: 409,
    });
    expect(await refusal(svc.createShift(deps, duty, { ...base, unit: '371002', slot: 'day' }))).toMatchObject({
      code: 'DUTY_PATTERN_OTHER_UNIT',
      field: 'patternId',
    });
    expect((await refusal(svc.createShift(deps, viewer, { ...base, slot: 'night' }))).code).toBe('FORBIDDEN');
  });

  it('imports a roster, naming each bad row with its column, and writes nothing when any row is wrong', async () => {
    const head = SHIFT_COLUMNS.map((c) => c.zh);
    const row = (cells: Record<string, string>) => SHIFT_COLUMNS.map((c) => cells[c.key] ?? null);
    const good = {
      date: '2026-12-10',
      unit: 'yjj',
      pattern: '昼夜两班',
      slot: '白班',
      role: '带班领导',
      username: a.username,
    };
    const rows = [
      head,
      row(good),
      row({ ...good, date: '2026-12-32' }),
      row({ ...good, slot: 'evening' }),
      row({ ...good, username: 'nobody_here' }),
      row({ ...good, role: '司机' }),
    ];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('值班表');
    for (const r of rows) ws.addRow(r);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const run = async (mode: 'dry-run' | 'commit', file: Buffer) => {
      const { done } = await startImport(
        t.platform,
        shiftImport(deps),
        duty,
        { name: 'roster.xlsx', data: file },
        { mode, datum: 'wgs84' },
      );
      const job = await done;
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      return job.result as ImportReport;
    };
    const report = await run('commit', data);
    expect(report.imported).toBe(0);
    expect(report.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'DUTY_BAD_DATE'],
      [4, 'DUTY_UNKNOWN_SLOT'],
      [5, 'DUTY_UNKNOWN_USER'],
      [6, 'IMPORT_NOT_IN_LIST'],
    ]);
    expect(report.errors[1]!.column).toBe('班次');
    const ok = new ExcelJS.Workbook();
    const ws2 = ok.addWorksheet('值班表');
    ws2.addRow(head);
    ws2.addRow(row(good));
    const fine = await run('commit', Buffer.from(await ok.xlsx.writeBuffer()));
    expect(fine.imported).toBe(1);
    const onDay = await svc.onShift(deps, new Date(at('2026-12-10T09:00:00+08:00')));
    expect(onDay.leaders.map((l) => l.id)).toEqual([a.id]);
  });
});

describe('handover', () => {
  it('carries free items and references over; only the incoming officer accepts, once', async () => {
    const from = { ...duty, actor: { ...duty.actor, id: a.id, name: a.displayName } };
    const to = { ...duty, actor: { ...duty.actor, id: b.id, name: b.displayName } };
    // the incident is reported an hour before the real time: the clock follows it for this test
    clockNow = Date.now();
    const incident = await makeIncident(t.platform, duty);
    expect(
      await refusal(
        svc.createHandover(deps, from, { toUserId: b.id, notes: '', items: [{ kind: 'incident', text: '火情' }] }),
      ),
    ).toMatchObject({ code: 'DUTY_HANDOVER_REF_MISSING', field: 'items.0.refId' });
    expect(await refusal(svc.createHandover(deps, from, { toUserId: a.id, notes: '', items: [] }))).toMatchObject({
      code: 'DUTY_HANDOVER_TO_SELF',
    });
    const h = await svc.createHandover(deps, from, {
      toUserId: b.id,
      notes: '夜间平稳',
      items: [
        { kind: 'free', text: '02:00 检查气象台传真' },
        { kind: 'incident', refId: incident.id, text: `${incident.number} 继续跟踪` },
      ],
    });
    expect(h).toMatchObject({ status: 'pending', from: { id: a.id }, to: { id: b.id }, unit: 'yjj' });
    expect(h.items.map((i) => i.kind)).toEqual(['free', 'incident']);
    expect(h.items[1]!.refId).toBe(incident.id);
    expect(await refusal(svc.acceptHandover(deps, from, h.id, {}))).toMatchObject({
      code: 'DUTY_HANDOVER_NOT_YOURS',
      status: 403,
    });
    const accepted = await svc.acceptHandover(deps, to, h.id, { note: '已接班' });
    expect(accepted).toMatchObject({ status: 'accepted', acceptNote: '已接班' });
    expect(accepted.items).toEqual(h.items);
    expect((await refusal(svc.acceptHandover(deps, to, h.id, {}))).code).toBe('DUTY_HANDOVER_ACCEPTED');
    const mine = await svc.listHandovers(deps, to, { mine: true });
    expect(mine.items.map((x) => x.id)).toContain(h.id);
    clockNow = at('2026-12-01T09:00:00+08:00');
  });
});

describe('contact book', () => {
  it('finds people by pinyin initials, full pinyin, unit and phone; masks phones without personal.read', async () => {
    const c = await svc.createContact(deps, duty, {
      name: '王建国',
      title: '值班室主任',
      unit: 'wjw',
      organisation: '威海市中心医院',
      phones: ['13806311234'],
    });
    await svc.createContact(deps, duty, { name: '李明', phones: ['0631-5212345'] });
    const names = async (ctx: RequestCtx, q: string, kind?: 'external') =>
      (await svc.searchBook(deps, ctx, { q, kind })).items.map((e) => e.name);
    expect(await names(duty, 'wjg', 'external')).toEqual(['王建国']);
    expect(await names(duty, 'wangjian', 'external')).toEqual(['王建国']);
    expect(await names(duty, '建国', 'external')).toEqual(['王建国']);
    expect(await names(duty, '5212', 'external')).toEqual(['李明']);
    const byUnit = await svc.searchBook(deps, duty, { unit: 'wjw', kind: 'external' });
    expect(byUnit.items.map((e) => e.id)).toEqual([c.id]);
    // users are in the book too (the seeded duty officer's display name is its user name)
    expect((await svc.searchBook(deps, duty, { q: 'test_duty' })).items.some((e) => e.kind === 'user')).toBe(true);
    const seen = (await svc.searchBook(deps, viewer, { q: 'wjg', kind: 'external' })).items[0]!;
    expect(seen.phones[0]).not.toBe('13806311234');
    expect(seen.phones[0]).toMatch(/\*/);
    expect((await refusal(svc.createContact(deps, viewer, { name: 'x', phones: ['123'] }))).code).toBe('FORBIDDEN');
  });
});
