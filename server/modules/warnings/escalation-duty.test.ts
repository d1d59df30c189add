import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestCtx } from '../../platform/core/context.ts';
import { makeUser, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { DutyApi } from '../duty/index.ts';
import type { WarningsInternal } from './module.ts';

// "The duty officer on shift" in an escalation policy is resolved through the roster when the step is sent, not when
// the policy is saved: the same policy reaches the day officer at 10:00 and the night officer at 22:00, nobody off
// duty, and at an hour nobody covers the delivery is recorded failed with its reason and an alarm is raised.
let t: TestPlatform;
let w: WarningsInternal;
let d: DutyApi;
let officer: RequestCtx;
let admin: RequestCtx;
let dayOfficer: { id: string; username: string };
let nightOfficer: { id: string; username: string };
let clockNow = Date.parse('2026-12-02T09:00:00+08:00');
let realNow: (() => Date) | undefined;

beforeAll(async () => {
  t = await startTestPlatform();
  w = t.module<WarningsInternal>('warnings');
  d = t.module<DutyApi>('duty');
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clockNow);
  officer = await seededCtx(t.platform, 'duty_officer');
  admin = await seededCtx(t.platform, 'admin');
  dayOfficer = await makeUser(t.platform, 'duty_officer', 'yjj', 'city');
  nightOfficer = await makeUser(t.platform, 'duty_officer', 'yjj', 'city');
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await t?.stop();
});

describe('escalation to the duty officer on shift', () => {
  it('a duty contact names no user, and needs no address of its own', async () => {
    const bad = await refusal(
      w.escalation.createPolicy(admin, {
        name: 'x',
        hazardCodes: [],
        districts: [],
        minColour: 'blue',
        steps: [{ afterMinutes: 0, contacts: [{ duty: 'officer', user: 'someone', channels: ['in_app'] }] }],
      }),
    );
    expect(bad).toMatchObject({ code: 'VALIDATION', field: 'steps.0.contacts.0.user' });
  });

  it('the same policy reaches the officer on shift at each time, and nobody when no one is', async () => {
    const p = await d.createPattern(officer, {
      unit: 'yjj',
      name: '昼夜',
      slots: [
        { key: 'day', name: '白班', start: '08:00', end: '20:00' },
        { key: 'night', name: '夜班', start: '20:00', end: '08:00' },
      ],
    });
    for (const [slot, user] of [
      ['day', dayOfficer],
      ['night', nightOfficer],
    ] as const)
      await d.createShift(officer, {
        unit: 'yjj',
        date: '2026-12-02',
        patternId: p.id,
        slot,
        role: 'officer',
        userId: user.id,
      });
    await w.escalation.createPolicy(admin, {
      name: '大风：值班员',
      hazardCodes: ['11B06'],
      districts: [],
      minColour: 'blue',
      steps: [{ afterMinutes: 0, contacts: [{ duty: 'officer', channels: ['in_app', 'sms'] }] }],
    });

    const raiseAt = async (iso: string, title: string) => {
      clockNow = Date.parse(iso);
      const warning = await w.svc.create(officer, { hazardCode: '11B06', colour: 'blue', title, district: '371003' });
      await w.escalation.sweep();
      return w.escalation.deliveries(warning.id);
    };

    const morning = await raiseAt('2026-12-02T10:00:00+08:00', '上午大风');
    const inApp = (ds: Awaited<ReturnType<typeof raiseAt>>) => ds.filter((x) => x.channel === 'in_app');
    expect(inApp(morning).map((x) => [x.recipient, x.status])).toEqual([[dayOfficer.username, 'sent']]);
    // SMS goes to the officer's own phone (no gateway in tests: recorded failed with the gateway's reason)
    expect(morning.find((x) => x.channel === 'sms')).toMatchObject({ recipient: '13912345678', status: 'failed' });
    expect(morning.find((x) => x.channel === 'sms')!.detail).toContain('SMS_GATEWAY_URL');

    const evening = await raiseAt('2026-12-02T22:00:00+08:00', '夜间大风');
    expect(inApp(evening).map((x) => [x.recipient, x.status])).toEqual([[nightOfficer.username, 'sent']]);
    expect(evening.some((x) => x.recipient === dayOfficer.username)).toBe(false);

    // 09:00 on the 3rd: the night shift ended at 08:00 and nobody follows
    const alarmsBefore = (await t.platform.alerts.listOpen(officer, { limit: 200 })).items.filter(
      (a) => a.source === 'warning_delivery',
    ).length;
    const uncovered = await raiseAt('2026-12-03T09:00:00+08:00', '无人值班时的大风');
    expect(uncovered.map((x) => [x.channel, x.recipient, x.status])).toEqual(
      expect.arrayContaining([
        ['in_app', '值班员@yjj', 'failed'],
        ['sms', '值班员@yjj', 'failed'],
      ]),
    );
    expect(uncovered).toHaveLength(2);
    expect(uncovered[0]!.detail).toContain('nobody is on shift');
    const alarms = (await t.platform.alerts.listOpen(officer, { limit: 200 })).items.filter(
      (a) => a.source === 'warning_delivery',
    );
    expect(alarms.length).toBe(alarmsBefore + 1);
    expect(alarms.some((a) => a.title.zh.includes('无人接收'))).toBe(true);
  });
});
