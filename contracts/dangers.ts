/**
 * Hidden dangers (隐患排查治理) and inspections (执法检查): a danger is found (by an enterprise's self-check, an
 * inspection, the field app or a hotline report), assigned with a deadline and measures, rectified, verified by
 * someone other than who submitted the rectification, and closed. Shared by the server (schemas) and the web.
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { LocationEntered } from './coordinates.ts';
import { Point } from './incidents.ts';

export const DANGER_STATUSES = [
  'found',
  'assigned',
  'rectifying',
  'submitted',
  'returned',
  'verified',
  'closed',
  'cancelled',
] as const;
export type DangerStatus = (typeof DANGER_STATUSES)[number];
export const DANGER_STATUS_INFO: Record<DangerStatus, { zh: string; en: string; color: string }> = {
  found: { zh: '已发现', en: 'Found', color: 'red' },
  assigned: { zh: '已交办', en: 'Assigned', color: 'orange' },
  rectifying: { zh: '整改中', en: 'Rectifying', color: 'gold' },
  submitted: { zh: '待复核', en: 'Submitted', color: 'blue' },
  returned: { zh: '复核退回', en: 'Returned', color: 'magenta' },
  verified: { zh: '复核通过', en: 'Verified', color: 'cyan' },
  closed: { zh: '已销号', en: 'Closed', color: 'green' },
  cancelled: { zh: '已撤销', en: 'Cancelled', color: 'default' },
};
/** statuses of a danger still being treated */
export const OPEN_STATUSES: readonly DangerStatus[] = [
  'found',
  'assigned',
  'rectifying',
  'submitted',
  'returned',
  'verified',
];
/** statuses in which a danger not yet submitted counts against its deadline */
export const DEADLINE_STATUSES: readonly DangerStatus[] = ['assigned', 'rectifying', 'returned'];

export const DANGER_GRADES = ['general', 'major'] as const;
export type DangerGrade = (typeof DANGER_GRADES)[number];
export const DANGER_GRADE_INFO: Record<DangerGrade, { zh: string; en: string }> = {
  general: { zh: '一般隐患', en: 'General' },
  major: { zh: '重大隐患', en: 'Major' },
};

export const DANGER_SOURCES = ['self_check', 'inspection', 'field', 'hotline'] as const;
export type DangerSource = (typeof DANGER_SOURCES)[number];
export const DANGER_SOURCE_INFO: Record<DangerSource, { zh: string; en: string }> = {
  self_check: { zh: '企业自查', en: 'Self-check' },
  inspection: { zh: '执法检查', en: 'Inspection' },
  field: { zh: '现场上报', en: 'Field report' },
  hotline: { zh: '举报', en: 'Hotline report' },
};

export const DANGER_CATEGORIES = ['equipment', 'behaviour', 'management', 'environment', 'fire', 'other'] as const;
export type DangerCategory = (typeof DANGER_CATEGORIES)[number];
export const DANGER_CATEGORY_INFO: Record<DangerCategory, { zh: string; en: string }> = {
  equipment: { zh: '设备设施', en: 'Equipment and facilities' },
  behaviour: { zh: '作业行为', en: 'Work behaviour' },
  management: { zh: '安全管理', en: 'Safety management' },
  environment: { zh: '作业环境', en: 'Work environment' },
  fire: { zh: '消防', en: 'Fire safety' },
  other: { zh: '其他', en: 'Other' },
};

/** The steps of the treatment: each an endpoint `POST /api/v1/hidden-dangers/{id}/{action}`. */
export const DANGER_ACTIONS = ['assign', 'start', 'submit', 'verify', 'reject', 'close', 'cancel'] as const;
export type DangerAction = (typeof DANGER_ACTIONS)[number];
/** from which statuses each step may be taken, and where it leads */
export const DANGER_STEPS: Record<DangerAction, { from: readonly DangerStatus[]; to: DangerStatus }> = {
  assign: { from: ['found'], to: 'assigned' },
  start: { from: ['assigned', 'returned'], to: 'rectifying' },
  submit: { from: ['rectifying', 'returned'], to: 'submitted' },
  verify: { from: ['submitted'], to: 'verified' },
  reject: { from: ['submitted'], to: 'returned' },
  close: { from: ['verified'], to: 'closed' },
  cancel: { from: ['found', 'assigned'], to: 'cancelled' },
};
export const DANGER_ACTION_INFO: Record<DangerAction | 'report' | 'import', { zh: string; en: string }> = {
  report: { zh: '上报', en: 'Reported' },
  import: { zh: '导入', en: 'Imported' },
  assign: { zh: '交办整改', en: 'Assign' },
  start: { zh: '开始整改', en: 'Start rectification' },
  submit: { zh: '提交整改', en: 'Submit rectification' },
  verify: { zh: '复核通过', en: 'Verify' },
  reject: { zh: '复核退回', en: 'Return' },
  close: { zh: '销号', en: 'Close' },
  cancel: { zh: '撤销', en: 'Cancel' },
};
/** the permission each step needs */
export const DANGER_ACTION_PERMISSION: Record<DangerAction, string> = {
  assign: 'dangers.supervise',
  start: 'dangers.rectify',
  submit: 'dangers.rectify',
  verify: 'dangers.supervise',
  reject: 'dangers.supervise',
  close: 'dangers.supervise',
  cancel: 'dangers.supervise',
};

