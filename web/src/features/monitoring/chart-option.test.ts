import { describe, expect, it } from 'vitest';
import type { ReadingsReply } from '../../../../contracts/monitoring.ts';
import { type ChartTexts, readingsChart } from './chart-option.ts';

const texts: ChartTexts = {
  value: 'value',
  mean: 'mean',
  total: 'total',
  range: 'range',
  min: 'min',
  max: 'max',
  threshold: (th) => `${th.colour} ${th.fn} ${th.value}`,
  format: (v) => String(v),
  time: (iso) => iso,
};
const theme = { text: '#555', axis: '#ddd', split: '#eee', line: '#0b5cad' };
type Series = { name: string; data: unknown[]; markLine?: { data: { yAxis: number; lineStyle: { color: string } }[] } };
const seriesOf = (o: Record<string, unknown>) => o.series as Series[];

// the CMA rainstorm thresholds are 3-, 6- and 12-hour sums; hourly rain is a few millimetres
const rain: ReadingsReply = {
  metric: 'rain_mm',
  resolution: 'raw',
  points: [
    ['2026-07-01T00:00:00Z', 2.5],
    ['2026-07-01T01:00:00Z', 18],
    ['2026-07-01T02:00:00Z', 36],
  ],
  thresholds: [
    { colour: 'orange', value: 50, fn: 'sum', windowMinutes: 180, hazardCode: '11B03' },
    { colour: 'red', value: 100, fn: 'sum', windowMinutes: 180, hazardCode: '11B03' },
    { colour: 'red', value: 100, fn: 'sum', windowMinutes: 180, hazardCode: '11B03' },
    { colour: 'blue', value: 20, fn: 'rate', windowMinutes: 60, hazardCode: '11B03' },
  ],
};

describe('the readings chart', () => {
  it('draws a window sum that the axis reaches, lists one far above the readings and a rate, once each', () => {
    const m = readingsChart(rain, texts, theme);
    expect(m.drawn.map((t) => `${t.colour} ${t.value}`)).toEqual(['orange 50']);
    expect(m.notDrawn.map((t) => `${t.colour} ${t.fn}`)).toEqual(['red sum', 'blue rate']);
    const [line] = seriesOf(m.option);
    expect(line.data).toEqual(rain.points);
    expect(line.markLine?.data).toEqual([
      expect.objectContaining({ yAxis: 50, lineStyle: expect.objectContaining({ color: '#fa8c16', type: 'dashed' }) }),
    ]);
    // rain counts from zero; the axis reaches the line it draws
    const y = m.option.yAxis as { min: number; max: number };
    expect(y.min).toBe(0);
    expect(y.max).toBe(53);
  });

  it('shows hourly roll-ups of a level as a min–max band under the mean, with a value threshold always on the axis', () => {
    const level: ReadingsReply = {
      metric: 'water_level_m',
      resolution: 'hour',
      // [hour, min, max, sum, mean, count]
      points: [
        ['2026-07-01T00:00:00Z', 3.2, 3.6, 20.4, 3.4, 6],
        ['2026-07-01T01:00:00Z', 3.5, 4.1, 22.8, 3.8, 6],
      ],
      thresholds: [{ colour: 'red', value: 12.5, fn: 'value', windowMinutes: null, hazardCode: '11A01' }],
    };
    const m = readingsChart(level, texts, theme);
    const s = seriesOf(m.option);
    expect(s.map((x) => x.name)).toEqual(['min', 'range', 'mean']);
    expect(s[0].data).toEqual([
      ['2026-07-01T00:00:00Z', 3.2],
      ['2026-07-01T01:00:00Z', 3.5],
    ]);
    expect((s[1].data as [string, number][]).map((p) => Number(p[1].toFixed(6)))).toEqual([0.4, 0.6]);
    expect(s[2].data).toEqual([
      ['2026-07-01T00:00:00Z', 3.4],
      ['2026-07-01T01:00:00Z', 3.8],
    ]);
    expect(m.drawn).toHaveLength(1);
    // up to the threshold in a readable number; down to wherever ECharts puts the readings' own scale
    const y = m.option.yAxis as { min?: number; max: number; scale: boolean };
    expect(y.max).toBe(13);
    expect(y.min).toBeUndefined();
    expect(y.scale).toBe(true);
  });

  it('shows hourly rain as the total of each hour', () => {
    const m = readingsChart(
      { ...rain, resolution: 'hour', points: [['2026-07-01T00:00:00Z', 0, 4, 9.5, 1.6, 6]], thresholds: [] },
      texts,
      theme,
    );
    const s = seriesOf(m.option);
    expect(s.map((x) => x.name)).toEqual(['total']);
    expect(s[0].data).toEqual([['2026-07-01T00:00:00Z', 9.5]]);
  });
});
