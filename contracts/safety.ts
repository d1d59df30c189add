/**
 * Work safety (安全生产): the enterprises register (企业), GB 18218-2018 major hazards (重大危险源) and risk points
 * graded by LEC or LS (双重预防机制风险分级). Shared by the server (schemas) and the web (types, names).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { LocationEntered } from './coordinates.ts';
import { Point } from './incidents.ts';

const Uuid = T.String({ format: 'uuid' });
const Day = T.String({ format: 'date', description: 'YYYY-MM-DD' });

export const INDUSTRIES = [
  'chemical',
  'mining',
  'metallurgy',
  'construction',
  'fireworks',
  'urban_rail',
  'manufacturing',
  'warehousing_logistics',
  'hospitality',
  'retail',
  'entertainment',
  'tourism',
  'education',
  'healthcare',
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];
export const INDUSTRY_INFO: Record<Industry, { zh: string; en: string }> = {
  chemical: { zh: '化工（危险化学品）', en: 'Chemicals' },
  mining: { zh: '矿山', en: 'Mining' },
  metallurgy: { zh: '冶金', en: 'Metallurgy' },
  construction: { zh: '建筑施工', en: 'Construction' },
  fireworks: { zh: '烟花爆竹', en: 'Fireworks' },
  urban_rail: { zh: '城市轨道交通', en: 'Urban rail' },
  manufacturing: { zh: '工贸制造', en: 'Manufacturing' },
  warehousing_logistics: { zh: '仓储物流', en: 'Warehousing and logistics' },
  hospitality: { zh: '住宿餐饮', en: 'Hotels and restaurants' },
  retail: { zh: '商场超市', en: 'Retail' },
  entertainment: { zh: '文化娱乐', en: 'Entertainment' },
  tourism: { zh: '旅游景区', en: 'Tourism' },
  education: { zh: '教育', en: 'Education' },
  healthcare: { zh: '医疗卫生', en: 'Healthcare' },
  other: { zh: '其他', en: 'Other' },
};

/** the high-risk categories of the issue (高危行业); an enterprise is in at most one */
export const HIGH_RISK_CATEGORIES = [
  'hazardous_chemicals',
  'mines',
  'metal_smelting',
  'urban_rail',
  'construction',
  'fireworks',
] as const;
export type HighRiskCategory = (typeof HIGH_RISK_CATEGORIES)[number];
export const HIGH_RISK_INFO: Record<HighRiskCategory, { zh: string; en: string }> = {
  hazardous_chemicals: { zh: '危险化学品', en: 'Hazardous chemicals' },
  mines: { zh: '矿山', en: 'Mines' },
  metal_smelting: { zh: '金属冶炼', en: 'Metal smelting' },
  urban_rail: { zh: '城市轨道交通', en: 'Urban rail' },
  construction: { zh: '建筑施工', en: 'Construction' },
  fireworks: { zh: '烟花爆竹', en: 'Fireworks' },
};

/** 危险化工工艺自动化控制 status */
export const AUTOMATION_STATUSES = ['not_applicable', 'none', 'partial', 'complete'] as const;
export type AutomationStatus = (typeof AUTOMATION_STATUSES)[number];
export const AUTOMATION_INFO: Record<AutomationStatus, { zh: string; en: string }> = {
  not_applicable: { zh: '不涉及危险化工工艺', en: 'No hazardous process' },
  none: { zh: '未实现自动化控制', en: 'Not automated' },
  partial: { zh: '部分实现自动化控制', en: 'Partly automated' },
  complete: { zh: '全部实现自动化控制', en: 'Fully automated' },
};

/** the safety-liability insurance (安全生产责任保险) against today: expiring = within 30 days */
export const INSURANCE_STATUSES = ['none', 'valid', 'expiring', 'expired'] as const;
export type InsuranceStatus = (typeof INSURANCE_STATUSES)[number];
export const INSURANCE_EXPIRING_DAYS = 30;
export const INSURANCE_INFO: Record<InsuranceStatus, { zh: string; en: string; color: string }> = {
  none: { zh: '未登记', en: 'Not recorded', color: 'default' },
  valid: { zh: '有效', en: 'Valid', color: 'green' },
  expiring: { zh: '30 天内到期', en: 'Expires within 30 days', color: 'orange' },
  expired: { zh: '已过期', en: 'Expired', color: 'red' },
};

