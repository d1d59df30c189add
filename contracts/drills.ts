/**
 * Emergency drills (应急演练, issue 14 part 8): annual drill plans, drill records typed by AQ/T 9007-2019 §4.2
 * (content 综合/单项 × form 实战/桌面, purpose 检验性/示范性/研究性), participants, evaluation, problems found and
 * their improvement actions, and the compliance of every subject with the drill-frequency rules in force
 * (《生产安全事故应急条例》第八条, 《生产安全事故应急预案管理办法》第三十三条, 国办发〔2024〕5号 第三十二条 — see
 * /work/shared/reference/standards-facts.md §8). Shared by the server (schemas) and the web (types, names).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';

const Day = T.String({ format: 'date', description: 'YYYY-MM-DD (Beijing date)' });
const Clock = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:mm (Beijing time)' });
const Uuid = T.String({ format: 'uuid' });
const UnitCode = T.String({ minLength: 1, maxLength: 64 });

// ————— types (AQ/T 9007-2019 §4.2) —————

/** by content: 综合演练 (several or all response functions of a plan) / 单项演练 (one function) */
export const DRILL_CONTENTS = ['comprehensive', 'single'] as const;
export type DrillContent = (typeof DRILL_CONTENTS)[number];
/** by form: 实战演练 (live) / 桌面演练 (tabletop: maps, sand tables, flow charts, simulation, video conference) */
export const DRILL_FORMS = ['live', 'tabletop'] as const;
export type DrillForm = (typeof DRILL_FORMS)[number];
/** by purpose: 检验性 / 示范性 / 研究性 (optional) */
export const DRILL_PURPOSES = ['verification', 'demonstration', 'research'] as const;
export type DrillPurpose = (typeof DRILL_PURPOSES)[number];

export const DRILL_CONTENT_INFO: Record<DrillContent, { zh: string; en: string }> = {
  comprehensive: { zh: '综合演练', en: 'Comprehensive' },
  single: { zh: '单项演练', en: 'Single-function' },
};
export const DRILL_FORM_INFO: Record<DrillForm, { zh: string; en: string }> = {
  live: { zh: '实战演练', en: 'Live' },
  tabletop: { zh: '桌面演练', en: 'Tabletop' },
};
export const DRILL_PURPOSE_INFO: Record<DrillPurpose, { zh: string; en: string }> = {
  verification: { zh: '检验性', en: 'Verification' },
  demonstration: { zh: '示范性', en: 'Demonstration' },
  research: { zh: '研究性', en: 'Research' },
};

/** an enterprise's own plan kinds (GB/T 29639-2020 ch. 5): 综合应急预案 / 专项应急预案 / 现场处置方案 */
export const ENTERPRISE_PLAN_KINDS = ['comprehensive', 'special', 'onsite'] as const;
export type EnterprisePlanKind = (typeof ENTERPRISE_PLAN_KINDS)[number];
export const ENTERPRISE_PLAN_KIND_INFO: Record<EnterprisePlanKind, { zh: string; en: string }> = {
  comprehensive: { zh: '综合应急预案', en: 'Comprehensive plan' },
  special: { zh: '专项应急预案', en: 'Special plan' },
  onsite: { zh: '现场处置方案', en: 'On-site response plan' },
};

export const EVALUATION_RATINGS = ['excellent', 'good', 'fair', 'poor'] as const;
export type EvaluationRating = (typeof EVALUATION_RATINGS)[number];
export const EVALUATION_RATING_INFO: Record<EvaluationRating, { zh: string; en: string; color: string }> = {
  excellent: { zh: '优', en: 'Excellent', color: 'green' },
  good: { zh: '良', en: 'Good', color: 'blue' },
  fair: { zh: '中', en: 'Fair', color: 'gold' },
  poor: { zh: '差', en: 'Poor', color: 'red' },
};

