import { describe, expect, it } from 'vitest';
import type { Rule } from '../../../../contracts/monitoring.ts';
import { clauseText, ruleValues, toRuleInput } from './rule-values.ts';

// the CMA rainstorm signal criteria as the issue states them: blue 12 h ≥ 50 mm … red 3 h ≥ 100 mm
const rainstorm: Rule = {
  id: 'r1',
  builtin: 'rainstorm',
  modified: false,
  name: '暴雨（观测累计雨量）',
  nameEn: 'Rainstorm (observed rolling rainfall)',
  hazardCode: '11B03',
  kind: null,
  deviceIds: [],
  colours: {
    blue: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 720, op: '>=', value: 50 }] },
    yellow: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 360, op: '>=', value: 50 }] },
    orange: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 180, op: '>=', value: 50 }] },
    red: { mode: 'any', clauses: [{ metric: 'rain_mm', fn: 'sum', windowMinutes: 180, op: '>=', value: 100 }] },
  },
  hysteresis: 0,
  clearAfterMinutes: 60,
  enabled: true,
  basis: 'CMA Order 16',
  version: 3,
  updatedAt: '2026-12-04T00:00:00Z',
};

const reservoir: Rule = {
  ...rainstorm,
  id: 'r2',
  builtin: null,
  name: '水库水位',
  nameEn: '',
  hazardCode: '11A01',
  kind: 'water_level',
  colours: {
    yellow: {
      mode: 'any',
      clauses: [{ metric: 'water_level_m', fn: 'value', op: '>=', value: { param: 'flood_limit_m' } }],
    },
    red: {
      mode: 'all',
      clauses: [
        { metric: 'water_level_m', fn: 'value', op: '>=', value: { param: 'guaranteed_level_m', factor: 0.98 } },
        { metric: 'water_level_m', fn: 'rate', windowMinutes: 60, op: '>', value: 0.2 },
      ],
    },
  },
  hysteresis: 0.05,
};

const strip = (r: Rule) => ({
  name: r.name,
  nameEn: r.nameEn,
  hazardCode: r.hazardCode,
  kind: r.kind,
  deviceIds: r.deviceIds,
  colours: r.colours,
  hysteresis: r.hysteresis,
  clearAfterMinutes: r.clearAfterMinutes,
  enabled: r.enabled,
  basis: r.basis,
});

describe('rule editor values', () => {
  it('gives back the rule it was opened on, untouched', () => {
    expect(toRuleInput(ruleValues(rainstorm))).toEqual(strip(rainstorm));
    expect(toRuleInput(ruleValues(reservoir))).toEqual(strip(reservoir));
  });

  it('shows every colour, the unused ones switched off, and a parameter threshold with its factor', () => {
    const v = ruleValues(reservoir);
    expect(v.scope).toBe('kind');
    expect(v.colours.blue.used).toBe(false);
    expect(v.colours.orange.used).toBe(false);
    expect(v.colours.red.mode).toBe('all');
    expect(v.colours.yellow.clauses[0]).toMatchObject({ thresholdKind: 'param', param: 'flood_limit_m', factor: 1 });
    expect(v.colours.red.clauses[0]).toMatchObject({ param: 'guaranteed_level_m', factor: 0.98 });
  });

  it('sends a window only with a function that has one, and only the colours in use', () => {
    const v = ruleValues(rainstorm);
    v.colours.blue.used = false;
    v.colours.red.clauses[0] = { ...v.colours.red.clauses[0], fn: 'value', windowMinutes: 180, number: 80 };
    const input = toRuleInput(v);
    expect(Object.keys(input.colours)).toEqual(['yellow', 'orange', 'red']);
    expect(input.colours.red?.clauses[0]).toEqual({ metric: 'rain_mm', fn: 'value', op: '>=', value: 80 });
  });

  it('scopes a rule to named devices, dropping the kind', () => {
    const v = ruleValues(reservoir);
    v.scope = 'devices';
    v.deviceIds = ['d1', 'd2'];
    const input = toRuleInput(v);
    expect(input.kind).toBeNull();
    expect(input.deviceIds).toEqual(['d1', 'd2']);
    v.scope = 'all';
    expect(toRuleInput(v)).toMatchObject({ kind: null, deviceIds: [] });
  });

  it('starts a new rule with no colour and the default clear-after of an hour', () => {
    const v = ruleValues();
    expect(Object.values(v.colours).every((c) => !c.used)).toBe(true);
    expect(toRuleInput({ ...v, name: ' x ', hazardCode: '11B03' })).toMatchObject({
      name: 'x',
      colours: {},
      clearAfterMinutes: 60,
    });
  });

  it('says a clause in words', () => {
    const label = {
      metric: (m: string) => m,
      fn: (f: string) => f,
      window: (m: number) => `${m / 60} h`,
      param: (p: string) => p,
      unit: () => 'mm',
    };
    expect(clauseText(rainstorm.colours.red!.clauses[0], label)).toBe('rain_mm 3 h sum ≥ 100 mm');
    expect(clauseText(reservoir.colours.red!.clauses[0], label)).toBe('water_level_m ≥ guaranteed_level_m × 0.98');
  });
});
