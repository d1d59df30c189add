import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Colour, RuleInput } from '../../../contracts/monitoring.ts';
import type { Warning } from '../../../contracts/warnings.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { SHARED_DATA } from '../../test/template.ts';
import type { WarningsApi } from '../warnings/index.ts';
import type { MonitoringInternal } from './module.ts';
import * as svc from './monitoring.service.ts';

// The rainstorm rules on a real rain gauge series: KNMI's hourly rainfall at Vlissingen 2019–2022 (metres per hour,
// the hour ending at its time, UTC). The hours at which each colour starts and ends must equal what this test
// computes on its own from the series with the CMA criteria, and repeating readings changes nothing.
const HOUR = 3_600_000;
const series: [number, number][] = readFileSync(
  join(SHARED_DATA, 'tabular/knmi_vlissingen_precip_hourly_2019-2022.csv'),
  'utf8',
)
  .split('\n')
  .slice(1)
  .filter((l) => l.trim())
  .map((l) => {
    const [ts, v] = l.split(',');
    return [Date.parse(`${ts!.replace(' ', 'T')}Z`), Math.round(Number(v) * 10_000) / 10];
  });

interface Crit {
  colour: Colour;
  hours: number;
  mm: number;
}
const CMA: Crit[] = [
  { colour: 'red', hours: 3, mm: 100 },
  { colour: 'orange', hours: 3, mm: 50 },
  { colour: 'yellow', hours: 6, mm: 50 },
  { colour: 'blue', hours: 12, mm: 50 },
];
const RANK: Colour[] = ['blue', 'yellow', 'orange', 'red'];

interface Episode {
  raisedAt: string;
  history: { colour: Colour; at: string }[];
  liftedAt: string | null;
}

/** The expected warnings, computed directly: sums over (t − window, t] of the readings, the semantics. */
function expectedEpisodes(data: [number, number][], crit: Crit[], clearAfterMinutes: number): Episode[] {
  const out: Episode[] = [];
  let cur: (Episode & { colour: Colour; lastHeld: number }) | null = null;
  for (let i = 0; i < data.length; i++) {
    const t = data[i]![0];
    const sum = (h: number) => {
      let s = 0;
      for (let j = i; j >= 0 && data[j]![0] > t - h * HOUR; j--) s += data[j]![1];
      return s;
    };
    const held = crit.find((c) => sum(c.hours) >= c.mm - 1e-9)?.colour ?? null;
    const at = new Date(t).toISOString();
    if (held) {
      if (!cur) cur = { raisedAt: at, history: [{ colour: held, at }], liftedAt: null, colour: held, lastHeld: t };
      else {
        cur.lastHeld = t;
        if (held !== cur.colour) {
          cur.history.push({ colour: held, at });
          cur.colour = held;
        }
      }
    } else if (cur && t - cur.lastHeld >= clearAfterMinutes * 60_000) {
      out.push({ raisedAt: cur.raisedAt, history: cur.history, liftedAt: at });
      cur = null;
    }
  }
  if (cur) out.push({ raisedAt: cur.raisedAt, history: cur.history, liftedAt: null });
  return out;
}

let t: TestPlatform;
let m: MonitoringInternal;
let duty: RequestCtx;
let admin: RequestCtx;

beforeAll(async () => {
  t = await startTestPlatform();
  m = t.module<MonitoringInternal>('monitoring');
  duty = await seededCtx(t.platform, 'duty_officer');
  admin = await seededCtx(t.platform, 'admin');
});
afterAll(() => t?.stop());

async function gauge(name: string) {
  const { device, token } = await svc.createDevice(m.deps, duty, {
    name,
    kind: 'rain_gauge',
    metrics: ['rain_mm'],
    location: { type: 'Point', coordinates: [122.12, 37.51] },
  });
  expect(token.length).toBeGreaterThan(30);
  return device;
}

async function feed(deviceId: string, data: [number, number][]) {
  for (let i = 0; i < data.length; i += 2000) {
    const body = data
      .slice(i, i + 2000)
      .map(([ts, mm]) => ({ ts: new Date(ts).toISOString(), values: { rain_mm: mm } }));
    const r = await m.ingestion.submit(deviceId, body, 'test');
    expect(r.rejected).toEqual([]);
  }
  await m.ingestion.drain();
}

