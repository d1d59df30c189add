/**
 * Experts (专家库) and consultations (会商研判): the register by field (GB/T 35561 type codes, as incidents use), the
 * recorded random draws with avoidance and their invitations, consultation sessions, and the periodic
 * risk-situation assessments made from templates. Shared by the server (schemas) and the web (types, names).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { findEventType, parentTypeCode } from './incidents.ts';

export const EXPERT_TITLES = ['senior', 'associate_senior', 'intermediate', 'junior', 'other'] as const;
export type ExpertTitle = (typeof EXPERT_TITLES)[number];
export const EXPERT_TITLE_INFO: Record<ExpertTitle, { zh: string; en: string }> = {
  senior: { zh: '正高级', en: 'Senior (professor level)' },
  associate_senior: { zh: '副高级', en: 'Associate senior' },
  intermediate: { zh: '中级', en: 'Intermediate' },
  junior: { zh: '初级', en: 'Junior' },
  other: { zh: '其他', en: 'Other' },
};

export const AVAILABILITY_STATUSES = ['available', 'unavailable'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** The name of the draw algorithm, recorded with every draw so that a later version can still verify an old one. */
export const DRAW_ALGORITHM = 'sha256-counter-fisher-yates-v1';

/** A GB/T 35561 type code (a category such as 11A00 or 11000 is allowed: it stands for everything under it). */
const FieldCode = T.String({ pattern: '^1[0-9][0-9A-Z][0-9]{2}$', description: 'GB/T 35561 type code, e.g. 11A01' });
const Day = T.String({ format: 'date', description: 'YYYY-MM-DD' });

/** Is the code a known GB/T 35561 type below the root (a field may be a category)? */
export function isFieldCode(code: string): boolean {
  const t = findEventType(code);
  return !!t && t.level >= 1;
}

/** The code and every category above it: 11A01 → [11A01, 11A00, 11000]. */
export function fieldAncestors(code: string): string[] {
  const out: string[] = [];
  let t = findEventType(code);
  while (t && t.level >= 1) {
    out.push(t.code);
    const parent = parentTypeCode(t);
    t = parent ? findEventType(parent) : undefined;
  }
  return out;
}

/**
 * Does an expert of `expertField` serve a request for `wanted`? Yes when either lies under the other: a flood expert
 * (11A01) serves "floods and droughts" (11A00), and a floods-and-droughts generalist serves "flood".
 */
export function fieldServes(expertField: string, wanted: string): boolean {
  return fieldAncestors(expertField).includes(wanted) || fieldAncestors(wanted).includes(expertField);
}

export const Availability = T.Object({
  status: T.Enum(AVAILABILITY_STATUSES),
  /** unavailable until this day (inclusive, Beijing time); none: until changed */
  until: T.Optional(T.Union([Day, T.Null()])),
  reason: T.Optional(T.String({ maxLength: 200 })),
});
export type Availability = Static<typeof Availability>;

export const ExpertInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  fields: T.Array(FieldCode, { minItems: 1, maxItems: 20, uniqueItems: true }),
  speciality: T.Optional(T.String({ maxLength: 500 })),
  title: T.Enum(EXPERT_TITLES),
  /** the professional title as written (教授级高级工程师, 主任医师 …) */
  titleText: T.Optional(T.String({ maxLength: 100 })),
  organisation: T.String({ minLength: 1, maxLength: 200 }),
  phones: T.Optional(T.Array(T.String({ minLength: 3, maxLength: 40 }), { maxItems: 3 })),
  email: T.Optional(T.String({ maxLength: 200 })),
  /** a district or zone code (371002 …); the city when empty */
  district: T.Optional(T.Union([T.String({ maxLength: 40 }), T.Null()])),
  availability: T.Optional(Availability),
  active: T.Optional(T.Boolean()),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type ExpertInput = Static<typeof ExpertInput>;

