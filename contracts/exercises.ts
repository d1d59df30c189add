/**
 * Drill mode (演练模式): an exercise run inside Anlan. Its scheduled injects play an incident report, synthetic readings
 * or a scenario message; the records it makes carry its mark (`exercises-mark.ts`) and nothing of it goes outside
 * (no CAP, no public page, no external notification). Response times are measured from each incident inject's play
 * and an evaluation report (.docx) is written at the end.
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { DRILL_CONTENT_INFO, DRILL_CONTENTS, DRILL_FORM_INFO, DRILL_FORMS } from './drills.ts';
import { Casualties, Point } from './incidents.ts';
import { METRICS } from './monitoring.ts';

export { EXERCISE_TAG, ExerciseFilter, ExerciseMark } from './exercises-mark.ts';

/** AQ/T 9007-2019 §4.2 演练分类 by content and by form: the drills contract's own (an exercise is recorded as a drill). */
export const EXERCISE_CONTENTS = DRILL_CONTENTS;
export type ExerciseContent = (typeof EXERCISE_CONTENTS)[number];
export const EXERCISE_FORMS = DRILL_FORMS;
export type ExerciseForm = (typeof EXERCISE_FORMS)[number];
export const EXERCISE_CONTENT_INFO = DRILL_CONTENT_INFO;
export const EXERCISE_FORM_INFO = DRILL_FORM_INFO;

