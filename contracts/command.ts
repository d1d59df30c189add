/**
 * Command and response (issue 12 parts 1–3): the plans register (government and unit plans, GB/T 29639), digital
 * plans (activation criteria, response levels I–IV, each department's actions with due minutes and a checklist),
 * their activation on an incident, and the department tasks an activation creates. Suggestion reasons are codes
 * with parameters, said in the reader's language by `planReasonText` (as `incident-text.ts` does for the log).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { LEVEL_INFO, LEVELS, type Level } from './incidents.ts';
import { COLOURS } from './monitoring.ts';

export const PLAN_KINDS = ['overall', 'special', 'department', 'unit_comprehensive', 'unit_special', 'onsite'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const PLAN_KIND_INFO: Record<PlanKind, { zh: string; en: string; government: boolean }> = {
  overall: { zh: '总体应急预案', en: 'Overall plan', government: true },
  special: { zh: '专项应急预案', en: 'Special plan', government: true },
  department: { zh: '部门应急预案', en: 'Department plan', government: true },
  unit_comprehensive: { zh: '单位综合应急预案', en: 'Unit comprehensive plan', government: false },
  unit_special: { zh: '单位专项应急预案', en: 'Unit special plan', government: false },
  onsite: { zh: '现场处置方案', en: 'On-site response plan', government: false },
};

export const PLAN_STATUSES = ['draft', 'approved', 'retired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_INFO: Record<PlanStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  approved: { zh: '已批准', en: 'Approved' },
  retired: { zh: '已废止', en: 'Retired' },
};

/** a plan is reviewed (评估修订) every 3 years after approval; flagged this many days ahead */
export const PLAN_REVIEW_YEARS = 3;
export const PLAN_REVIEW_WARN_DAYS = 90;

/** I is the most severe: the rank orders levels (1 = I … 4 = IV). */
export function levelRank(l: Level): number {
  return LEVELS.indexOf(l) + 1;
}
/** Does an incident of level `level` meet a plan whose least severe activating level is `minLevel`? */
export function meetsMinLevel(level: Level, minLevel: Level): boolean {
  return levelRank(level) <= levelRank(minLevel);
}

export const PlanAction = T.Object({
  /** an org unit's code or id (stored as the code) */
  unit: T.String({ minLength: 1, maxLength: 64 }),
  title: T.String({ minLength: 1, maxLength: 200 }),
  detail: T.Optional(T.String({ maxLength: 2000 })),
  dueMinutes: T.Integer({ minimum: 0, maximum: 60 * 24 * 30 }),
  checklist: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 })),
});
export type PlanAction = Static<typeof PlanAction>;
export const PlanLevel = T.Object({
  level: T.Enum(LEVELS),
  actions: T.Array(PlanAction, { maxItems: 200 }),
});
export type PlanLevel = Static<typeof PlanLevel>;
export const Activation = T.Object({
  /** the least severe incident level that activates the plan (I most severe: III matches III, II, I) */
  minLevel: T.Enum(LEVELS),
  warningColours: T.Optional(T.Array(T.Enum(COLOURS), { maxItems: 4 })),
  /** district (区市) codes; none: the whole city */
  districts: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
});
export type ActivationCriteria = Static<typeof Activation>;

const HazardCode = T.String({ minLength: 5, maxLength: 5 });

export const PlanInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  kind: T.Enum(PLAN_KINDS),
  hazardCodes: T.Array(HazardCode, { maxItems: 50 }),
  /** the owning unit's code; the author's unit when left out */
  ownerUnit: T.Optional(T.String({ maxLength: 64 })),
  /** the districts the plan covers (register); none: the whole city */
  scope: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
  summary: T.Optional(T.String({ maxLength: 5000 })),
  activation: T.Optional(T.Union([Activation, T.Null()])),
  levels: T.Optional(T.Array(PlanLevel, { maxItems: 4 })),
});
export type PlanInput = Static<typeof PlanInput>;