export const PROBLEM_SEVERITIES = ['minor', 'major', 'serious'] as const;
export type ProblemSeverity = (typeof PROBLEM_SEVERITIES)[number];
export const PROBLEM_SEVERITY_INFO: Record<ProblemSeverity, { zh: string; en: string; color: string }> = {
  minor: { zh: '一般', en: 'Minor', color: 'default' },
  major: { zh: '较重', en: 'Major', color: 'orange' },
  serious: { zh: '严重', en: 'Serious', color: 'red' },
};

export const ACTION_STATUSES = ['open', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

// ————— subjects and the plan tested —————

/** who drilled: an enterprise (the safety module's register) or a government unit (an org unit's code) */
export const DrillSubjectInput = T.Union([
  T.Object({ kind: T.Literal('enterprise'), enterpriseId: Uuid }),
  T.Object({ kind: T.Literal('unit'), unitCode: UnitCode }),
]);
export type DrillSubjectInput = Static<typeof DrillSubjectInput>;

/**
 * the plan tested: a plan of the command register (its kind tells government special / department …), or, for an
 * enterprise, the kind of its own plan (`onsite` counts for the on-site rule); null: none named
 */
export const PlanTestedInput = T.Union([
  T.Object({ kind: T.Literal('command'), planId: Uuid }),
  T.Object({ kind: T.Literal('enterprise'), planKind: T.Enum(ENTERPRISE_PLAN_KINDS) }),
  T.Null(),
]);
export type PlanTestedInput = Static<typeof PlanTestedInput>;

export const Participant = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  unit: T.Optional(T.String({ maxLength: 200 })),
  role: T.Optional(T.String({ maxLength: 100 })),
  attended: T.Optional(T.Boolean({ default: true })),
  /** hours spent (0–48, steps of 0.5 are usual) */
  hours: T.Optional(T.Number({ minimum: 0, maximum: 48 })),
});
export type Participant = Static<typeof Participant>;

export const Evaluation = T.Object({
  score: T.Optional(T.Union([T.Integer({ minimum: 0, maximum: 100 }), T.Null()])),
  rating: T.Enum(EVALUATION_RATINGS),
  text: T.Optional(T.String({ maxLength: 5000 })),
  /** who evaluated (name or team) */
  by: T.Optional(T.String({ maxLength: 200 })),
  /** when (Beijing date) */
  at: T.Optional(Day),
});
export type Evaluation = Static<typeof Evaluation>;

export const ActionInput = T.Object({
  description: T.String({ minLength: 1, maxLength: 1000 }),
  ownerName: T.Optional(T.String({ maxLength: 100 })),
  ownerUnit: T.Optional(T.String({ maxLength: 200 })),
  deadline: Day,
  status: T.Optional(T.Enum(ACTION_STATUSES)),
  doneNote: T.Optional(T.String({ maxLength: 1000 })),
});
export type ActionInput = Static<typeof ActionInput>;

export const ProblemInput = T.Object({
  description: T.String({ minLength: 1, maxLength: 2000 }),
  severity: T.Enum(PROBLEM_SEVERITIES),
  /** the plan tested must be revised for it (a command plan: a task goes to the plan's owner unit) */
  needsPlanRevision: T.Optional(T.Boolean()),
  actions: T.Optional(T.Array(ActionInput, { maxItems: 50 })),
});
export type ProblemInput = Static<typeof ProblemInput>;

export const DrillSource = T.Union([
  T.Object({ kind: T.Literal('manual') }),
  /** recorded when an exercise (drill mode) ended */
  T.Object({ kind: T.Literal('exercise'), exerciseId: Uuid }),
]);
export type DrillSource = Static<typeof DrillSource>;

