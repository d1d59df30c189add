import { type Static, Type as T } from 'typebox';
import { Count, paging, Version } from './common.ts';
import { LocationEntered } from './coordinates.ts';
import { ExerciseFilter, ExerciseMark } from './exercises-mark.ts';
import eventCodes from './reference/gbt35561-event-codes.json' with { type: 'json' };

/** Incident levels of the Emergency Response Law: I 特别重大 (highest) … IV 一般. */
export const LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_INFO: Record<Level, { zh: string; en: string; color: string }> = {
  I: { zh: '特别重大', en: 'Extraordinarily serious', color: '#d4380d' },
  II: { zh: '重大', en: 'Serious', color: '#fa8c16' },
  III: { zh: '较大', en: 'Relatively serious', color: '#fadb14' },
  IV: { zh: '一般', en: 'General', color: '#1677ff' },
};
/** Colour of an incident whose level is not yet assessed. */
export const UNASSESSED_COLOR = '#8c8c8c';

/** Quantities a level rule may look at. */
export const LEVEL_FIELDS = [
  'deaths',
  'deathsAndMissing',
  'seriouslyInjured',
  'relocated',
  'affected',
  'directLossWan',
] as const;
export type LevelField = (typeof LEVEL_FIELDS)[number];

/** "any one criterion": a value at or above a level's threshold ("以上" includes the number) gives that level. */
export interface LevelCriterion {
  field: LevelField;
  I: number;
  II: number;
  III: number;
}
export interface LevelRule {
  id: string;
  /** the rule's name as the interface shows it, with its source */
  labelZh: string;
  labelEn: string;
  criteria: LevelCriterion[];
  /** facts not fully verified are shown as such beside the level */
  verified: boolean;
}

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

export const LevelRuleSchema = T.Object({
  id: T.String({ minLength: 1 }),
  labelZh: T.String({ minLength: 1 }),
  labelEn: T.String({ minLength: 1 }),
  verified: T.Boolean(),
  criteria: T.Array(
    T.Object({
      field: T.Enum(LEVEL_FIELDS),
      I: T.Number({ minimum: 0 }),
      II: T.Number({ minimum: 0 }),
      III: T.Number({ minimum: 0 }),
    }),
    { minItems: 1 },
  ),
});

