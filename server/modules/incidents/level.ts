import { describeLevelBasis, type LevelBasis } from '../../../contracts/incident-text.ts';
import type { Casualties, Category, Level, LevelField, LevelRule } from '../../../contracts/incidents.ts';

export type { LevelCriterion, LevelField, LevelRule } from '../../../contracts/incidents.ts';
export { LEVEL_FIELDS, NATURAL_2016, ORDER_493 } from '../../../contracts/incidents.ts';

function quantityOf(field: LevelField, c: Casualties, lossWan: number): number {
  if (field === 'directLossWan') return lossWan;
  if (field === 'deathsAndMissing') return c.deaths + c.missing;
  return c[field];
}

/** What a level rule decided: the level, its basis as facts, and the basis in Chinese (stored for the audit trail). */
export interface LevelResult {
  level: Level | null;
  facts: LevelBasis;
  basis: string;
}

const result = (level: Level | null, facts: LevelBasis): LevelResult => ({
  level,
  facts,
  basis: describeLevelBasis(facts, 'zh'),
});

/** Applies one rule: the highest level any criterion reaches, and the criterion that decided it. */
export function applyRule(rule: LevelRule, c: Casualties, lossWan: number): LevelResult & { level: Level } {
  const order: Level[] = ['I', 'II', 'III'];
  const name = { zh: rule.labelZh, en: rule.labelEn };
  for (const level of order) {
    for (const k of rule.criteria) {
      const value = quantityOf(k.field, c, lossWan);
      const threshold = k[level as 'I' | 'II' | 'III'];
      if (value >= threshold)
        return { ...result(level, { rule: name, field: k.field, value, threshold, level }), level };
    }
  }
  return { ...result('IV', { rule: name, below: true }), level: 'IV' };
}

export interface LevelRules {
  accident: LevelRule;
  natural: LevelRule;
}

/**
 * The computed level of an incident. Accidents follow Order 493; natural disasters the configured table;
 * public health and social security stay unassessed (null) until a person sets the level; so do `other`.
 */
export function computeLevel(category: Category, c: Casualties, lossWan: number, rules: LevelRules): LevelResult {
  if (category === 'accident') return applyRule(rules.accident, c, lossWan);
  if (category === 'natural') return applyRule(rules.natural, c, lossWan);
  return result(null, { unassessed: true });
}
