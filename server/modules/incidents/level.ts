import type { Casualties, Category, Level, LevelField, LevelRule } from '../../../contracts/incidents.ts';

export type { LevelCriterion, LevelField, LevelRule } from '../../../contracts/incidents.ts';
export { LEVEL_FIELDS, NATURAL_2016, ORDER_493 } from '../../../contracts/incidents.ts';

const FIELD_LABEL: Record<LevelField, { zh: string; en: string; unit: string }> = {
  deaths: { zh: '死亡', en: 'deaths', unit: '人' },
  deathsAndMissing: { zh: '死亡和失踪', en: 'deaths and missing', unit: '人' },
  seriouslyInjured: { zh: '重伤', en: 'seriously injured', unit: '人' },
  relocated: { zh: '紧急转移安置', en: 'relocated', unit: '人' },
  affected: { zh: '受灾', en: 'affected', unit: '人' },
  directLossWan: { zh: '直接经济损失', en: 'direct loss', unit: '万元' },
};

function quantityOf(field: LevelField, c: Casualties, lossWan: number): number {
  if (field === 'directLossWan') return lossWan;
  if (field === 'deathsAndMissing') return c.deaths + c.missing;
  return c[field];
}

/** Applies one rule: the highest level any criterion reaches, and the criterion that decided it. */
export function applyRule(rule: LevelRule, c: Casualties, lossWan: number): { level: Level; basis: string } {
  const order: Level[] = ['I', 'II', 'III'];
  for (const level of order) {
    for (const k of rule.criteria) {
      const v = quantityOf(k.field, c, lossWan);
      if (v >= k[level as 'I' | 'II' | 'III']) {
        const f = FIELD_LABEL[k.field];
        return { level, basis: `${rule.labelZh}：${f.zh} ${v}${f.unit} ≥ ${k[level as 'I']}${f.unit} → ${level}级` };
      }
    }
  }
  return { level: 'IV', basis: `${rule.labelZh}：低于较大（III级）各项标准 → IV级` };
}

export interface LevelRules {
  accident: LevelRule;
  natural: LevelRule;
}

/**
 * The computed level of an incident. Accidents follow Order 493; natural disasters the configured table;
 * public health and social security stay unassessed (null) until a person sets the level; so do `other`.
 */
export function computeLevel(
  category: Category,
  c: Casualties,
  lossWan: number,
  rules: LevelRules,
): { level: Level | null; basis: string } {
  if (category === 'accident') return applyRule(rules.accident, c, lossWan);
  if (category === 'natural') return applyRule(rules.natural, c, lossWan);
  return { level: null, basis: '该类事件不自动定级，待人工研判' };
}