export const PlanPatch = T.Object({
  version: Version(),
  name: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  kind: T.Optional(T.Enum(PLAN_KINDS)),
  hazardCodes: T.Optional(T.Array(HazardCode, { maxItems: 50 })),
  ownerUnit: T.Optional(T.String({ maxLength: 64 })),
  scope: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
  summary: T.Optional(T.String({ maxLength: 5000 })),
  activation: T.Optional(T.Union([Activation, T.Null()])),
  levels: T.Optional(T.Array(PlanLevel, { maxItems: 4 })),
  /** draft → approved (the approver is the caller; `approvedOn` the date on paper, today when left out) → retired */
  status: T.Optional(T.Enum(PLAN_STATUSES)),
  approvedOn: T.Optional(T.String({ format: 'date' })),
  /** what changed (the version's note) */
  note: T.Optional(T.String({ maxLength: 500 })),
});
export type PlanPatch = Static<typeof PlanPatch>;

export const Plan = T.Object({
  id: T.String(),
  name: T.String(),
  kind: T.Enum(PLAN_KINDS),
  hazardCodes: T.Array(T.String()),
  ownerUnit: T.Union([T.Object({ code: T.String(), name: T.String(), nameEn: T.String() }), T.Null()]),
  scope: T.Array(T.String()),
  summary: T.String(),
  status: T.Enum(PLAN_STATUSES),
  approvedBy: T.Union([T.String(), T.Null()]),
  approvedOn: T.Union([T.String(), T.Null()]),
  retiredAt: T.Union([T.String(), T.Null()]),
  /** approval + 3 years (null until approved) */
  reviewDueOn: T.Union([T.String(), T.Null()]),
  /** within 90 days of the review date */
  reviewDue: T.Boolean(),
  /** past it */
  overdue: T.Boolean(),
  /** the plan's edition: 1 at approval, +1 at each change of an approved plan (0 while a draft) */
  edition: T.Integer(),
  digital: T.Boolean(),
  activation: T.Union([Activation, T.Null()]),
  levels: T.Array(PlanLevel),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Plan = Static<typeof Plan>;

export const PlanListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100 })),
  kind: T.Optional(T.Enum(PLAN_KINDS)),
  hazard: T.Optional(HazardCode),
  unit: T.Optional(T.String({ maxLength: 64 })),
  status: T.Optional(T.Enum(PLAN_STATUSES)),
  /** due: review within 90 days or past; overdue: past */
  review: T.Optional(T.Union([T.Literal('due'), T.Literal('overdue')])),
  digital: T.Optional(T.Boolean()),
  ...paging(),
});
export type PlanListQuery = Static<typeof PlanListQuery>;

export const PlanVersion = T.Object({
  edition: T.Integer(),
  note: T.String(),
  by: T.Union([T.String(), T.Null()]),
  at: T.String(),
  plan: T.Unknown({ description: "the plan's fields as they were" }),
});
export type PlanVersion = Static<typeof PlanVersion>;

// ————— suggestions —————

/** Why a plan is suggested, as codes with their parameters (words: `planReasonText`). */
export type PlanReason =
  /** the incident's (warning's) type falls under one of the plan's hazard codes */
  | { code: 'hazard'; typeCode: string; planCode: string }
  | { code: 'level'; level: Level; minLevel: Level }
  /** not yet assessed: offered at the plan's least level */
  | { code: 'unassessed'; minLevel: Level }
  | { code: 'district'; district: string }
  | { code: 'city_wide' }
  | { code: 'colour'; colour: string; listed: boolean; minLevel: Level };

export const Suggestion = T.Object({
  planId: T.String(),
  name: T.String(),
  /** the response level proposed (see SUGGESTED_LEVEL_RULE) */
  level: T.Enum(LEVELS),
  reasons: T.Array(T.Unknown({ description: 'PlanReason: {code, …params}' })),
  /** the plan is active on this incident already */
  active: T.Boolean(),
});
export type Suggestion = Omit<Static<typeof Suggestion>, 'reasons'> & { reasons: PlanReason[] };