export const CATEGORIES = ['natural', 'accident', 'public_health', 'social_security', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_INFO: Record<Category, { zh: string; en: string; root: string }> = {
  natural: { zh: '自然灾害', en: 'Natural disaster', root: '11000' },
  accident: { zh: '事故灾难', en: 'Accident', root: '12000' },
  public_health: { zh: '公共卫生事件', en: 'Public health', root: '13000' },
  social_security: { zh: '社会安全事件', en: 'Social security', root: '14000' },
  other: { zh: '其它突发事件', en: 'Other', root: '19000' },
};

export const STATUSES = ['reported', 'verified', 'responding', 'recovering', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_INFO: Record<Status, { zh: string; en: string }> = {
  reported: { zh: '已接报', en: 'Reported' },
  verified: { zh: '已核实', en: 'Verified' },
  responding: { zh: '处置中', en: 'Responding' },
  recovering: { zh: '恢复中', en: 'Recovering' },
  closed: { zh: '已关闭', en: 'Closed' },
};
/** Allowed status transitions: forward one step, or straight to closed (e.g. a false report). */
export const TRANSITIONS: Record<Status, Status[]> = {
  reported: ['verified', 'closed'],
  verified: ['responding', 'closed'],
  responding: ['recovering', 'closed'],
  recovering: ['closed'],
  closed: [],
};

export interface EventType {
  code: string;
  level: number;
  /** the standard's name */
  name: string;
  /** ours (the standard has none): scripts/reference/gbt35561-names-en.tsv */
  nameEn: string;
  note?: string;
}
/** GB/T 35561-style incident type codes (371, as observed in working systems; see the `source` note). */
export const EVENT_TYPES: EventType[] = eventCodes.codes as EventType[];
export const EVENT_TYPE_SOURCE: string = eventCodes.source;
const byCode = new Map(EVENT_TYPES.map((t) => [t.code, t]));
export function findEventType(code: string): EventType | undefined {
  return byCode.get(code);
}
/** The parent's code: 11B03 → 11B00 → 11000 → (none). */
export function parentTypeCode(t: EventType): string | undefined {
  if (t.level <= 1) return undefined;
  return t.level === 2 ? `${t.code.slice(0, 2)}000` : `${t.code.slice(0, 3)}00`;
}
const withChildren = new Set(EVENT_TYPES.map(parentTypeCode).filter((c): c is string => !!c));
/** Whether an incident may be filed under the type: a type without subtypes (11B03; 11Y00, a class with none; 19000, other emergencies). */
export function isLeafType(code: string): boolean {
  const t = byCode.get(code);
  return !!t && t.level >= 1 && !withChildren.has(code);
}
/** The type's name in the language (the standard's Chinese name, or ours in English); the code when unknown. */
export function eventTypeName(code: string, lang: 'zh' | 'en'): string {
  const t = byCode.get(code);
  if (!t) return code;
  return lang === 'en' ? t.nameEn : t.name;
}
/** The category of a type code: its first two characters name the 大类 (11 natural … 14 social security, 19 other). */
export function categoryOf(code: string): Category | undefined {
  if (!byCode.has(code) || code === '10000') return undefined;
  const root = `${code.slice(0, 2)}000`;
  return CATEGORIES.find((c) => CATEGORY_INFO[c].root === root);
}

export const Point = T.Object(
  {
    type: T.Literal('Point'),
    coordinates: T.Array(T.Number(), { minItems: 2, maxItems: 2, description: '[longitude, latitude], WGS-84' }),
  },
  { description: 'GeoJSON Point, WGS-84' },
);

/** People counts, each an `integer` column. */
export const Casualties = T.Object({
  deaths: Count({ default: 0 }),
  missing: Count({ default: 0 }),
  seriouslyInjured: Count({ default: 0, description: '重伤（含急性工业中毒）' }),
  injured: Count({ default: 0 }),
  affected: Count({ default: 0, description: '受灾人口' }),
  relocated: Count({ default: 0, description: '紧急转移安置' }),
});

/** The largest direct loss the `numeric(14,2)` column holds (万元). */
export const MAX_LOSS_WAN = 999_999_999_999.99;
const LossWan = T.Number({ minimum: 0, maximum: MAX_LOSS_WAN, description: '直接经济损失（万元）' });
export type Casualties = Static<typeof Casualties>;

export const Reporter = T.Object({
  name: T.Optional(T.String({ maxLength: 100 })),
  unit: T.Optional(T.String({ maxLength: 200 })),
  phone: T.Optional(T.String({ maxLength: 40 })),
});

export const IncidentInput = T.Object({
  title: T.String({ minLength: 1, maxLength: 200 }),
  description: T.Optional(T.String({ maxLength: 10000 })),
  typeCode: T.String({ minLength: 5, maxLength: 5 }),
  occurredAt: T.String({ format: 'date-time' }),
  reportedAt: T.Optional(T.String({ format: 'date-time' })),
  location: T.Optional(T.Union([Point, T.Null()])),
  /**
   * The point as entered, in its datum (GCJ-02 from a Chinese web map, CGCS2000, WGS-84): converted to WGS-84 and
   * recorded; when given it is the location (`location` may be left out).
   */
  locationEntered: T.Optional(LocationEntered),
  address: T.Optional(T.String({ maxLength: 500 })),
  reporter: T.Optional(Reporter),
  casualties: T.Optional(T.Partial(Casualties)),
  directLossWan: T.Optional(LossWan),
});
export type IncidentInput = Static<typeof IncidentInput>;

export const IncidentPatch = T.Object({
  version: T.Optional(Version()),
  title: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  description: T.Optional(T.String({ maxLength: 10000 })),
  typeCode: T.Optional(T.String({ minLength: 5, maxLength: 5 })),
  occurredAt: T.Optional(T.String({ format: 'date-time' })),
  location: T.Optional(T.Union([Point, T.Null()])),
  locationEntered: T.Optional(LocationEntered),
  address: T.Optional(T.String({ maxLength: 500 })),
  reporter: T.Optional(Reporter),
  casualties: T.Optional(T.Partial(Casualties)),
  directLossWan: T.Optional(LossWan),
  /** A manual level; `null` removes the override. Needs `levelReason` when set. */
  level: T.Optional(T.Union([T.Enum(LEVELS), T.Null()])),
  levelReason: T.Optional(T.String({ maxLength: 1000 })),
});
export type IncidentPatch = Static<typeof IncidentPatch>;

export const Incident = T.Object({
  id: T.String(),
  number: T.String({ description: 'WH-2026-000123' }),
  title: T.String(),
  description: T.String(),
  typeCode: T.String(),
  typeName: T.String(),
  category: T.Enum(CATEGORIES),
  occurredAt: T.String(),
  reportedAt: T.String(),
  location: T.Union([Point, T.Null()]),
  /** the point as the reporter entered it (datum and numbers), when not in WGS-84 or typed; null when picked on a map */
  locationEntered: T.Union([LocationEntered, T.Null()]),
  address: T.String(),
  reporter: Reporter,
  casualties: Casualties,
  directLossWan: T.Number(),
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  /**
   * inside: in a district polygon; sea: in the city's waters (district: the one they are assigned to, null for the
   * city's own); outside: a point outside the city; unknown: no location.
   */
  districtStatus: T.Union([T.Literal('inside'), T.Literal('sea'), T.Literal('outside'), T.Literal('unknown')]),
  /** The level in force: the override when there is one, else the computed level; null = not yet assessed. */
  level: T.Union([T.Enum(LEVELS), T.Null()]),
  computedLevel: T.Union([T.Enum(LEVELS), T.Null()]),
  /** Why the computed level is what it is (rule name and the criterion that decided). */
  levelBasis: T.String(),
  /** the same in English */
  levelBasisEn: T.String(),
  levelOverride: T.Union([
    T.Object({ level: T.String(), reason: T.String(), by: T.String(), at: T.String() }),
    T.Null(),
  ]),
  status: T.Enum(STATUSES),
  /** when it was closed (the final report's clock runs from it); null while open */
  closedAt: T.Union([T.String(), T.Null()]),
  /**
   * Open incidents (not closed, not merged) of the same type near this one in place and time when it was reported or
   * moved (`DuplicateRule`): ids, oldest first; empty when none.
   */
  possibleDuplicateOf: T.Array(T.String()),
  /** the incident this one was merged into as a duplicate (its status stays; it leaves the default lists) */
  mergedInto: T.Union([T.Object({ id: T.String(), number: T.String(), at: T.String(), by: T.String() }), T.Null()]),
  demo: T.Boolean(),
  /** drill mode (演练): the exercise that played this incident; null for a real one */
  exercise: T.Union([ExerciseMark, T.Null()]),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Incident = Static<typeof Incident>;

/** When a new incident is flagged as a possible duplicate of an open one (configurable, `incidents.rules`). */
export const DuplicateRule = T.Object({
  /** same type code, or only the same category (11 natural, 12 accident …) */
  match: T.Union([T.Literal('type'), T.Literal('category')]),
  /** within this distance of the other's point */
  distanceMeters: T.Integer({ minimum: 1, maximum: 100_000 }),
  /** occurredAt within this many hours of the other's, before or after */
  hours: T.Number({ minimum: 0.1, maximum: 720 }),
});
export type DuplicateRule = Static<typeof DuplicateRule>;
export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { match: 'type', distanceMeters: 1000, hours: 6 };

export const MergeInput = T.Object({
  intoId: T.String({ format: 'uuid', description: 'the incident that survives' }),
  version: T.Optional(Version("the duplicate's version read; stale → 409")),
});
export type MergeInput = Static<typeof MergeInput>;
export const UnmergeInput = T.Object({ version: T.Optional(Version()) });
export type UnmergeInput = Static<typeof UnmergeInput>;

export const IncidentListQuery = T.Object({
  status: T.Optional(T.String({ maxLength: 200, description: 'comma-separated statuses' })),
  category: T.Optional(T.String({ maxLength: 200, description: 'comma-separated categories' })),
  typeCode: T.Optional(
    T.String({ maxLength: 20, description: 'a type code; a class code (11B00) or 大类 (11000) matches its children' }),
  ),
  level: T.Optional(T.String({ maxLength: 50, description: 'comma-separated levels; "none" = not yet assessed' })),
  district: T.Optional(
    T.String({ maxLength: 64, description: 'district code, or "sea" (the city\'s waters) / "outside" / "unknown"' }),
  ),
  from: T.Optional(T.String({ format: 'date-time', description: 'occurredAt ≥ from' })),
  to: T.Optional(T.String({ format: 'date-time', description: 'occurredAt < to' })),
  q: T.Optional(T.String({ maxLength: 200, description: 'text in number, title, description, address' })),
  merged: T.Optional(
    T.Union([T.Literal('include'), T.Literal('only')], {
      description: 'incidents merged into another are left out unless "include" (all) or "only"',
    }),
  ),
  exercise: T.Optional(ExerciseFilter),
  ...paging(),
});
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const Transition = T.Object({
  to: T.Enum(STATUSES),
  note: T.Optional(T.String({ maxLength: 2000 })),
  version: T.Optional(Version()),
});

export const LogEntry = T.Object({
  id: T.String(),
  at: T.String(),
  kind: T.String({ description: 'created | note | status | level | updated' }),
  text: T.String(),
  actor: T.Union([T.Object({ id: T.String(), displayName: T.String() }), T.Null()]),
  data: T.Any(),
});
export type LogEntry = Static<typeof LogEntry>;
export const LogInput = T.Object({ text: T.String({ minLength: 1, maxLength: 5000 }) });
/** The command log is read in larger pages than lists. */
export const LogQuery = T.Object(paging({ maxLimit: 1000, defaultLimit: 200 }));
