import type { Casualties, Category, Level, LevelField, LevelRule } from '../../../contracts/incidents.ts';

export type { LevelCriterion, LevelField, LevelRule } from '../../../contracts/incidents.ts';
export { LEVEL_FIELDS } from '../../../contracts/incidents.ts';

/** State Council Order 493 (2007), art. 3: deaths, serious injuries (incl. acute industrial poisoning), direct loss. */
export const ORDER_493: LevelRule = {
  id: 'order-493',
  labelZh: '《生产安全事故报告和调查处理条例》（国务院令第493号）第三条',
  labelEn: 'State Council Order No. 493, art. 3',
  criteria: [
    { field: 'deaths', I: 30, II: 10, III: 3 },
    { field: 'seriouslyInjured', I: 100, II: 50, III: 10 },
    { field: 'directLossWan', I: 10000, II: 5000, III: 1000 },
  ],
  verified: true,
};

/**
 * Default for natural disasters: the 2016 national relief-response start conditions (国办函〔2016〕25号, since
 * replaced by the 2024 plan whose levels II–IV were not available). Configurable; the label says so.
 * Level IV's own lower bound (20 deaths, 100,000 relocated) is not used: below level III everything is IV.
 */
export const NATURAL_2016: LevelRule = {
  id: 'natural-2016',
  labelZh: '国家自然灾害救助应急响应启动条件（2016版，国办函〔2016〕25号，已废止；默认值，可配置）',
  labelEn: 'National natural-disaster relief response thresholds (2016 edition, superseded; default, configurable)',
  criteria: [
    { field: 'deaths', I: 200, II: 100, III: 50 },
    { field: 'relocated', I: 2_000_000, II: 1_000_000, III: 500_000 },
  ],
  verified: false,
};

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