/** the steps allowed from a status */
export function nextActions(status: DangerStatus): DangerAction[] {
  return DANGER_ACTIONS.filter((a) => DANGER_STEPS[a].from.includes(status));
}

const Day = T.String({ format: 'date', description: 'YYYY-MM-DD (Beijing)' });
const FileIds = T.Array(T.String({ format: 'uuid' }), { maxItems: 20, uniqueItems: true });

export const DangerInput = T.Object({
  title: T.String({ minLength: 1, maxLength: 200 }),
  description: T.Optional(T.String({ maxLength: 5000 })),
  category: T.Enum(DANGER_CATEGORIES),
  grade: T.Enum(DANGER_GRADES),
  source: T.Enum(DANGER_SOURCES),
  /** an enterprise of the register; none for a danger in a public place */
  enterpriseId: T.Optional(T.Union([T.String({ format: 'uuid' }), T.Null()])),
  location: T.Optional(T.Union([Point, T.Null()])),
  /** the point as entered in its datum: converted to WGS-84 and recorded (it is then the location) */
  locationEntered: T.Optional(LocationEntered),
  address: T.Optional(T.String({ maxLength: 500 })),
  /** a district code, when neither the enterprise nor the point gives one */
  district: T.Optional(T.String({ maxLength: 40 })),
  foundAt: T.Optional(T.String({ format: 'date-time' })),
  reporterName: T.Optional(T.String({ maxLength: 100 })),
  reporterPhone: T.Optional(T.String({ maxLength: 40 })),
});
export type DangerInput = Static<typeof DangerInput>;

export const AssignInput = T.Object({
  version: Version(),
  /** the org unit that rectifies (its users may start and submit); default: the enterprise's own unit */
  responsibleUnit: T.Optional(T.String({ maxLength: 64 })),
  responsiblePerson: T.String({ minLength: 1, maxLength: 100 }),
  /** 重大 needs a deadline and measures */
  deadline: T.Optional(Day),
  measures: T.Optional(T.String({ maxLength: 5000 })),
  /** yuan */
  funds: T.Optional(T.Number({ minimum: 0, maximum: 1e12 })),
});
export type AssignInput = Static<typeof AssignInput>;

export const StepInput = T.Object({
  version: Version(),
  note: T.Optional(T.String({ maxLength: 5000 })),
});
export type StepInput = Static<typeof StepInput>;

export const SubmitInput = T.Object({
  version: Version(),
  note: T.String({ minLength: 1, maxLength: 5000, description: 'what was done' }),
  funds: T.Optional(T.Number({ minimum: 0, maximum: 1e12 })),
  /** evidence photos already uploaded to the danger (`/api/v1/files`, entity hidden_danger_evidence) */
  evidenceFileIds: T.Optional(FileIds),
});
export type SubmitInput = Static<typeof SubmitInput>;

export const ReasonInput = T.Object({
  version: Version(),
  reason: T.String({ minLength: 1, maxLength: 2000 }),
});
export type ReasonInput = Static<typeof ReasonInput>;

export const DangerStepRecord = T.Object({
  id: T.String(),
  action: T.String(),
  from: T.Union([T.String(), T.Null()]),
  to: T.String(),
  by: T.Union([T.String(), T.Null()]),
  byName: T.String(),
  at: T.String(),
  note: T.String(),
});
export type DangerStepRecord = Static<typeof DangerStepRecord>;