async function episodesOf(deviceId: string): Promise<Episode[]> {
  const w = t.module<WarningsApi & { svc: { list: (c: RequestCtx, q: object) => Promise<{ items: Warning[] }> } }>(
    'warnings',
  );
  const { items } = await w.svc.list(duty, { deviceId, limit: 500 });
  return items
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))
    .map((x) => ({
      raisedAt: x.raisedAt,
      history: x.levelHistory.map((h) => ({ colour: h.colour, at: h.at })),
      liftedAt: x.liftedAt,
    }));
}

describe('rainstorm warnings on the KNMI Vlissingen series', () => {
  it('the built-in CMA rule: the one episode of 2019–2022 starts, changes colour and ends at the computed hours', async () => {
    expect(series.length).toBe(35_064);
    const d = await gauge('Vlissingen (CMA criteria)');
    await feed(d.id, series);
    const expected = expectedEpisodes(series, CMA, 60);
    expect(expected).toEqual([
      {
        raisedAt: '2020-06-17T15:00:00.000Z',
        history: [
          { colour: 'orange', at: '2020-06-17T15:00:00.000Z' },
          { colour: 'yellow', at: '2020-06-17T18:00:00.000Z' },
          { colour: 'blue', at: '2020-06-17T21:00:00.000Z' },
        ],
        liftedAt: '2020-06-18T03:00:00.000Z',
      },
    ]);
    expect(await episodesOf(d.id)).toEqual(expected);
    // every reading stored once, the hourly roll-ups add up to the series
    const total = series.reduce((s, [, v]) => s + v, 0);
    const r = await svc.readings(m.deps, duty, d.id, {
      metric: 'rain_mm',
      from: '2019-01-01T00:00:00Z',
      to: '2023-01-01T00:00:00Z',
      resolution: 'hour',
    });
    expect(r.points.length).toBe(35_064);
    expect(r.points.reduce((s, p) => s + (p[3] as number), 0)).toBeCloseTo(total, 3);
    expect(r.thresholds.map((x) => `${x.colour}:${x.fn}:${x.windowMinutes}:${x.value}`).sort()).toEqual([
      'blue:sum:720:50',
      'orange:sum:180:50',
      'red:sum:180:100',
      'yellow:sum:360:50',
    ]);
  }, 120_000);

  it('a device rule with lower thresholds (2020): every episode matches the direct computation; repeats change nothing', async () => {
    const d = await gauge('Vlissingen (low thresholds)');
    const low: RuleInput = {
      name: '低阈值测试',
      hazardCode: '11B03',
      deviceIds: [d.id],
      colours: {
        blue: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 720, op: '>=', value: 15 }] },
        yellow: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 360, op: '>=', value: 15 }] },
        orange: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 180, op: '>=', value: 15 }] },
        red: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 180, op: '>=', value: 25 }] },
      },
      clearAfterMinutes: 120,
    };
    await svc.createRule(m.deps, admin, low);
    const year = series.filter(
      ([ts]) => ts > Date.parse('2020-01-01T00:00:00Z') && ts <= Date.parse('2021-01-01T00:00:00Z'),
    );
    await feed(d.id, year);
    const crit: Crit[] = [
      { colour: 'red', hours: 3, mm: 25 },
      { colour: 'orange', hours: 3, mm: 15 },
      { colour: 'yellow', hours: 6, mm: 15 },
      { colour: 'blue', hours: 12, mm: 15 },
    ];
    const expected = expectedEpisodes(year, crit, 120);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.some((e) => e.history.some((h) => h.colour === 'red'))).toBe(true);
    expect(expected.some((e) => e.history.length > 2)).toBe(true);
    const got = await episodesOf(d.id);
    expect(got).toEqual(expected);

    // the same readings again (a replay, a retry): nothing stored, no warning changes
    const stored = m.ingestion.stats.stored;
    await feed(d.id, year.slice(4000, 4400));
    expect(m.ingestion.stats.stored).toBe(stored);
    expect(await episodesOf(d.id)).toEqual(expected);
    // colours only rise in rank order within an episode's first hour… and the history is what the board shows
    for (const e of got) expect(RANK).toContain(e.history[0]!.colour);
  }, 120_000);
});