/** A drill done: what a form, an import or the exercises module (`DrillsApi.recordDrill`) sends. */
export const DrillRecordInput = T.Object({
  title: T.String({ minLength: 1, maxLength: 200 }),
  /** the day it took place (Beijing date) */
  date: Day,
  startTime: T.Optional(T.Union([Clock, T.Null()])),
  endTime: T.Optional(T.Union([Clock, T.Null()])),
  location: T.Optional(T.String({ maxLength: 300 })),
  /** the organising unit's code; the subject's (or the author's) unit when left out */
  organiserUnit: T.Optional(UnitCode),
  subject: DrillSubjectInput,
  planTested: T.Optional(PlanTestedInput),
  content: T.Enum(DRILL_CONTENTS),
  form: T.Enum(DRILL_FORMS),
  purpose: T.Optional(T.Union([T.Enum(DRILL_PURPOSES), T.Null()])),
  scenario: T.Optional(T.String({ maxLength: 5000 })),
  participants: T.Optional(T.Array(Participant, { maxItems: 2000 })),
  evaluation: T.Optional(T.Union([Evaluation, T.Null()])),
  problems: T.Optional(T.Array(ProblemInput, { maxItems: 100 })),
  /** the annual plan's item this drill fulfils */
  planItemId: T.Optional(T.Union([Uuid, T.Null()])),
  /** manual when left out; an exercise records its id (one drill record per exercise) */
  source: T.Optional(DrillSource),
  notes: T.Optional(T.String({ maxLength: 5000 })),
});
export type DrillRecordInput = Static<typeof DrillRecordInput>;

export const DrillRecordPatch = T.Object({
  version: Version(),
  ...T.Partial(T.Omit(DrillRecordInput, ['source'])).properties,
});
export type DrillRecordPatch = Static<typeof DrillRecordPatch>;

export const SubjectRef = T.Object({
  kind: T.Union([T.Literal('enterprise'), T.Literal('plan'), T.Literal('unit')]),
  id: T.String(),
  name: T.String(),
  district: T.Union([T.String(), T.Null()]),
});
export type SubjectRef = Static<typeof SubjectRef>;

export const Action = T.Object({
  id: T.String(),
  description: T.String(),
  ownerName: T.String(),
  ownerUnit: T.String(),
  deadline: T.String(),
  status: T.Enum(ACTION_STATUSES),
  doneNote: T.String(),
  /** open and past its deadline (Beijing date) */
  overdue: T.Boolean(),
});
export type Action = Static<typeof Action>;

export const Problem = T.Object({
  id: T.String(),
  description: T.String(),
  severity: T.Enum(PROBLEM_SEVERITIES),
  needsPlanRevision: T.Boolean(),
  actions: T.Array(Action),
});
export type Problem = Static<typeof Problem>;

export const Drill = T.Object({
  id: T.String(),
  number: T.String(),
  title: T.String(),
  date: T.String(),
  startTime: T.Union([T.String(), T.Null()]),
  endTime: T.Union([T.String(), T.Null()]),
  location: T.String(),
  organiserUnit: T.Union([T.Object({ code: T.String(), name: T.String(), nameEn: T.String() }), T.Null()]),
  subject: SubjectRef,
  planTested: T.Union([
    T.Object({
      kind: T.Literal('command'),
      planId: T.String(),
      planName: T.String(),
      planKind: T.String(),
      ownerUnit: T.Union([T.String(), T.Null()]),
    }),
    T.Object({ kind: T.Literal('enterprise'), planKind: T.Enum(ENTERPRISE_PLAN_KINDS) }),
    T.Null(),
  ]),
  content: T.Enum(DRILL_CONTENTS),
  form: T.Enum(DRILL_FORMS),
  purpose: T.Union([T.Enum(DRILL_PURPOSES), T.Null()]),
  scenario: T.String(),
  participants: T.Array(
    T.Object({ name: T.String(), unit: T.String(), role: T.String(), attended: T.Boolean(), hours: T.Number() }),
  ),
  /** participants who attended, and their hours in all */
  attendance: T.Object({ total: T.Integer(), attended: T.Integer(), hours: T.Number() }),
  evaluation: T.Union([Evaluation, T.Null()]),
  problems: T.Array(Problem),
  openActions: T.Integer(),
  overdueActions: T.Integer(),
  planItemId: T.Union([T.String(), T.Null()]),
  source: DrillSource,
  /** the plan-revision task created on the command plan's owner unit (command module), once */
  revisionTaskId: T.Union([T.String(), T.Null()]),
  notes: T.String(),
  districtCode: T.Union([T.String(), T.Null()]),
  ownerUnit: T.String(),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Drill = Static<typeof Drill>;

export const DrillListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100 })),
  from: T.Optional(Day),
  to: T.Optional(Day),
  content: T.Optional(T.Enum(DRILL_CONTENTS)),
  form: T.Optional(T.Enum(DRILL_FORMS)),
  subjectKind: T.Optional(T.Union([T.Literal('enterprise'), T.Literal('unit')])),
  enterpriseId: T.Optional(Uuid),
  planId: T.Optional(Uuid),
  district: T.Optional(T.String({ maxLength: 32 })),
  /** with improvement actions past their deadline */
  overdueActions: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500, defaultLimit: 50 }),
});
export type DrillListQuery = Static<typeof DrillListQuery>;