export const HiddenDanger = T.Object({
  id: T.String(),
  number: T.String(),
  title: T.String(),
  description: T.String(),
  category: T.Enum(DANGER_CATEGORIES),
  grade: T.Enum(DANGER_GRADES),
  source: T.Enum(DANGER_SOURCES),
  status: T.Enum(DANGER_STATUSES),
  enterprise: T.Union([T.Object({ id: T.String(), name: T.String() }), T.Null()]),
  district: T.Union([T.String(), T.Null()]),
  districtName: T.String(),
  ownerUnit: T.Union([T.String(), T.Null()]),
  location: T.Union([Point, T.Null()]),
  locationEntered: T.Union([LocationEntered, T.Null()]),
  address: T.String(),
  foundAt: T.String(),
  reporter: T.Object({ id: T.Union([T.String(), T.Null()]), name: T.String(), phone: T.String() }),
  responsibleUnit: T.Union([T.String(), T.Null()]),
  responsibleUnitName: T.String(),
  responsiblePerson: T.String(),
  deadline: T.Union([Day, T.Null()]),
  measures: T.String(),
  funds: T.Union([T.Number(), T.Null()]),
  rectificationNote: T.String(),
  submittedBy: T.Union([T.String(), T.Null()]),
  submittedAt: T.Union([T.String(), T.Null()]),
  verificationNote: T.String(),
  closedAt: T.Union([T.String(), T.Null()]),
  cancelReason: T.String(),
  returnReason: T.String(),
  overdue: T.Boolean(),
  escalationLevel: T.Integer(),
  inspectionId: T.Union([T.String(), T.Null()]),
  /** the steps the reader may take now (permission and role rules), for the page's buttons */
  allowedActions: T.Array(T.Enum(DANGER_ACTIONS)),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type HiddenDanger = Static<typeof HiddenDanger>;

export const DangerDetail = T.Object({ danger: HiddenDanger, steps: T.Array(DangerStepRecord) });
export type DangerDetail = Static<typeof DangerDetail>;

export const DangerListQuery = T.Object({
  status: T.Optional(T.Enum(DANGER_STATUSES)),
  /** open: every status still being treated */
  open: T.Optional(T.Boolean()),
  grade: T.Optional(T.Enum(DANGER_GRADES)),
  source: T.Optional(T.Enum(DANGER_SOURCES)),
  category: T.Optional(T.Enum(DANGER_CATEGORIES)),
  district: T.Optional(T.String({ maxLength: 40 })),
  enterpriseId: T.Optional(T.String({ format: 'uuid' })),
  inspectionId: T.Optional(T.String({ format: 'uuid' })),
  overdue: T.Optional(T.Boolean()),
  q: T.Optional(T.String({ maxLength: 100, description: 'number, title, enterprise or address contains' })),
  from: T.Optional(T.String({ format: 'date-time', description: 'foundAt ≥ from' })),
  to: T.Optional(T.String({ format: 'date-time', description: 'foundAt < to' })),
  ...paging(),
});
export type DangerListQuery = Static<typeof DangerListQuery>;

export const DangerStatsQuery = T.Object({
  from: T.Optional(T.String({ format: 'date-time', description: 'found at ≥ from (default: a year ago)' })),
  to: T.Optional(T.String({ format: 'date-time', description: 'found at < to (default: now)' })),
  district: T.Optional(T.String({ maxLength: 40 })),
});
export type DangerStatsQuery = Static<typeof DangerStatsQuery>;

export const AGE_BUCKETS = ['le7', 'd8to30', 'd31to90', 'gt90'] as const;
export const AGE_BUCKET_INFO: Record<(typeof AGE_BUCKETS)[number], { zh: string; en: string }> = {
  le7: { zh: '≤7 天', en: '≤ 7 days' },
  d8to30: { zh: '8–30 天', en: '8–30 days' },
  d31to90: { zh: '31–90 天', en: '31–90 days' },
  gt90: { zh: '>90 天', en: '> 90 days' },
};

const Counts = T.Record(T.String(), T.Integer());
export const DangerStats = T.Object({
  from: T.String(),
  to: T.String(),
  total: T.Integer(),
  open: T.Integer(),
  overdue: T.Integer(),
  majorOpen: T.Integer(),
  closed: T.Integer(),
  /** closed / (found − cancelled) in the period; null when none was found */
  rectificationRate: T.Union([T.Number(), T.Null()]),
  byStatus: Counts,
  byGrade: Counts,
  /** per district code: per status */
  byDistrict: T.Array(
    T.Object({ district: T.String(), name: T.String(), nameEn: T.String(), byStatus: Counts, total: T.Integer() }),
  ),
  byIndustry: T.Array(T.Object({ industry: T.String(), total: T.Integer(), open: T.Integer() })),
  /** open ones by days since found */
  ageBuckets: T.Record(T.Enum(AGE_BUCKETS), T.Integer()),
  majorOpenList: T.Array(
    T.Object({
      id: T.String(),
      number: T.String(),
      title: T.String(),
      enterprise: T.Union([T.String(), T.Null()]),
      status: T.Enum(DANGER_STATUSES),
      deadline: T.Union([T.String(), T.Null()]),
      overdue: T.Boolean(),
    }),
  ),
  /** per month (YYYY-MM, Beijing): found in it and closed in it */
  trend: T.Array(T.Object({ month: T.String(), found: T.Integer(), closed: T.Integer() })),
});
export type DangerStats = Static<typeof DangerStats>;

export const DangerSettings = T.Object({
  /** days past the deadline after which an overdue danger is escalated to the city */
  escalationDays: T.Integer({ minimum: 1, maximum: 365 }),
  version: T.Integer(),
});
export type DangerSettings = Static<typeof DangerSettings>;
export const DangerSettingsInput = T.Object({
  escalationDays: T.Integer({ minimum: 1, maximum: 365 }),
  version: Version(),
});
export type DangerSettingsInput = Static<typeof DangerSettingsInput>;

// ————— inspections —————

export const INSPECTION_KINDS = ['routine', 'special', 'reinspection'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export const INSPECTION_KIND_INFO: Record<InspectionKind, { zh: string; en: string }> = {
  routine: { zh: '日常检查', en: 'Routine' },
  special: { zh: '专项检查', en: 'Special' },
  reinspection: { zh: '复查', en: 'Re-inspection' },
};

export const FindingInput = T.Object({
  description: T.String({ minLength: 1, maxLength: 2000 }),
  category: T.Enum(DANGER_CATEGORIES),
  grade: T.Enum(DANGER_GRADES),
  location: T.Optional(T.String({ maxLength: 500, description: 'where in the enterprise' })),
  legalBasis: T.Optional(T.String({ maxLength: 1000 })),
});
export type FindingInput = Static<typeof FindingInput>;

export const InspectionInput = T.Object({
  enterpriseId: T.String({ format: 'uuid' }),
  date: Day,
  /** users of Anlan (ids) */
  inspectorIds: T.Optional(T.Array(T.String({ format: 'uuid' }), { maxItems: 20, uniqueItems: true })),
  /** inspectors by name (others) */
  inspectorNames: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  kind: T.Enum(INSPECTION_KINDS),
  basis: T.Optional(T.String({ maxLength: 2000 })),
  findings: T.Array(FindingInput, { maxItems: 100 }),
  conclusion: T.Optional(T.String({ maxLength: 5000 })),
});
export type InspectionInput = Static<typeof InspectionInput>;

export const Inspection = T.Object({
  id: T.String(),
  number: T.String(),
  enterprise: T.Object({ id: T.String(), name: T.String() }),
  district: T.Union([T.String(), T.Null()]),
  date: T.String(),
  inspectors: T.Array(T.Object({ id: T.Union([T.String(), T.Null()]), name: T.String() })),
  kind: T.Enum(INSPECTION_KINDS),
  basis: T.String(),
  conclusion: T.String(),
  findings: T.Array(
    T.Object({
      description: T.String(),
      category: T.Enum(DANGER_CATEGORIES),
      grade: T.Enum(DANGER_GRADES),
      location: T.String(),
      legalBasis: T.String(),
      dangerId: T.String(),
      dangerNumber: T.String(),
    }),
  ),
  demo: T.Boolean(),
  createdBy: T.Union([T.String(), T.Null()]),
  createdAt: T.String(),
});
export type Inspection = Static<typeof Inspection>;

export const InspectionListQuery = T.Object({
  enterpriseId: T.Optional(T.String({ format: 'uuid' })),
  kind: T.Optional(T.Enum(INSPECTION_KINDS)),
  district: T.Optional(T.String({ maxLength: 40 })),
  q: T.Optional(T.String({ maxLength: 100 })),
  from: T.Optional(Day),
  to: T.Optional(Day),
  ...paging(),
});
export type InspectionListQuery = Static<typeof InspectionListQuery>;