/** The insurance status of an expiry day (YYYY-MM-DD) on a day (YYYY-MM-DD, Beijing). */
export function insuranceStatus(expiry: string | null, today: string): InsuranceStatus {
  if (!expiry) return 'none';
  if (expiry < today) return 'expired';
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + INSURANCE_EXPIRING_DAYS);
  return expiry <= limit.toISOString().slice(0, 10) ? 'expiring' : 'valid';
}

/** four risk colours (红橙黄蓝), highest first */
export const RISK_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];
export const RISK_COLOUR_INFO: Record<RiskColour, { zh: string; en: string; hex: string; level: string }> = {
  red: { zh: '红色（重大风险）', en: 'Red (major)', hex: '#f5222d', level: '重大风险' },
  orange: { zh: '橙色（较大风险）', en: 'Orange (high)', hex: '#fa8c16', level: '较大风险' },
  yellow: { zh: '黄色（一般风险）', en: 'Yellow (moderate)', hex: '#fadb14', level: '一般风险' },
  blue: { zh: '蓝色（低风险）', en: 'Blue (low)', hex: '#1677ff', level: '低风险' },
};

export const SafetyContact = T.Object({
  name: T.String({ minLength: 1, maxLength: 50 }),
  role: T.Optional(T.String({ maxLength: 50 })),
  phone: T.String({ minLength: 3, maxLength: 40, description: 'masked without personal.read' }),
});
export type SafetyContact = Static<typeof SafetyContact>;

export const CreditCode = T.String({
  minLength: 18,
  maxLength: 40,
  description: '统一社会信用代码 (GB 32100-2015); lower case and full-width accepted, stored upper case',
});

export const EnterpriseInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  creditCode: CreditCode,
  industry: T.Enum(INDUSTRIES),
  highRiskCategory: T.Optional(T.Union([T.Enum(HIGH_RISK_CATEGORIES), T.Null()])),
  /** 人员密集场所 */
  crowdedVenue: T.Optional(T.Boolean()),
  /** 化工园区 (free text) */
  park: T.Optional(T.Union([T.String({ maxLength: 100 }), T.Null()])),
  location: T.Optional(T.Union([Point, T.Null()])),
  /** the point as entered in its datum (GCJ-02 from a Chinese web map is converted); when given it is the location */
  locationEntered: T.Optional(T.Union([LocationEntered, T.Null()])),
  /** the district when there is no location (a location decides it otherwise) */
  districtCode: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
  address: T.Optional(T.String({ maxLength: 300 })),
  legalRepresentative: T.Optional(T.String({ maxLength: 50 })),
  safetyContacts: T.Optional(T.Array(SafetyContact, { maxItems: 5 })),
  employees: T.Optional(T.Union([T.Integer({ minimum: 0, maximum: 1_000_000 }), T.Null()])),
  /** 安全生产责任保险 expiry */
  insuranceExpiry: T.Optional(T.Union([Day, T.Null()])),
  automation: T.Optional(T.Enum(AUTOMATION_STATUSES)),
  active: T.Optional(T.Boolean()),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type EnterpriseInput = Static<typeof EnterpriseInput>;

/** A change: what is given replaces what it had. An enterprise user may not change the credit code or the district. */
export const EnterprisePatch = T.Object({
  ...T.Partial(EnterpriseInput).properties,
  version: Version(),
});
export type EnterprisePatch = Static<typeof EnterprisePatch>;

export const MajorHazardSummary = T.Object({
  /** hazard units identified as major hazards */
  count: T.Integer(),
  /** the highest grade among them (1 highest), null when none */
  highestGrade: T.Union([T.Integer({ minimum: 1, maximum: 4 }), T.Null()]),
});