export const ActionPatch = T.Object({
  status: T.Enum(ACTION_STATUSES),
  doneNote: T.Optional(T.String({ maxLength: 1000 })),
});
export type ActionPatch = Static<typeof ActionPatch>;

export const ActionListQuery = T.Object({
  status: T.Optional(T.Enum(ACTION_STATUSES)),
  overdue: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500, defaultLimit: 100 }),
});
export type ActionListQuery = Static<typeof ActionListQuery>;
export const ActionRow = T.Object({
  ...Action.properties,
  drillId: T.String(),
  drillNumber: T.String(),
  drillTitle: T.String(),
  problem: T.String(),
});
export type ActionRow = Static<typeof ActionRow>;

// ————— annual drill plans (年度演练计划) —————

export const DrillPlanItemInput = T.Object({
  /** kept when editing (fulfilment links records to it); new items get one */
  id: T.Optional(Uuid),
  month: T.Integer({ minimum: 1, maximum: 12 }),
  title: T.String({ minLength: 1, maxLength: 200 }),
  content: T.Enum(DRILL_CONTENTS),
  form: T.Enum(DRILL_FORMS),
  planTested: T.Optional(PlanTestedInput),
  /** the drill's theme (演练主题 / subject), e.g. 危化品泄漏 */
  topic: T.Optional(T.String({ maxLength: 300 })),
});
export type DrillPlanItemInput = Static<typeof DrillPlanItemInput>;

export const DrillPlanInput = T.Object({
  year: T.Integer({ minimum: 2000, maximum: 2100 }),
  unit: DrillSubjectInput,
  title: T.Optional(T.String({ maxLength: 200 })),
  items: T.Array(DrillPlanItemInput, { maxItems: 100 }),
});
export type DrillPlanInput = Static<typeof DrillPlanInput>;
export const DrillPlanPatch = T.Object({
  version: Version(),
  title: T.Optional(T.String({ maxLength: 200 })),
  items: T.Optional(T.Array(DrillPlanItemInput, { maxItems: 100 })),
});
export type DrillPlanPatch = Static<typeof DrillPlanPatch>;

