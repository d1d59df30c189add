import { describe, expect, it } from 'vitest';
import type { Casualties } from '../../../contracts/incidents.ts';
import { computeLevel, NATURAL_2016, ORDER_493 } from './level.ts';

const rules = { accident: ORDER_493, natural: NATURAL_2016 };
const none: Casualties = { deaths: 0, missing: 0, seriouslyInjured: 0, injured: 0, affected: 0, relocated: 0 };
const accident = (c: Partial<Casualties>, loss = 0) => computeLevel('accident', { ...none, ...c }, loss, rules).level;

describe('Order 493 accident levels ("以上" includes the number; any one criterion)', () => {
  it.each([
    [0, 'IV'],
    [2, 'IV'],
    [3, 'III'],
    [9, 'III'],
    [10, 'II'],
    [29, 'II'],
    [30, 'I'],
  ])('%i deaths → %s', (deaths, level) => {
    expect(accident({ deaths })).toBe(level);
  });

  it.each([
    [9, 'IV'],
    [10, 'III'],
    [49, 'III'],
    [50, 'II'],
    [99, 'II'],
    [100, 'I'],
  ])('%i serious injuries → %s', (seriouslyInjured, level) => {
    expect(accident({ seriouslyInjured })).toBe(level);
  });

  it.each([
    [999.99, 'IV'],
    [1000, 'III'],
    [4999, 'III'],
    [5000, 'II'],
    [9999.99, 'II'],
    [10000, 'I'],
  ])('%f 万元 direct loss → %s', (loss, level) => {
    expect(accident({}, loss)).toBe(level);
  });

  it('takes the highest level any criterion reaches and says which one decided', () => {
    const r = computeLevel('accident', { ...none, deaths: 2, seriouslyInjured: 50 }, 1000, rules);
    expect(r.level).toBe('II');
    expect(r.basis).toContain('重伤 50人 ≥ 50人');
    expect(r.basis).toContain('493');
  });

  it('ignores the injured, affected and missing for accidents', () => {
    expect(accident({ injured: 500, affected: 100000, missing: 40 })).toBe('IV');
  });
});

describe('natural disasters (configurable table, 2016 national thresholds by default)', () => {
  const natural = (c: Partial<Casualties>) => computeLevel('natural', { ...none, ...c }, 0, rules);
  it.each([
    [{ deaths: 49 }, 'IV'],
    [{ deaths: 50 }, 'III'],
    [{ deaths: 100 }, 'II'],
    [{ deaths: 200 }, 'I'],
    [{ relocated: 499_999 }, 'IV'],
    [{ relocated: 500_000 }, 'III'],
    [{ relocated: 2_000_000 }, 'I'],
  ])('%o → %s', (c, level) => {
    expect(natural(c).level).toBe(level);
  });
  it('labels the rule as the superseded 2016 edition', () => {
    expect(natural({}).basis).toContain('2016');
    expect(NATURAL_2016.verified).toBe(false);
  });
  it('follows a configured table', () => {
    const custom = { ...NATURAL_2016, criteria: [{ field: 'deathsAndMissing' as const, I: 30, II: 10, III: 3 }] };
    expect(computeLevel('natural', { ...none, deaths: 2, missing: 1 }, 0, { ...rules, natural: custom }).level).toBe(
      'III',
    );
  });
});

describe('categories without automatic levels', () => {
  it.each(['public_health', 'social_security', 'other'] as const)('%s stays unassessed', (cat) => {
    expect(computeLevel(cat, { ...none, deaths: 100 }, 100000, rules).level).toBeNull();
  });
});