export const EXERCISE_STATUSES = ['draft', 'running', 'ended', 'cancelled'] as const;
export type ExerciseStatus = (typeof EXERCISE_STATUSES)[number];
export const EXERCISE_STATUS_INFO: Record<ExerciseStatus, { zh: string; en: string }> = {
  draft: { zh: '筹备中', en: 'Draft' },
  running: { zh: '进行中', en: 'Running' },
  ended: { zh: '已结束', en: 'Ended' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const INJECT_KINDS = ['incident', 'readings', 'message'] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

/** an incident inject: the report as a person would make it (its title is the inject's; it occurs when played) */
export const IncidentInjectPayload = T.Object({
  typeCode: T.String({ minLength: 5, maxLength: 5 }),
  description: T.Optional(T.String({ maxLength: 10000 })),
  location: T.Optional(T.Union([Point, T.Null()])),
  address: T.Optional(T.String({ maxLength: 500 })),
  casualties: T.Optional(T.Partial(Casualties)),
  directLossWan: T.Optional(T.Number({ minimum: 0, maximum: 999_999_999_999.99 })),
});
export type IncidentInjectPayload = Static<typeof IncidentInjectPayload>;

/**
 * a readings inject: a synthetic series of one device's metric — `count` values from `start` rising by `step` every
 * `intervalMinutes`, the last at the play time. Kept in the exercise's own table, never a real reading.
 */
export const ReadingsInjectPayload = T.Object({
  deviceId: T.String({ minLength: 1, maxLength: 64 }),
  metric: T.Enum(METRICS),
  start: T.Number({ minimum: -1e6, maximum: 1e6 }),
  step: T.Number({ minimum: -1e6, maximum: 1e6 }),
  count: T.Integer({ minimum: 1, maximum: 500 }),
  intervalMinutes: T.Number({ minimum: 0.1, maximum: 1440 }),
});
export type ReadingsInjectPayload = Static<typeof ReadingsInjectPayload>;

/** a scenario message: shown on the console and sent as an in-app notice (an alarm) to the participants */
export const MessageInjectPayload = T.Object({ text: T.String({ minLength: 1, maxLength: 5000 }) });
export type MessageInjectPayload = Static<typeof MessageInjectPayload>;

export const InjectInput = T.Object({
  /** seconds after the exercise's start */
  offsetSeconds: T.Integer({ minimum: 0, maximum: 7 * 86400 }),
  kind: T.Enum(INJECT_KINDS),
  title: T.String({ minLength: 1, maxLength: 200 }),
  /** by kind: IncidentInjectPayload, ReadingsInjectPayload or MessageInjectPayload (checked by field) */
  payload: T.Record(T.String(), T.Unknown()),
});
export type InjectInput = Static<typeof InjectInput>;

export const Inject = T.Object({
  id: T.String(),
  seq: T.Integer(),
  offsetSeconds: T.Integer(),
  kind: T.Enum(INJECT_KINDS),
  title: T.String(),
  payload: T.Record(T.String(), T.Unknown()),
  /** when it was played (null: pending) */
  playedAt: T.Union([T.String(), T.Null()]),
  /** what it made: the incident, the warnings raised, the readings evaluated; or why it failed */
  result: T.Union([
    T.Object({
      incidentId: T.Optional(T.String()),
      incidentNumber: T.Optional(T.String()),
      readings: T.Optional(T.Integer()),
      transitions: T.Optional(T.Integer()),
      error: T.Optional(T.String()),
    }),
    T.Null(),
  ]),
});
export type Inject = Static<typeof Inject>;

/** The measured steps of the response to an incident inject, from its play. */
export const MEASURES = ['acknowledge', 'classify', 'activate', 'dispatch'] as const;
export type Measure = (typeof MEASURES)[number];
export const MEASURE_INFO: Record<Measure, { zh: string; en: string; basisZh: string; basisEn: string }> = {
  acknowledge: {
    zh: '接报确认',
    en: 'Acknowledge',
    basisZh: '事件告警首次被确认',
    basisEn: "the incident's alarm first acknowledged",
  },
  classify: { zh: '研判定级', en: 'Classify', basisZh: '首次由人员定级', basisEn: 'the level first set by a person' },
  activate: { zh: '预案启动', en: 'Activate', basisZh: '首次启动预案', basisEn: 'the first plan activation' },
  dispatch: { zh: '力量调派', en: 'Dispatch', basisZh: '首支队伍调派', basisEn: 'the first team dispatched' },
};

/** Targets in minutes (setting `exercises.targets`); the defaults are assumptions, labelled so. */
export const ExerciseTargets = T.Object({
  acknowledge: T.Number({ minimum: 0.1, maximum: 10080 }),
  classify: T.Number({ minimum: 0.1, maximum: 10080 }),
  activate: T.Number({ minimum: 0.1, maximum: 10080 }),
  dispatch: T.Number({ minimum: 0.1, maximum: 10080 }),
});
export type ExerciseTargets = Static<typeof ExerciseTargets>;
export const DEFAULT_EXERCISE_TARGETS: ExerciseTargets = { acknowledge: 5, classify: 15, activate: 30, dispatch: 30 };
export const TARGETS_BASIS = {
  zh: '目标时限为本系统默认假设值（接报确认 5 分钟、研判定级 15 分钟、预案启动 30 分钟、力量调派 30 分钟），可在设置中调整',
  en: 'Targets are assumed defaults (acknowledge 5 min, classify 15, activate 30, dispatch 30), configurable in settings',
};
export const TargetsSetting = T.Object({ targets: ExerciseTargets, version: T.Integer(), assumed: T.Boolean() });
export const TargetsInput = T.Object({ targets: ExerciseTargets, version: Version() });

export const Measurement = T.Object({
  injectId: T.String(),
  injectTitle: T.String(),
  incidentId: T.String(),
  incidentNumber: T.String(),
  measure: T.Enum(MEASURES),
  /** when it happened (null: not yet, or never) */
  at: T.Union([T.String(), T.Null()]),
  /** seconds from the inject's play */
  seconds: T.Union([T.Number(), T.Null()]),
  targetMinutes: T.Number(),
  /** met: within the target; missed: later, or not done by the end; pending: not yet, still running */
  verdict: T.Union([T.Literal('met'), T.Literal('missed'), T.Literal('pending')]),
});
export type Measurement = Static<typeof Measurement>;

export const ImprovementAction = T.Object({
  action: T.String({ minLength: 1, maxLength: 1000 }),
  owner: T.Optional(T.String({ maxLength: 200 })),
  dueDate: T.Optional(T.String({ format: 'date' })),
});
export type ImprovementAction = Static<typeof ImprovementAction>;

export const ExerciseInput = T.Object({
  title: T.String({ minLength: 1, maxLength: 200 }),
  scenario: T.Optional(T.String({ maxLength: 20000 })),
  content: T.Enum(EXERCISE_CONTENTS),
  form: T.Enum(EXERCISE_FORMS),
  /** the command plan tested (optional) and its name as shown */
  planId: T.Optional(T.Union([T.String({ maxLength: 64 }), T.Null()])),
  planName: T.Optional(T.String({ maxLength: 300 })),
  /** the organiser's unit code (default: the creator's unit) */
  organiserUnit: T.Optional(T.String({ maxLength: 64 })),
  /** participating units' codes: the in-app notices go to them */
  participants: T.Optional(T.Array(T.String({ maxLength: 64 }), { maxItems: 100, uniqueItems: true })),
  plannedStart: T.Optional(T.Union([T.String({ format: 'date-time' }), T.Null()])),
  director: T.Optional(T.String({ maxLength: 100 })),
  injects: T.Optional(T.Array(InjectInput, { maxItems: 200 })),
});
export type ExerciseInput = Static<typeof ExerciseInput>;

/** A draft's changes (injects replaced as a whole); after the end only the evaluation may change. */
export const ExercisePatch = T.Object({
  ...T.Partial(T.Omit(ExerciseInput, ['injects'])).properties,
  injects: T.Optional(T.Array(InjectInput, { maxItems: 200 })),
  observations: T.Optional(T.String({ maxLength: 20000 })),
  improvements: T.Optional(T.Array(ImprovementAction, { maxItems: 100 })),
  version: Version(),
});
export type ExercisePatch = Static<typeof ExercisePatch>;

export const Exercise = T.Object({
  id: T.String(),
  number: T.String({ description: 'YL-2026-000001' }),
  title: T.String(),
  scenario: T.String(),
  content: T.Enum(EXERCISE_CONTENTS),
  form: T.Enum(EXERCISE_FORMS),
  plan: T.Union([T.Object({ id: T.Union([T.String(), T.Null()]), name: T.String() }), T.Null()]),
  organiserUnit: T.Object({ code: T.String(), name: T.String() }),
  participants: T.Array(T.Object({ code: T.String(), name: T.String() })),
  plannedStart: T.Union([T.String(), T.Null()]),
  director: T.String(),
  status: T.Enum(EXERCISE_STATUSES),
  startedAt: T.Union([T.String(), T.Null()]),
  endedAt: T.Union([T.String(), T.Null()]),
  injects: T.Array(Inject),
  /** live while running (from the incidents' logs), frozen at the end */
  measurements: T.Array(Measurement),
  targets: ExerciseTargets,
  observations: T.String(),
  improvements: T.Array(ImprovementAction),
  /** the drill record written at the end (drills module), when there is one */
  drillId: T.Union([T.String(), T.Null()]),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Exercise = Static<typeof Exercise>;

export const ExerciseSummary = T.Object({
  id: T.String(),
  number: T.String(),
  title: T.String(),
  content: T.Enum(EXERCISE_CONTENTS),
  form: T.Enum(EXERCISE_FORMS),
  status: T.Enum(EXERCISE_STATUSES),
  plannedStart: T.Union([T.String(), T.Null()]),
  startedAt: T.Union([T.String(), T.Null()]),
  endedAt: T.Union([T.String(), T.Null()]),
  organiserUnit: T.Object({ code: T.String(), name: T.String() }),
  injects: T.Integer(),
  played: T.Integer(),
});
export type ExerciseSummary = Static<typeof ExerciseSummary>;

export const ExerciseListQuery = T.Object({
  status: T.Optional(T.Enum(EXERCISE_STATUSES)),
  q: T.Optional(T.String({ maxLength: 200 })),
  ...paging(),
});
export type ExerciseListQuery = Static<typeof ExerciseListQuery>;

export const InjectParams = T.Object({ id: T.String({ format: 'uuid' }), injectId: T.String({ format: 'uuid' }) });
export const VersionBody = T.Object({ version: Version() });

/** Live events of exercises (stream): started, inject played, ended — the console and the shell's banner follow them. */
export const EXERCISE_EVENTS = [
  'exercise.started',
  'exercise.inject_played',
  'exercise.ended',
  'exercise.changed',
] as const;