/** An enterprise as the register shows it (the web's EnterpriseView). */
export const Enterprise = T.Object({
  id: Uuid,
  name: T.String(),
  creditCode: T.String(),
  industry: T.Enum(INDUSTRIES),
  highRiskCategory: T.Union([T.Enum(HIGH_RISK_CATEGORIES), T.Null()]),
  crowdedVenue: T.Boolean(),
  park: T.Union([T.String(), T.Null()]),
  location: T.Union([Point, T.Null()]),
  locationEntered: T.Union([LocationEntered, T.Null()]),
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  address: T.Union([T.String(), T.Null()]),
  legalRepresentative: T.Union([T.String(), T.Null()]),
  safetyContacts: T.Array(SafetyContact),
  employees: T.Union([T.Integer(), T.Null()]),
  insuranceExpiry: T.Union([Day, T.Null()]),
  insuranceStatus: T.Enum(INSURANCE_STATUSES),
  automation: T.Enum(AUTOMATION_STATUSES),
  /** the enterprise's own org unit (kind 'enterprise'): its users' scope */
  unitCode: T.String(),
  active: T.Boolean(),
  notes: T.Union([T.String(), T.Null()]),
  majorHazards: MajorHazardSummary,
  /** the highest colour among its risk points (by the grading rule in force), null without any */
  riskColour: T.Union([T.Enum(RISK_COLOURS), T.Null()]),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Enterprise = Static<typeof Enterprise>;
export type EnterpriseView = Enterprise;

export const EnterpriseQuery = T.Object({
  /** name, credit code, pinyin (full or initials) */
  q: T.Optional(T.String({ maxLength: 100 })),
  district: T.Optional(T.String({ maxLength: 64 })),
  industry: T.Optional(T.Enum(INDUSTRIES)),
  highRiskCategory: T.Optional(T.Union([T.Enum(HIGH_RISK_CATEGORIES), T.Literal('none')])),
  crowded: T.Optional(T.Boolean()),
  /** has at least one major hazard (true) or none (false) */
  majorHazard: T.Optional(T.Boolean()),
  /** insurance expired or expiring within 30 days */
  insuranceExpiring: T.Optional(T.Boolean()),
  active: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500 }),
});
export type EnterpriseQuery = Static<typeof EnterpriseQuery>;

/** The enterprises map layer: points coloured by their highest risk-point colour (grey without risk points). */
export const EnterpriseLayer = T.Object({
  type: T.Literal('FeatureCollection'),
  features: T.Array(
    T.Object({
      type: T.Literal('Feature'),
      geometry: Point,
      properties: T.Object({
        id: Uuid,
        name: T.String(),
        industry: T.String(),
        districtCode: T.Union([T.String(), T.Null()]),
        riskColour: T.Union([T.Enum(RISK_COLOURS), T.Null()]),
        majorHazards: T.Integer(),
        color: T.String(),
      }),
    }),
  ),
});
export type EnterpriseLayer = Static<typeof EnterpriseLayer>;
export const NO_RISK_COLOUR_HEX = '#8c8c8c';

// ---- risk grading (双重预防机制风险分级), standards-facts §5 ----

/**
 * The LEC method's allowed values (D = L×E×C; Graham–Kinney as used in Chinese practice, standards-facts §5): only
 * these may be entered, each with its words.
 */
export const LEC_VALUES: {
  L: readonly { v: number; zh: string; en: string }[];
  E: readonly { v: number; zh: string; en: string }[];
  C: readonly { v: number; zh: string; en: string }[];
} = {
  L: [
    { v: 10, zh: '完全可以预料', en: 'Fully expected' },
    { v: 6, zh: '相当可能', en: 'Quite possible' },
    { v: 3, zh: '可能，但不经常', en: 'Possible but unusual' },
    { v: 1, zh: '可能性小，完全意外', en: 'Unlikely, a pure accident' },
    { v: 0.5, zh: '很不可能，可以设想', en: 'Very unlikely, conceivable' },
    { v: 0.2, zh: '极不可能', en: 'Extremely unlikely' },
    { v: 0.1, zh: '实际不可能', en: 'Practically impossible' },
  ],
  E: [
    { v: 10, zh: '连续暴露', en: 'Continuous' },
    { v: 6, zh: '每天工作时间内暴露', en: 'Daily in working hours' },
    { v: 3, zh: '每周一次或偶然暴露', en: 'Weekly or occasionally' },
    { v: 2, zh: '每月一次暴露', en: 'Monthly' },
    { v: 1, zh: '每年几次暴露', en: 'A few times a year' },
    { v: 0.5, zh: '非常罕见暴露', en: 'Very rarely' },
  ],
  C: [
    { v: 100, zh: '大灾难，许多人死亡', en: 'Catastrophe, many deaths' },
    { v: 40, zh: '灾难，数人死亡', en: 'Disaster, several deaths' },
    { v: 15, zh: '非常严重，一人死亡', en: 'Very serious, one death' },
    { v: 7, zh: '严重，重伤', en: 'Serious, severe injury' },
    { v: 3, zh: '重大，致残', en: 'Important, disability' },
    { v: 1, zh: '引人注目，需要救护', en: 'Noticeable, first aid needed' },
  ],
};