export const ExpertPatch = T.Object({
  version: Version(),
  name: T.Optional(ExpertInput.properties.name),
  fields: T.Optional(ExpertInput.properties.fields),
  speciality: ExpertInput.properties.speciality,
  title: T.Optional(ExpertInput.properties.title),
  titleText: ExpertInput.properties.titleText,
  organisation: T.Optional(ExpertInput.properties.organisation),
  phones: ExpertInput.properties.phones,
  email: ExpertInput.properties.email,
  district: ExpertInput.properties.district,
  availability: ExpertInput.properties.availability,
  active: ExpertInput.properties.active,
  notes: ExpertInput.properties.notes,
});
export type ExpertPatch = Static<typeof ExpertPatch>;

const Named = T.Object({ code: T.String(), name: T.String() });

export const Expert = T.Object({
  id: T.String(),
  name: T.String(),
  fields: T.Array(T.String()),
  speciality: T.String(),
  title: T.Enum(EXPERT_TITLES),
  titleText: T.String(),
  organisation: T.String(),
  /** masked without personal.read */
  phones: T.Array(T.String()),
  email: T.String(),
  district: T.Union([Named, T.Null()]),
  ownerUnit: T.Union([T.String(), T.Null()]),
  availability: T.Object({
    status: T.Enum(AVAILABILITY_STATUSES),
    until: T.Union([T.String(), T.Null()]),
    reason: T.String(),
  }),
  /** active, and available today (an unavailability whose day has passed no longer counts) */
  availableNow: T.Boolean(),
  active: T.Boolean(),
  notes: T.String(),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Expert = Static<typeof Expert>;

export const ExpertListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100, description: 'name, organisation or speciality contains' })),
  field: T.Optional(FieldCode),
  organisation: T.Optional(T.String({ maxLength: 200 })),
  availability: T.Optional(T.Enum(AVAILABILITY_STATUSES, { description: 'as of today' })),
  active: T.Optional(T.Boolean()),
  title: T.Optional(T.Enum(EXPERT_TITLES)),
  district: T.Optional(T.String({ maxLength: 40 })),
  ...paging(),
});
export type ExpertListQuery = Static<typeof ExpertListQuery>;

// ————— draws and invitations —————

export const DrawInput = T.Object({
  fields: T.Array(FieldCode, { minItems: 1, maxItems: 20, uniqueItems: true }),
  count: T.Integer({ minimum: 1, maximum: 50 }),
  /** avoidance: no expert whose organisation is or contains one of these is drawn */
  excludeOrganisations: T.Optional(T.Array(T.String({ minLength: 2, maxLength: 200 }), { maxItems: 50 })),
  excludeExpertIds: T.Optional(T.Array(T.String({ format: 'uuid' }), { maxItems: 200, uniqueItems: true })),
  purpose: T.String({ minLength: 1, maxLength: 500 }),
  incidentId: T.Optional(T.String({ format: 'uuid' })),
  warningId: T.Optional(T.String({ format: 'uuid' })),
});
export type DrawInput = Static<typeof DrawInput>;

export const ReplacementInput = T.Object({
  /** how many to draw; default: the declined invitations not yet replaced */
  count: T.Optional(T.Integer({ minimum: 1, maximum: 50 })),
  reason: T.Optional(T.String({ maxLength: 500 })),
});
export type ReplacementInput = Static<typeof ReplacementInput>;