export const DrillPlan = T.Object({
  id: T.String(),
  year: T.Integer(),
  unit: SubjectRef,
  title: T.String(),
  items: T.Array(
    T.Object({
      id: T.String(),
      month: T.Integer(),
      title: T.String(),
      content: T.Enum(DRILL_CONTENTS),
      form: T.Enum(DRILL_FORMS),
      planTested: T.Union([
        T.Object({ kind: T.Literal('command'), planId: T.String() }),
        T.Object({ kind: T.Literal('enterprise'), planKind: T.Enum(ENTERPRISE_PLAN_KINDS) }),
        T.Null(),
      ]),
      topic: T.String(),
      /** the drill records that fulfil it */
      drills: T.Array(T.Object({ id: T.String(), number: T.String(), date: T.String() })),
    }),
  ),
  /** planned vs done (an item is done when a record links to it) */
  fulfilment: T.Object({ planned: T.Integer(), done: T.Integer() }),
  districtCode: T.Union([T.String(), T.Null()]),
  ownerUnit: T.String(),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type DrillPlan = Static<typeof DrillPlan>;

export const DrillPlanListQuery = T.Object({
  year: T.Optional(T.Integer({ minimum: 2000, maximum: 2100 })),
  enterpriseId: T.Optional(Uuid),
  unitCode: T.Optional(UnitCode),
  ...paging({ maxLimit: 500, defaultLimit: 50 }),
});
export type DrillPlanListQuery = Static<typeof DrillPlanListQuery>;

// ————— compliance —————

export const COMPLIANCE_STATUSES = ['ok', 'due_soon', 'overdue'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];
export const COMPLIANCE_STATUS_INFO: Record<ComplianceStatus, { zh: string; en: string; color: string }> = {
  ok: { zh: '正常', en: 'OK', color: 'green' },
  due_soon: { zh: '即将到期', en: 'Due soon', color: 'gold' },
  overdue: { zh: '已逾期', en: 'Overdue', color: 'red' },
};

export const COMPLIANCE_RULE_KEYS = ['high_risk', 'enterprise_annual', 'enterprise_onsite', 'government_plan'] as const;
export type ComplianceRuleKey = (typeof COMPLIANCE_RULE_KEYS)[number];

export const ComplianceRule = T.Object({
  key: T.Enum(COMPLIANCE_RULE_KEYS),
  zh: T.String({ minLength: 1, maxLength: 200 }),
  en: T.String({ minLength: 1, maxLength: 200 }),
  /** at least one qualifying drill every this many calendar months */
  months: T.Integer({ minimum: 1, maximum: 120 }),
  /** the legal basis as cited */
  basis: T.String({ minLength: 1, maxLength: 500 }),
  /** where sources differ, what the other source says (shown with the rule) */
  note: T.Optional(T.String({ maxLength: 1000 })),
  enabled: T.Boolean(),
});
export type ComplianceRule = Static<typeof ComplianceRule>;

export const ComplianceSettings = T.Object({
  rules: T.Array(ComplianceRule, { minItems: 1, maxItems: COMPLIANCE_RULE_KEYS.length }),
  /** due_soon when the due date is this many days away or fewer */
  dueSoonDays: T.Integer({ minimum: 0, maximum: 365 }),
});
export type ComplianceSettings = Static<typeof ComplianceSettings>;
export const ComplianceSettingsReply = T.Object({ ...ComplianceSettings.properties, version: T.Integer() });
export type ComplianceSettingsReply = Static<typeof ComplianceSettingsReply>;
export const ComplianceSettingsPut = T.Object({ ...ComplianceSettings.properties, version: Version() });
export type ComplianceSettingsPut = Static<typeof ComplianceSettingsPut>;

/** the default rules (standards-facts.md §8) */
export const DEFAULT_COMPLIANCE: ComplianceSettings = {
  dueSoonDays: 30,
  rules: [
    {
      key: 'high_risk',
      zh: '高危行业和人员密集场所经营单位：每半年至少1次演练',
      en: 'High-risk enterprises and crowded venues: at least one drill every 6 months',
      months: 6,
      basis: '《生产安全事故应急条例》（国务院令第708号）第八条',
      enabled: true,
    },
    {
      key: 'enterprise_annual',
      zh: '其他生产经营单位：每年至少1次综合或专项应急预案演练',
      en: 'Other enterprises: at least one comprehensive or special plan drill every 12 months',
      months: 12,
      basis: '《生产安全事故应急预案管理办法》（2019年修正）第三十三条',
      enabled: true,
    },
    {
      key: 'enterprise_onsite',
      zh: '生产经营单位：每半年至少1次现场处置方案演练',
      en: 'Every enterprise: at least one on-site response plan drill every 6 months',
      months: 6,
      basis: '《生产安全事故应急预案管理办法》（2019年修正）第三十三条',
      enabled: true,
    },
    {
      key: 'government_plan',
      zh: '政府专项和部门应急预案：每3年至少演练1次',
      en: 'Government special and department plans: at least one drill every 3 years',
      months: 36,
      basis: '《突发事件应急预案管理办法》（国办发〔2024〕5号）第三十二条',
      note:
        '《生产安全事故应急条例》第八条要求县级以上政府及其负有安全监管职责的部门至少每2年组织1次演练；' +
        '如按该条执行，将周期改为24个月。 / Order 708 art. 8 asks governments and their departments for a drill ' +
        'every 2 years; set 24 months to follow it.',
      enabled: true,
    },
  ],
};

export const ComplianceQuery = T.Object({
  /** the day judged (Beijing date); today when left out */
  asOf: T.Optional(Day),
  status: T.Optional(T.Enum(COMPLIANCE_STATUSES)),
  district: T.Optional(T.String({ maxLength: 32 })),
  rule: T.Optional(T.Enum(COMPLIANCE_RULE_KEYS)),
  kind: T.Optional(T.Union([T.Literal('enterprise'), T.Literal('plan')])),
  ...paging({ maxLimit: 1000, defaultLimit: 100 }),
});
export type ComplianceQuery = Static<typeof ComplianceQuery>;

export const ComplianceItem = T.Object({
  subject: SubjectRef,
  rule: T.Object({
    key: T.Enum(COMPLIANCE_RULE_KEYS),
    zh: T.String(),
    en: T.String(),
    months: T.Integer(),
    basis: T.String(),
  }),
  /** the last qualifying drill's date; null: never drilled (dueAt counts from the registration date) */
  lastDrillAt: T.Union([T.String(), T.Null()]),
  lastDrillId: T.Union([T.String(), T.Null()]),
  /** the registration date the due date counts from when never drilled */
  since: T.String(),
  dueAt: T.String(),
  /** dueAt − asOf in days (negative: overdue by) */
  daysLeft: T.Integer(),
  status: T.Enum(COMPLIANCE_STATUSES),
});
export type ComplianceItem = Static<typeof ComplianceItem>;

export const ComplianceReply = T.Object({
  asOf: T.String(),
  items: T.Array(ComplianceItem),
  total: T.Integer(),
  /** counts over every filter but status (the KPI cards) */
  counts: T.Object({ ok: T.Integer(), due_soon: T.Integer(), overdue: T.Integer() }),
  /** by district over every filter but status and district (the chart) */
  byDistrict: T.Array(
    T.Object({
      district: T.Union([T.String(), T.Null()]),
      ok: T.Integer(),
      due_soon: T.Integer(),
      overdue: T.Integer(),
    }),
  ),
});
export type ComplianceReply = Static<typeof ComplianceReply>;

// ————— pure date rules (Beijing calendar dates) —————

/**
 * `day` + `months` calendar months, clamped to the month's end: 2026-02-28 + 6 = 2026-08-28; 2026-08-31 + 6 =
 * 2027-02-28; 2027-08-31 + 6 = 2028-02-29.
 */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** whole days from `a` to `b` (both YYYY-MM-DD): b − a */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** overdue if asOf > dueAt; due_soon if dueAt − asOf ≤ window; else ok (asOf = dueAt is not overdue) */
export function complianceStatus(dueAt: string, asOf: string, dueSoonDays: number): ComplianceStatus {
  const left = daysBetween(asOf, dueAt);
  if (left < 0) return 'overdue';
  return left <= dueSoonDays ? 'due_soon' : 'ok';
}