export const SUGGESTED_LEVEL_RULE = {
  zh: '建议级别：事件已定级时取事件级别（预案未设该级时取最接近的已设级别，优先更高级别）；未定级时取预案的启动级别。预警按颜色对应级别（红Ⅰ、橙Ⅱ、黄Ⅲ、蓝Ⅳ）。',
  en: "Proposed level: the incident's level when assessed (the plan's nearest defined level when it lacks that one, the more severe on a tie); the plan's activation level when unassessed. A warning's colour gives the level (red I, orange II, yellow III, blue IV).",
};

const COLOUR_WORDS: Record<string, { zh: string; en: string }> = {
  red: { zh: '红色', en: 'red' },
  orange: { zh: '橙色', en: 'orange' },
  yellow: { zh: '黄色', en: 'yellow' },
  blue: { zh: '蓝色', en: 'blue' },
};

function lv(l: Level, lang: 'zh' | 'en'): string {
  const info = LEVEL_INFO[l];
  return lang === 'zh' ? `${l}级（${info?.zh ?? ''}）` : `level ${l} (${info?.en ?? ''})`;
}

/** A reason in words; `names` turns codes (types, districts) into names. */
export function planReasonText(
  r: PlanReason,
  lang: 'zh' | 'en',
  names: { type?: (code: string) => string; district?: (code: string) => string } = {},
): string {
  const zh = lang === 'zh';
  const type = names.type ?? ((c: string) => c);
  const district = names.district ?? ((c: string) => c);
  switch (r.code) {
    case 'hazard':
      return r.typeCode === r.planCode
        ? zh
          ? `事件类型 ${type(r.typeCode)} 在预案适用范围内`
          : `the type ${type(r.typeCode)} is one the plan covers`
        : zh
          ? `事件类型 ${type(r.typeCode)} 属于预案的 ${type(r.planCode)}`
          : `the type ${type(r.typeCode)} falls under the plan's ${type(r.planCode)}`;
    case 'level':
      return zh
        ? `事件级别 ${lv(r.level, lang)} 达到预案启动条件 ${lv(r.minLevel, lang)} 及以上`
        : `the incident's ${lv(r.level, lang)} meets the plan's threshold, ${lv(r.minLevel, lang)} or more severe`;
    case 'unassessed':
      return zh
        ? `事件尚未定级：按预案启动级别 ${lv(r.minLevel, lang)} 建议`
        : `the incident is not yet assessed: proposed at the plan's threshold, ${lv(r.minLevel, lang)}`;
    case 'district':
      return zh
        ? `发生地 ${district(r.district)} 在预案适用区域内`
        : `${district(r.district)} is within the plan's area`;
    case 'city_wide':
      return zh ? '预案适用于全市' : 'the plan covers the whole city';
    case 'colour': {
      const c = COLOUR_WORDS[r.colour] ?? { zh: r.colour, en: r.colour };
      return r.listed
        ? zh
          ? `${c.zh}预警是预案的启动条件`
          : `a ${c.en} warning is one of the plan's criteria`
        : zh
          ? `${c.zh}预警对应的级别达到预案启动条件 ${lv(r.minLevel, lang)}`
          : `a ${c.en} warning's level meets the plan's threshold, ${lv(r.minLevel, lang)}`;
    }
  }
}

// ————— activations —————

export const ACTIVATION_STATUSES = ['active', 'ended'] as const;
export const ActivationInput = T.Object({ planId: T.String({ format: 'uuid' }), level: T.Enum(LEVELS) });
export type ActivationInput = Static<typeof ActivationInput>;
export const ActivationPatch = T.Object({ level: T.Enum(LEVELS) });
export type ActivationPatch = Static<typeof ActivationPatch>;
export const ActivationEnd = T.Object({ note: T.Optional(T.String({ maxLength: 1000 })) });
export type ActivationEnd = Static<typeof ActivationEnd>;