export const INVITATION_STATUSES = ['invited', 'accepted', 'declined'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
export const INVITATION_STATUS_INFO: Record<InvitationStatus, { zh: string; en: string; color: string }> = {
  invited: { zh: '已邀请', en: 'Invited', color: 'blue' },
  accepted: { zh: '已接受', en: 'Accepted', color: 'green' },
  declined: { zh: '已谢绝', en: 'Declined', color: 'red' },
};

const ExpertBrief = T.Object({
  id: T.String(),
  name: T.String(),
  organisation: T.String(),
  title: T.Enum(EXPERT_TITLES),
  fields: T.Array(T.String()),
  phones: T.Array(T.String()),
});

export const Invitation = T.Object({
  id: T.String(),
  drawId: T.String(),
  /** the round that drew the expert */
  roundId: T.String(),
  expert: ExpertBrief,
  status: T.Enum(INVITATION_STATUSES),
  reason: T.String(),
  repliedAt: T.Union([T.String(), T.Null()]),
  repliedBy: T.Union([T.String(), T.Null()]),
  /** a declined invitation already replaced by a later round */
  replaced: T.Boolean(),
  version: T.Integer(),
});
export type Invitation = Static<typeof Invitation>;

export const InvitationReply = T.Object({
  version: Version(),
  status: T.Union([T.Literal('accepted'), T.Literal('declined')]),
  /** required when declining */
  reason: T.Optional(T.String({ maxLength: 500 })),
});
export type InvitationReply = Static<typeof InvitationReply>;

export const DrawRound = T.Object({
  id: T.String(),
  /** 0 the first draw, 1… the replacements */
  round: T.Integer(),
  seed: T.String({ description: '32 random bytes, hex' }),
  algorithm: T.String(),
  count: T.Integer(),
  /** the candidate pool at the time, ids sorted */
  candidates: T.Array(T.String()),
  /** the drawn ids, in draw order */
  result: T.Array(T.String()),
  /** sha256 of the round's record (also in its audit row) */
  digest: T.String(),
  reason: T.String(),
  drawnBy: T.Union([T.String(), T.Null()]),
  drawnAt: T.String(),
});
export type DrawRound = Static<typeof DrawRound>;

export const Draw = T.Object({
  id: T.String(),
  fields: T.Array(T.String()),
  count: T.Integer(),
  excludeOrganisations: T.Array(T.String()),
  excludeExpertIds: T.Array(T.String()),
  purpose: T.String(),
  incidentId: T.Union([T.String(), T.Null()]),
  warningId: T.Union([T.String(), T.Null()]),
  rounds: T.Array(DrawRound),
  invitations: T.Array(Invitation),
  drawnBy: T.Union([T.String(), T.Null()]),
  drawnAt: T.String(),
});
export type Draw = Static<typeof Draw>;

export const DrawListQuery = T.Object({
  incidentId: T.Optional(T.String({ format: 'uuid' })),
  warningId: T.Optional(T.String({ format: 'uuid' })),
  ...paging(),
});
export type DrawListQuery = Static<typeof DrawListQuery>;

export const DrawSummary = T.Object({
  id: T.String(),
  fields: T.Array(T.String()),
  count: T.Integer(),
  purpose: T.String(),
  incidentId: T.Union([T.String(), T.Null()]),
  warningId: T.Union([T.String(), T.Null()]),
  rounds: T.Integer(),
  accepted: T.Integer(),
  declined: T.Integer(),
  invited: T.Integer(),
  drawnBy: T.Union([T.String(), T.Null()]),
  drawnAt: T.String(),
});
export type DrawSummary = Static<typeof DrawSummary>;

export const DrawVerification = T.Object({
  drawId: T.String(),
  /** every round's result recomputed from its record equals the recorded result, and every digest holds */
  matches: T.Boolean(),
  rounds: T.Array(
    T.Object({
      id: T.String(),
      round: T.Integer(),
      recomputed: T.Array(T.String()),
      recorded: T.Array(T.String()),
      resultMatches: T.Boolean(),
      digestMatches: T.Boolean(),
    }),
  ),
  /** would the first round's criteria give the same candidate pool today? */
  poolUnchanged: T.Boolean(),
  poolToday: T.Object({ size: T.Integer(), added: T.Array(T.String()), removed: T.Array(T.String()) }),
  algorithm: T.String(),
});
export type DrawVerification = Static<typeof DrawVerification>;

// ————— consultations —————

export const CONSULTATION_KINDS = ['incident', 'warning', 'periodic'] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
export const CONSULTATION_KIND_INFO: Record<ConsultationKind, { zh: string; en: string }> = {
  incident: { zh: '事件会商', en: 'Incident consultation' },
  warning: { zh: '预警会商', en: 'Warning consultation' },
  periodic: { zh: '风险形势研判', en: 'Periodic risk assessment' },
};
export const CONSULTATION_STATUSES = ['planned', 'held', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];
export const CONSULTATION_STATUS_INFO: Record<ConsultationStatus, { zh: string; en: string; color: string }> = {
  planned: { zh: '计划中', en: 'Planned', color: 'blue' },
  held: { zh: '已召开', en: 'Held', color: 'orange' },
  closed: { zh: '已办结', en: 'Closed', color: 'default' },
};
/** planned → held → closed, one step at a time */
export const CONSULTATION_NEXT: Record<ConsultationStatus, ConsultationStatus | null> = {
  planned: 'held',
  held: 'closed',
  closed: null,
};

export const Participants = T.Object({
  experts: T.Optional(T.Array(T.String({ format: 'uuid' }), { maxItems: 100, uniqueItems: true })),
  /** org unit codes */
  units: T.Optional(T.Array(T.String({ maxLength: 40 }), { maxItems: 100, uniqueItems: true })),
  users: T.Optional(T.Array(T.String({ format: 'uuid' }), { maxItems: 100, uniqueItems: true })),
});
export type Participants = Static<typeof Participants>;

export const ConsultationInput = T.Object({
  title: T.String({ minLength: 1, maxLength: 200 }),
  kind: T.Enum(CONSULTATION_KINDS),
  startsAt: T.String({ format: 'date-time' }),
  place: T.Optional(T.String({ maxLength: 200 })),
  /** a video link for a remote session */
  link: T.Optional(T.String({ maxLength: 500 })),
  participants: T.Optional(Participants),
  agenda: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 })),
  minutes: T.Optional(T.String({ maxLength: 100_000 })),
  conclusions: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 2000 }), { maxItems: 50 })),
  incidentId: T.Optional(T.Union([T.String({ format: 'uuid' }), T.Null()])),
  warningId: T.Optional(T.Union([T.String({ format: 'uuid' }), T.Null()])),
});
export type ConsultationInput = Static<typeof ConsultationInput>;