export const RISK_METHODS = ['LEC', 'LS'] as const;
export type RiskMethod = (typeof RISK_METHODS)[number];

/**
 * The thresholds in force (setting `safety.riskGrading`). LEC: D above `red` is red, above `orange` orange, above
 * `yellow` yellow, else blue (lower bounds exclusive, as "D > 320"). LS: R at or above `red` is red, etc. (lower bounds
 * inclusive, as "20–25"). Each must be above the next.
 */
export const RiskGrading = T.Object({
  lec: T.Object({
    red: T.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    orange: T.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
    yellow: T.Number({ exclusiveMinimum: 0, maximum: 100_000 }),
  }),
  ls: T.Object({
    red: T.Number({ exclusiveMinimum: 0, maximum: 25 }),
    orange: T.Number({ exclusiveMinimum: 0, maximum: 25 }),
    yellow: T.Number({ exclusiveMinimum: 0, maximum: 25 }),
  }),
  /** the rule's name as the UI shows it, e.g. 山东做法（DB37/T 2882） */
  ruleName: T.String({ minLength: 1, maxLength: 200 }),
  ruleNameEn: T.String({ minLength: 1, maxLength: 200 }),
});
export type RiskGrading = Static<typeof RiskGrading>;

/**
 * The default: LEC "做法1" (>320 red, 160–320 orange, 70–160 yellow, ≤70 blue) and LS (a), the Shandong practice
 * (20–25 red, 15–16 orange, 9–12 yellow, ≤8 blue) — standards-facts §5; there is no national rule and sources disagree.
 */
export const DEFAULT_RISK_GRADING: RiskGrading = {
  lec: { red: 320, orange: 160, yellow: 70 },
  ls: { red: 20, orange: 15, yellow: 9 },
  ruleName:
    '山东做法（DB37/T 2882 等）：LEC D>320 红、160<D≤320 橙、70<D≤160 黄、D≤70 蓝；LS 20–25 红、15–16 橙、9–12 黄、≤8 蓝',
  ruleNameEn:
    'Shandong practice (DB37/T 2882 etc.): LEC D>320 red, 160<D≤320 orange, 70<D≤160 yellow, D≤70 blue; LS 20–25 red, 15–16 orange, 9–12 yellow, ≤8 blue',
};

export const RiskGradingSetting = T.Object({
  value: RiskGrading,
  version: T.Integer(),
  /** false while the defaults are in force (never changed) */
  changed: T.Boolean(),
  updatedAt: T.Union([T.String(), T.Null()]),
});
export type RiskGradingSetting = Static<typeof RiskGradingSetting>;

export const RiskGradingPut = T.Object({ value: RiskGrading, version: T.Integer({ minimum: 0 }) });
export type RiskGradingPut = Static<typeof RiskGradingPut>;

/** rounding before comparing: a product of decimals (0.1 × 3 × …) lands on the side its exact value is on */
const r9 = (x: number) => Math.round(x * 1e9) / 1e9;

/** A score's colour under a grading rule. */
export function riskColourOf(method: RiskMethod, score: number, g: RiskGrading): RiskColour {
  const s = r9(score);
  if (method === 'LEC') {
    if (s > g.lec.red) return 'red';
    if (s > g.lec.orange) return 'orange';
    if (s > g.lec.yellow) return 'yellow';
    return 'blue';
  }
  if (s >= g.ls.red) return 'red';
  if (s >= g.ls.orange) return 'orange';
  if (s >= g.ls.yellow) return 'yellow';
  return 'blue';
}

/** The highest of some colours (null when none). */
export function highestColour(colours: readonly (RiskColour | null)[]): RiskColour | null {
  let best: RiskColour | null = null;
  for (const c of colours) if (c && (best === null || RISK_COLOURS.indexOf(c) < RISK_COLOURS.indexOf(best))) best = c;
  return best;
}
