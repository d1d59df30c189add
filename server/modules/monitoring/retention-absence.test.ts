import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { WarningsApi } from '../warnings/index.ts';
import type { MonitoringInternal } from './module.ts';
import * as svc from './monitoring.service.ts';

// Retention drops whole months of readings and keeps their hourly roll-ups; an absence rule raises a warning when a
// device has been silent for its window (the minute sweep), and the device shows offline.
let t: TestPlatform;
let m: MonitoringInternal;
let duty: RequestCtx;
let admin: RequestCtx;
const NOW = Date.parse('2026-12-04T10:00:00Z');
let realNow: (() => Date) | undefined;
let clock = NOW;

beforeAll(async () => {
  t = await startTestPlatform({ ANLAN_READINGS_RETENTION_MONTHS: '12' });
  m = t.module<MonitoringInternal>('monitoring');
  duty = await seededCtx(t.platform, 'duty_officer');
  admin = await seededCtx(t.platform, 'admin');
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clock);
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await t?.stop();
});

describe('readings over time', () => {
  it('drops the months beyond the retention and keeps their hourly roll-ups', async () => {
    const { device } = await svc.createDevice(m.deps, duty, {
      name: 'retention gauge',
      kind: 'rain_gauge',
      metrics: ['rain_mm'],
      location: { type: 'Point', coordinates: [122.12, 37.51] },
    });
    const old = ['2019-07-01T00:00:00Z', '2019-07-01T01:00:00Z'];
    const recent = ['2026-11-30T00:00:00Z', '2026-12-04T09:00:00Z'];
    await m.ingestion.submit(
      device.id,
      [...old, ...recent].map((ts) => ({ ts, values: { rain_mm: 1.5 } })),
      'test',
    );
    await m.ingestion.drain();
    const dropped = await m.ingestion.applyRetention();
    expect(dropped).toEqual(['readings_2019_07']);
    const raw = await svc.readings(m.deps, duty, device.id, {
      metric: 'rain_mm',
      from: '2019-06-20T00:00:00Z',
      to: '2019-07-10T00:00:00Z',
      resolution: 'raw',
    });
    expect(raw.points).toEqual([]);
    const hourly = await svc.readings(m.deps, duty, device.id, {
      metric: 'rain_mm',
      from: '2019-06-01T00:00:00Z',
      to: '2019-08-01T00:00:00Z',
      resolution: 'hour',
    });
    expect(hourly.points.map((p) => p[0])).toEqual(['2019-07-01T00:00:00.000Z', '2019-07-01T01:00:00.000Z']);
    const kept = await svc.readings(m.deps, duty, device.id, {
      metric: 'rain_mm',
      from: '2026-11-29T00:00:00Z',
      to: '2026-12-05T00:00:00Z',
      resolution: 'raw',
    });
    expect(kept.points.map((p) => p[0])).toEqual(recent.map((x) => new Date(x).toISOString()));
  });

  it('a silent gas detector: an absence rule raises its warning at the sweep; the device is offline', async () => {
    await svc.createRule(m.deps, admin, {
      name: '气体探测器失联',
      hazardCode: '12D02',
      kind: 'gas_detector',
      colours: {
        blue: {
          mode: 'any',
          clauses: [{ metric: 'gas_lel_pct', fn: 'absence', windowMinutes: 15, op: '>=', value: 0 }],
        },
      },
      clearAfterMinutes: 0,
    });
    const { device } = await svc.createDevice(m.deps, duty, {
      name: '失联测试探测器',
      kind: 'gas_detector',
      metrics: ['gas_lel_pct'],
      location: { type: 'Point', coordinates: [122.12, 37.51] },
      offlineAfterMinutes: 10,
    });
    await m.ingestion.submit(device.id, { ts: new Date(clock).toISOString(), values: { gas_lel_pct: 1 } }, 'test');
    await m.ingestion.drain();
    const w = t.module<WarningsApi>('warnings');
    await m.ingestion.sweep();
    expect(w.activeColourOf(device.id)).toBeNull();
    expect((await svc.getDevice(m.deps, duty, device.id)).status).toBe('online');
    clock += 16 * 60_000;
    await m.ingestion.sweep();
    expect(w.activeColourOf(device.id)).toBe('blue');
    expect((await svc.getDevice(m.deps, duty, device.id)).status).toBe('offline');
    // the register's status filter says the same (each device's own offline-after minutes, in SQL)
    await m.ingestion.writeSeen();
    const ids = async (status: 'online' | 'offline') =>
      (await svc.listDevices(m.deps, duty, { status, limit: 100 })).items.map((d) => d.id);
    expect(await ids('offline')).toContain(device.id);
    expect(await ids('online')).not.toContain(device.id);
  });
});