export const ConsultationPatch = T.Object({
  version: Version(),
  title: T.Optional(ConsultationInput.properties.title),
  startsAt: T.Optional(ConsultationInput.properties.startsAt),
  place: ConsultationInput.properties.place,
  link: ConsultationInput.properties.link,
  participants: ConsultationInput.properties.participants,
  agenda: ConsultationInput.properties.agenda,
  minutes: ConsultationInput.properties.minutes,
  conclusions: ConsultationInput.properties.conclusions,
  incidentId: ConsultationInput.properties.incidentId,
  warningId: ConsultationInput.properties.warningId,
  /** the next status (planned → held → closed) */
  status: T.Optional(T.Enum(CONSULTATION_STATUSES)),
});
export type ConsultationPatch = Static<typeof ConsultationPatch>;

export const Consultation = T.Object({
  id: T.String(),
  title: T.String(),
  kind: T.Enum(CONSULTATION_KINDS),
  startsAt: T.String(),
  place: T.String(),
  link: T.String(),
  participants: T.Object({
    experts: T.Array(T.Object({ id: T.String(), name: T.String(), organisation: T.String() })),
    units: T.Array(T.Object({ code: T.String(), name: T.String() })),
    users: T.Array(T.Object({ id: T.String(), name: T.String() })),
  }),
  agenda: T.Array(T.String()),
  minutes: T.String(),
  conclusions: T.Array(T.String()),
  incident: T.Union([T.Object({ id: T.String(), number: T.String(), title: T.String() }), T.Null()]),
  warning: T.Union([T.Object({ id: T.String(), number: T.String(), title: T.String() }), T.Null()]),
  template: T.Union([T.String(), T.Null()]),
  period: T.Union([T.String(), T.Null()]),
  status: T.Enum(CONSULTATION_STATUSES),
  district: T.Union([T.String(), T.Null()]),
  ownerUnit: T.Union([T.String(), T.Null()]),
  demo: T.Boolean(),
  version: T.Integer(),
  createdBy: T.Union([T.String(), T.Null()]),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Consultation = Static<typeof Consultation>;

export const ConsultationListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100 })),
  kind: T.Optional(T.Enum(CONSULTATION_KINDS)),
  status: T.Optional(T.Enum(CONSULTATION_STATUSES)),
  incidentId: T.Optional(T.String({ format: 'uuid' })),
  warningId: T.Optional(T.String({ format: 'uuid' })),
  template: T.Optional(T.String({ maxLength: 40 })),
  ...paging(),
});
export type ConsultationListQuery = Static<typeof ConsultationListQuery>;

