import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../test/template.ts';
import { parseReadingsCsv } from './readings-csv.ts';

const KNMI = join(SHARED_DATA, 'tabular', 'knmi_vlissingen_precip_hourly_2019-2022.csv');
const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('readings CSV', () => {
  it('reads the long layout, gathering the metrics of one time into one row', () => {
    const { rows, errors } = parseReadingsCsv(
      'ts,metric,value\n2026-07-01T08:00:00+08:00,rain_mm,1.2\n2026-07-01T08:00:00+08:00,wind_speed_ms,7\n2026-07-01T09:00:00Z,rain_mm,0\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { ts: '2026-07-01T00:00:00.000Z', values: { rain_mm: 1.2, wind_speed_ms: 7 }, line: 2 },
      { ts: '2026-07-01T09:00:00.000Z', values: { rain_mm: 0 }, line: 4 },
    ]);
  });

  it('reads the wide layout; an empty cell is no value', () => {
    const { rows, errors } = parseReadingsCsv(
      '\uFEFFts,rain_mm,water_level_m\r\n2026-07-01T08:00:00+08:00,1.5,\r\n2026-07-01T09:00:00+0800,,3.25\r\n',
    );
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { ts: '2026-07-01T00:00:00.000Z', values: { rain_mm: 1.5 }, line: 2 },
      { ts: '2026-07-01T01:00:00.000Z', values: { water_level_m: 3.25 }, line: 3 },
    ]);
  });

  it('names each bad line and why, and reads the good ones', () => {
    const { rows, errors } = parseReadingsCsv(
      [
        'ts,metric,value',
        '2026-07-01T08:00:00,rain_mm,1', // no offset
        '2026-02-30T08:00:00Z,rain_mm,1', // no such day
        '2026-07-01T08:00:00Z,rainfall,1', // unknown metric
        '2026-07-01T08:00:00Z,rain_mm,lots', // not a number
        '2026-07-01T08:00:00Z,rain_mm,2',
        '2026-07-01T08:00:00Z,rain_mm,3', // repeated
      ].join('\n'),
    );
    expect(rows).toEqual([{ ts: '2026-07-01T08:00:00.000Z', values: { rain_mm: 2 }, line: 6 }]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 7]);
    expect(errors[0].reason).toMatch(/no UTC offset/);
    expect(errors[1].reason).toMatch(/not a real date-time/);
    expect(errors[2].reason).toMatch(/"rainfall" is not a standard metric/);
    expect(errors[3].reason).toMatch(/not a number: "lots"/);
    expect(errors[4].reason).toMatch(/appears again \(first on line 6\)/);
  });

  it('refuses a wide header with an unknown metric, naming it', () => {
    const { rows, errors } = parseReadingsCsv('ts,rain_mm,RH\n2026-07-01T08:00:00Z,1,2\n');
    expect(rows).toEqual([]);
    expect(errors).toEqual([{ line: 1, reason: expect.stringMatching(/column "rh" is not a standard metric/) }]);
  });
});

describe('the KNMI Vlissingen series, converted by scripts/convert-knmi.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anlan-knmi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('becomes 35,064 hourly rain_mm readings in mm, times in UTC at the end of each hour', () => {
    const out = join(dir, 'knmi.csv');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'convert-knmi.mjs'), KNMI, out]);
    const { rows, errors } = parseReadingsCsv(readFileSync(out, 'utf8'));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(35_064);
    expect(rows[0].ts).toBe('2019-01-01T01:00:00.000Z');
    expect(rows.at(-1)?.ts).toBe('2023-01-01T00:00:00.000Z');
    // independently from the source: metres → mm, to 0.1 mm
    const source = readFileSync(KNMI, 'utf8').trim().split('\n').slice(1);
    const wettest = source.reduce((best, l) => (Number(l.split(',')[1]) > Number(best.split(',')[1]) ? l : best));
    const top = rows.reduce((best, r) => (r.values.rain_mm > best.values.rain_mm ? r : best));
    expect(wettest).toBe('2020-06-17 15:00:00,0.051300000000000005');
    expect(top).toMatchObject({ ts: '2020-06-17T15:00:00.000Z', values: { rain_mm: 51.3 } });
    const totalSource = source.reduce((s, l) => s + Number(l.split(',')[1]) * 1000, 0);
    const total = rows.reduce((s, r) => s + r.values.rain_mm, 0);
    // each value is off by at most half the 0.1 mm step
    expect(Math.abs(total - totalSource)).toBeLessThanOrEqual(0.05 * rows.length);
    // no float noise: every value is written with at most one decimal
    expect(rows.filter((r) => !/^\d+(\.\d)?$/.test(String(r.values.rain_mm)))).toEqual([]);
  });
});