export const PlanActivation = T.Object({
  id: T.String(),
  incidentId: T.String(),
  planId: T.String(),
  planName: T.String(),
  level: T.Enum(LEVELS),
  status: T.Enum(ACTIVATION_STATUSES),
  activatedBy: T.Union([T.String(), T.Null()]),
  activatedAt: T.String(),
  endedAt: T.Union([T.String(), T.Null()]),
  endedNote: T.Union([T.String(), T.Null()]),
  tasks: T.Object({ total: T.Integer(), open: T.Integer(), done: T.Integer(), cancelled: T.Integer() }),
});
export type PlanActivation = Static<typeof PlanActivation>;

// ————— tasks —————

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_INFO: Record<TaskStatus, { zh: string; en: string; color: string }> = {
  open: { zh: '待办', en: 'Open', color: 'blue' },
  in_progress: { zh: '进行中', en: 'In progress', color: 'gold' },
  done: { zh: '已完成', en: 'Done', color: 'green' },
  cancelled: { zh: '已取消', en: 'Cancelled', color: 'default' },
};

export const Task = T.Object({
  id: T.String(),
  incidentId: T.String(),
  incidentNumber: T.String(),
  incidentTitle: T.String(),
  activationId: T.String(),
  planId: T.String(),
  planName: T.String(),
  unit: T.String(),
  unitName: T.String(),
  title: T.String(),
  detail: T.String(),
  dueAt: T.String(),
  status: T.Enum(TASK_STATUSES),
  overdue: T.Boolean(),
  assignee: T.Union([T.Object({ id: T.String(), displayName: T.String() }), T.Null()]),
  checklist: T.Array(T.Object({ text: T.String(), done: T.Boolean() })),
  closedNote: T.Union([T.String(), T.Null()]),
  /** a task not made by an activation: where it comes from (a drill's plan-revision task: kind 'drill'); its
   * incident fields and activationId are then '' */
  source: T.Optional(T.Union([T.Object({ kind: T.String(), id: T.String() }), T.Null()])),
  createdAt: T.String(),
  updatedAt: T.String(),
  version: T.Integer(),
});
export type Task = Static<typeof Task>;

export const TaskListQuery = T.Object({
  incidentId: T.Optional(T.String({ format: 'uuid' })),
  unit: T.Optional(T.String({ maxLength: 64 })),
  status: T.Optional(T.Enum(TASK_STATUSES)),
  overdue: T.Optional(T.Boolean()),
  /** the tasks of the caller's unit */
  mine: T.Optional(T.Boolean()),
  ...paging({ maxLimit: 500, defaultLimit: 100 }),
});
export type TaskListQuery = Static<typeof TaskListQuery>;

export const TaskPatch = T.Object({
  version: Version(),
  status: T.Optional(T.Enum(TASK_STATUSES)),
  /** a user of the task's unit; null unassigns */
  assigneeId: T.Optional(T.Union([T.String({ format: 'uuid' }), T.Null()])),
  /** the ticks, in the checklist's order */
  checklist: T.Optional(T.Array(T.Boolean(), { maxItems: 50 })),
  /** why (a cancellation's note) */
  note: T.Optional(T.String({ maxLength: 1000 })),
});
export type TaskPatch = Static<typeof TaskPatch>;

export const CommentInput = T.Object({ text: T.String({ minLength: 1, maxLength: 5000 }) });
export type CommentInput = Static<typeof CommentInput>;
export const TaskComment = T.Object({
  id: T.String(),
  text: T.String(),
  by: T.Union([T.String(), T.Null()]),
  at: T.String(),
});
export type TaskComment = Static<typeof TaskComment>;
export const Assignee = T.Object({ id: T.String(), displayName: T.String() });