// ————— periodic assessments: templates —————

export const CADENCES = ['monthly', 'quarterly', 'occasion'] as const;
export type Cadence = (typeof CADENCES)[number];
export const CADENCE_INFO: Record<Cadence, { zh: string; en: string }> = {
  monthly: { zh: '每月', en: 'Monthly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  occasion: { zh: '节点前（节假日、汛期）', en: 'Before an occasion (holidays, flood season)' },
};

export const Occasion = T.Object({
  key: T.String({ pattern: '^[a-z][a-z0-9_]{0,29}$' }),
  zh: T.String({ minLength: 1, maxLength: 50 }),
  en: T.String({ minLength: 1, maxLength: 80 }),
  /** MM-DD: the occasion's day (a lunar holiday moves: edit it each year) */
  date: T.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' }),
});
export type Occasion = Static<typeof Occasion>;

export const TemplateInput = T.Object({
  key: T.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  name: T.String({ minLength: 1, maxLength: 100 }),
  nameEn: T.String({ minLength: 1, maxLength: 150 }),
  cadence: T.Enum(CADENCES),
  /** monthly / quarterly: due by this day of the period's first month */
  dueDay: T.Optional(T.Integer({ minimum: 1, maximum: 28 })),
  /** occasion: the occasions and how many days before each the assessment is due */
  occasions: T.Optional(T.Array(Occasion, { maxItems: 20 })),
  leadDays: T.Optional(T.Integer({ minimum: 0, maximum: 60 })),
  agenda: T.Array(T.String({ minLength: 1, maxLength: 500 }), { maxItems: 50 }),
  /** the section headings of the minutes */
  sections: T.Array(T.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 }),
  active: T.Optional(T.Boolean()),
});
export type TemplateInput = Static<typeof TemplateInput>;

export const TemplatePatch = T.Object({
  version: Version(),
  name: T.Optional(TemplateInput.properties.name),
  nameEn: T.Optional(TemplateInput.properties.nameEn),
  dueDay: TemplateInput.properties.dueDay,
  occasions: TemplateInput.properties.occasions,
  leadDays: TemplateInput.properties.leadDays,
  agenda: T.Optional(TemplateInput.properties.agenda),
  sections: T.Optional(TemplateInput.properties.sections),
  active: TemplateInput.properties.active,
});
export type TemplatePatch = Static<typeof TemplatePatch>;

export const ConsultationTemplate = T.Object({
  id: T.String(),
  key: T.String(),
  name: T.String(),
  nameEn: T.String(),
  cadence: T.Enum(CADENCES),
  dueDay: T.Integer(),
  occasions: T.Array(Occasion),
  leadDays: T.Integer(),
  agenda: T.Array(T.String()),
  sections: T.Array(T.String()),
  active: T.Boolean(),
  version: T.Integer(),
});
export type ConsultationTemplate = Static<typeof ConsultationTemplate>;

export const FromTemplateInput = T.Object({
  /** the template's key */
  template: T.String({ maxLength: 40 }),
  /** monthly 2026-06, quarterly 2026-Q2, occasion 2026-flood_season */
  period: T.String({ pattern: '^[0-9]{4}-([0-9]{2}|Q[1-4]|[a-z][a-z0-9_]{0,29})$' }),
  startsAt: T.Optional(T.String({ format: 'date-time' })),
  place: T.Optional(T.String({ maxLength: 200 })),
});
export type FromTemplateInput = Static<typeof FromTemplateInput>;

export const DUE_STATES = ['due', 'overdue', 'planned', 'done'] as const;
export type DueState = (typeof DUE_STATES)[number];

export const DueAssessment = T.Object({
  template: T.String(),
  templateName: T.String(),
  templateNameEn: T.String(),
  period: T.String(),
  /** the day it is due by (YYYY-MM-DD, Beijing) */
  dueOn: T.String(),
  state: T.Enum(DUE_STATES),
  consultationId: T.Union([T.String(), T.Null()]),
});
export type DueAssessment = Static<typeof DueAssessment>;

export const DueQuery = T.Object({
  /** the day to look from (default today) */
  on: T.Optional(Day),
});
