/**
 * Reporting clocks and report documents (突发事件信息报告): the schedule of an incident's reports (initial, updates,
 * final), their sections, versions, and the situation report (SitRep) across active incidents.
 */
import { type Static, Type as T } from 'typebox';
import { Version } from './common.ts';
import { CATEGORIES, type Category } from './incidents.ts';

export const REPORT_KINDS = ['initial', 'update', 'final'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_KIND_INFO: Record<ReportKind, { zh: string; en: string }> = {
  initial: { zh: '首报', en: 'Initial report' },
  update: { zh: '续报', en: 'Update report' },
  final: { zh: '终报', en: 'Final report' },
};

/** due: not drafted yet, before its time; draft: drafted, not issued, before its time; overdue: past its time, not issued */
export const REPORT_STATUSES = ['due', 'draft', 'issued', 'overdue'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** The clocks of one incident category. */
export const ClockSet = T.Object({
  /** the initial report, minutes after the incident was reported */
  initialMinutes: T.Integer({ minimum: 1, maximum: 1440 }),
  /** update interval for levels I–II (hours), counted from the initial report's due time while not closed */
  updateHoursSevere: T.Integer({ minimum: 1, maximum: 720 }),
  /** update interval for levels III–IV and unassessed incidents (hours) */
  updateHoursOther: T.Integer({ minimum: 1, maximum: 720 }),
  /** the final report, days after closing */
  finalDays: T.Integer({ minimum: 1, maximum: 365 }),
});
export type ClockSet = Static<typeof ClockSet>;
export type ClockField = keyof ClockSet;
export const CLOCK_FIELDS: readonly ClockField[] = [
  'initialMinutes',
  'updateHoursSevere',
  'updateHoursOther',
  'finalDays',
];

export const DEFAULT_CLOCKS: ClockSet = {
  initialMinutes: 60,
  updateHoursSevere: 12,
  updateHoursOther: 24,
  finalDays: 3,
};

/** Where each default comes from: the initial hour is Order 493's; the rest are assumptions (standards-facts, item 8). */
export const CLOCK_BASIS: Record<ClockField, { zh: string; en: string; verified: boolean }> = {
  initialMinutes: {
    zh: '《生产安全事故报告和调查处理条例》（国务院令第493号）第九条：1小时',
    en: 'Order 493 Art. 9: 1 h',
    verified: true,
  },
  updateHoursSevere: { zh: '假设值，未经核实', en: 'assumption, not verified', verified: false },
  updateHoursOther: { zh: '假设值，未经核实', en: 'assumption, not verified', verified: false },
  finalDays: { zh: '假设值，未经核实', en: 'assumption, not verified', verified: false },
};

/** `HH:MM`, Beijing time */
const TimeOfDay = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

export const ReportSettingsInput = T.Object({
  clocks: T.Object(Object.fromEntries(CATEGORIES.map((c) => [c, ClockSet])) as Record<Category, typeof ClockSet>),
  /** a reminder this many minutes before each due time */
  reminderMinutes: T.Integer({ minimum: 1, maximum: 1440 }),
  /** when the SitRep is generated each day (Beijing time) */
  sitrepTimes: T.Array(TimeOfDay, { maxItems: 24, uniqueItems: true }),
  version: T.Optional(Version('the version read; stale → 409')),
});
export type ReportSettingsInput = Static<typeof ReportSettingsInput>;

export const ReportSettings = T.Object({
  clocks: T.Record(T.String(), ClockSet),
  reminderMinutes: T.Integer(),
  sitrepTimes: T.Array(T.String()),
  /** 0 while the defaults stand */
  version: T.Integer(),
  defaults: ClockSet,
  basis: T.Record(T.String(), T.Object({ zh: T.String(), en: T.String(), verified: T.Boolean() })),
});
export type ReportSettings = Static<typeof ReportSettings>;

/** The text of a report, by section of the customary layout. */
export const ReportSections = T.Object({
  /** 基本情况: time, place, type, level and its basis */
  basic: T.String({ maxLength: 20000 }),
  /** 伤亡和损失 */
  casualties: T.String({ maxLength: 20000 }),
  /** 已采取措施 */
  measures: T.String({ maxLength: 20000 }),
  /** 下一步工作 */
  nextSteps: T.String({ maxLength: 20000 }),
  /** 请求事项 */
  requests: T.String({ maxLength: 20000 }),
});
export type ReportSections = Static<typeof ReportSections>;

/** The head and foot of the document. */
export const ReportHeader = T.Object({
  /** 报送单位 */
  unit: T.String({ maxLength: 200 }),
  /** 签发人 */
  signer: T.String({ maxLength: 100 }),
  /** the document's number, e.g. 威应急报〔2026〕12号 */
  docNumber: T.String({ maxLength: 100 }),
  /** 报告人 */
  reporter: T.String({ maxLength: 100 }),
  phone: T.String({ maxLength: 40 }),
});
export type ReportHeader = Static<typeof ReportHeader>;

export const ReportDraftInput = T.Object({ kind: T.Enum(REPORT_KINDS) });
export const ReportPatch = T.Object({
  version: Version(),
  title: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  sections: T.Optional(T.Partial(ReportSections)),
  header: T.Optional(T.Partial(ReportHeader)),
});
export type ReportPatch = Static<typeof ReportPatch>;
export const ReportIssueInput = T.Object({ version: Version() });

/** A report as drafted and edited (the text in force; issued versions are kept apart, unchanged). */
export const Report = T.Object({
  id: T.String(),
  incidentId: T.String(),
  kind: T.Enum(REPORT_KINDS),
  seq: T.Integer(),
  dueAt: T.String(),
  title: T.String(),
  sections: ReportSections,
  header: ReportHeader,
  /** the edit's version (stale → 409) */
  version: T.Integer(),
  /** how many versions were issued (0: a draft never issued) */
  issuedVersions: T.Integer(),
  issuedAt: T.Union([T.String(), T.Null()]),
  /** edited since the last issue */
  changedSinceIssue: T.Boolean(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Report = Static<typeof Report>;

export const ReportVersion = T.Object({
  reportId: T.String(),
  version: T.Integer({ description: 'issued version, 1, 2 …' }),
  title: T.String(),
  sections: ReportSections,
  header: ReportHeader,
  issuedAt: T.String(),
  issuedBy: T.String(),
});
export type ReportVersion = Static<typeof ReportVersion>;

/** One slot of an incident's report schedule. */
export const ReportSlot = T.Object({
  /** the report written for the slot; null when none is drafted yet */
  id: T.Union([T.String(), T.Null()]),
  kind: T.Enum(REPORT_KINDS),
  seq: T.Integer({ description: 'the n-th report of its kind' }),
  dueAt: T.String(),
  status: T.Enum(REPORT_STATUSES),
  /** the edit's version of the report (0 when none) */
  version: T.Integer(),
  issuedVersions: T.Integer(),
  issuedAt: T.Union([T.String(), T.Null()]),
  /** update slots before this one that passed unreported (the next one came due) */
  missedBefore: T.Integer(),
});
export type ReportSlot = Static<typeof ReportSlot>;

export const DueReport = T.Object({
  incidentId: T.String(),
  incidentNumber: T.String(),
  incidentTitle: T.String(),
  reportId: T.Union([T.String(), T.Null()]),
  kind: T.Enum(REPORT_KINDS),
  dueAt: T.String(),
  status: T.Union([T.Literal('due'), T.Literal('draft'), T.Literal('overdue')]),
});
export type DueReport = Static<typeof DueReport>;
export const DueQuery = T.Object({ withinHours: T.Optional(T.Integer({ minimum: 0, maximum: 720, default: 24 })) });

export const ReportParams = T.Object({ id: T.String({ format: 'uuid' }), reportId: T.String({ format: 'uuid' }) });
export const DocxQuery = T.Object({ version: T.Optional(T.Integer({ minimum: 1, maximum: 100000 })) });

export const Sitrep = T.Object({
  id: T.String(),
  generatedAt: T.String(),
  /** scheduled (HH:MM) or on demand */
  trigger: T.String(),
  incidents: T.Integer(),
  size: T.Integer(),
});
export type Sitrep = Static<typeof Sitrep>;
