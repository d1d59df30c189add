/**
 * Duty (值班值守): rosters per unit (shift patterns, assignments of a leader 带班领导 and officers 值班员), the hours
 * without anyone on duty, shift handovers with the open items carried over, and the contact book. Times of day are
 * Asia/Shanghai (UTC+8, no daylight saving); a slot whose end is not after its start ends the next day.
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';

export const DUTY_ROLES = ['leader', 'officer'] as const;
export type DutyRole = (typeof DUTY_ROLES)[number];
export const DUTY_ROLE_INFO: Record<DutyRole, { zh: string; en: string }> = {
  leader: { zh: '带班领导', en: 'Leader on duty' },
  officer: { zh: '值班员', en: 'Duty officer' },
};

/** the city command centre: the unit a roster question means when it names none */
export const CITY_DUTY_UNIT = 'yjj';

const HHMM = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Beijing time' });
const DATE = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const MONTH = T.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

export const Slot = T.Object({
  key: T.String({ pattern: '^[a-z0-9_]{1,20}$' }),
  name: T.String({ minLength: 1, maxLength: 40 }),
  start: HHMM,
  /** not after `start`: ends the next day (08:00–08:00 is 24 hours) */
  end: HHMM,
});
export type Slot = Static<typeof Slot>;

export const PatternInput = T.Object({
  unit: T.String({ minLength: 1, maxLength: 64 }),
  name: T.String({ minLength: 1, maxLength: 100 }),
  slots: T.Array(Slot, { minItems: 1, maxItems: 6 }),
});
export type PatternInput = Static<typeof PatternInput>;
export const Pattern = T.Object({
  id: T.String(),
  ...PatternInput.properties,
  unitName: T.String(),
  version: T.Integer(),
});
export type Pattern = Static<typeof Pattern>;
export const PatternPatch = T.Object({
  name: T.Optional(PatternInput.properties.name),
  slots: T.Optional(PatternInput.properties.slots),
  version: Version(),
});

export const Person = T.Object({ id: T.String(), displayName: T.String() });

export const Shift = T.Object({
  id: T.String(),
  unit: T.String(),
  date: T.String(),
  patternId: T.String(),
  slot: T.String(),
  slotName: T.String(),
  role: T.Enum(DUTY_ROLES),
  user: Person,
  startsAt: T.String(),
  endsAt: T.String(),
  note: T.String(),
  version: T.Integer(),
});
export type Shift = Static<typeof Shift>;

export const ShiftInput = T.Object({
  unit: T.String({ minLength: 1, maxLength: 64 }),
  date: DATE,
  patternId: T.String({ format: 'uuid' }),
  slot: T.String({ maxLength: 20 }),
  role: T.Enum(DUTY_ROLES),
  userId: T.String({ format: 'uuid' }),
  note: T.Optional(T.String({ maxLength: 500 })),
});
export type ShiftInput = Static<typeof ShiftInput>;
export const ShiftPatch = T.Object({
  userId: T.Optional(T.String({ format: 'uuid' })),
  note: T.Optional(T.String({ maxLength: 500 })),
  version: Version(),
});
export type ShiftPatch = Static<typeof ShiftPatch>;

export const ShiftQuery = T.Object({
  unit: T.Optional(T.String({ maxLength: 64, description: 'default: yjj, the city command centre' })),
  from: T.Optional(DATE),
  to: T.Optional(DATE),
});
export type ShiftQuery = Static<typeof ShiftQuery>;

/** A month from a rotation: the users take the pattern's slots in turn, one each, day by day. */
export const GenerateInput = T.Object({
  unit: T.String({ minLength: 1, maxLength: 64 }),
  patternId: T.String({ format: 'uuid' }),
  month: MONTH,
  role: T.Enum(DUTY_ROLES),
  rotation: T.Array(T.String({ format: 'uuid' }), { minItems: 1, maxItems: 100 }),
  /** the rotation's first person on the month's first slot (default 0) */
  startIndex: T.Optional(T.Integer({ minimum: 0, maximum: 99 })),
  /** replace the month's shifts of that role and pattern (default: refuse when there are some) */
  replace: T.Optional(T.Boolean()),
});
export type GenerateInput = Static<typeof GenerateInput>;

export const Gap = T.Object({ from: T.String(), to: T.String(), hours: T.Integer() });
export type Gap = Static<typeof Gap>;
export const GapsQuery = T.Object({
  unit: T.Optional(T.String({ maxLength: 64 })),
  days: T.Optional(T.Integer({ minimum: 1, maximum: 92, default: 30 })),
});
export const GapsReply = T.Object({
  unit: T.String(),
  from: T.String(),
  to: T.String(),
  officer: T.Array(Gap),
  leader: T.Array(Gap),
});
export type GapsReply = Static<typeof GapsReply>;

export const OnDuty = T.Object({
  id: T.String(),
  displayName: T.String(),
  unit: T.String(),
  phone: T.String({ description: 'masked without personal.read' }),
  until: T.String(),
});
export const OnShiftReply = T.Object({
  unit: T.String(),
  at: T.String(),
  leaders: T.Array(OnDuty),
  officers: T.Array(OnDuty),
});
export type OnShiftReply = Static<typeof OnShiftReply>;
export const OnShiftQuery = T.Object({
  unit: T.Optional(T.String({ maxLength: 64 })),
  at: T.Optional(T.String({ format: 'date-time' })),
});

// ---- handover ----

export const HANDOVER_ITEM_KINDS = ['free', 'incident', 'task', 'warning'] as const;
export type HandoverItemKind = (typeof HANDOVER_ITEM_KINDS)[number];
export const HandoverItem = T.Object({
  kind: T.Enum(HANDOVER_ITEM_KINDS),
  /** the incident, task or warning carried over (not for free items) */
  refId: T.Optional(T.String({ format: 'uuid' })),
  text: T.String({ minLength: 1, maxLength: 1000 }),
});
export type HandoverItem = Static<typeof HandoverItem>;
export const HandoverInput = T.Object({
  unit: T.Optional(T.String({ maxLength: 64 })),
  toUserId: T.String({ format: 'uuid' }),
  notes: T.String({ maxLength: 5000 }),
  items: T.Array(HandoverItem, { maxItems: 100 }),
});
export type HandoverInput = Static<typeof HandoverInput>;
export const HANDOVER_STATUSES = ['pending', 'accepted'] as const;
export const Handover = T.Object({
  id: T.String(),
  unit: T.String(),
  from: Person,
  to: Person,
  notes: T.String(),
  items: T.Array(HandoverItem),
  status: T.Enum(HANDOVER_STATUSES),
  createdAt: T.String(),
  acceptedAt: T.Union([T.String(), T.Null()]),
  acceptNote: T.String(),
});
export type Handover = Static<typeof Handover>;
export const HandoverAccept = T.Object({ note: T.Optional(T.String({ maxLength: 2000 })) });
export const HandoverQuery = T.Object({
  unit: T.Optional(T.String({ maxLength: 64 })),
  status: T.Optional(T.Enum(HANDOVER_STATUSES)),
  mine: T.Optional(T.Boolean({ description: 'handed to me or by me' })),
  ...paging({ maxLimit: 200, defaultLimit: 50 }),
});
export type HandoverQuery = Static<typeof HandoverQuery>;

// ---- contact book ----

export const CONTACT_KINDS = ['user', 'external'] as const;
export const ContactInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  title: T.Optional(T.String({ maxLength: 100 })),
  unit: T.Optional(T.String({ maxLength: 64, description: 'an org unit code, when the person belongs to one' })),
  organisation: T.Optional(T.String({ maxLength: 200 })),
  phones: T.Array(T.String({ minLength: 3, maxLength: 40 }), { minItems: 1, maxItems: 5 }),
  notes: T.Optional(T.String({ maxLength: 1000 })),
});
export type ContactInput = Static<typeof ContactInput>;
export const ContactPatch = T.Object({ ...T.Partial(ContactInput).properties, version: Version() });
export type ContactPatch = Static<typeof ContactPatch>;
export const BookEntry = T.Object({
  kind: T.Enum(CONTACT_KINDS),
  id: T.String(),
  name: T.String(),
  title: T.String(),
  unit: T.Union([T.String(), T.Null()]),
  unitName: T.String(),
  organisation: T.String(),
  phones: T.Array(T.String(), { description: 'masked without personal.read' }),
  notes: T.String(),
  version: T.Integer(),
});
export type BookEntry = Static<typeof BookEntry>;
export const BookQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 50, description: 'name, pinyin initials (zs for 张三), full pinyin, phone' })),
  unit: T.Optional(T.String({ maxLength: 64 })),
  kind: T.Optional(T.Enum(CONTACT_KINDS)),
  ...paging({ maxLimit: 500, defaultLimit: 50 }),
});
export type BookQuery = Static<typeof BookQuery>;
export const Department = T.Object({
  code: T.String(),
  name: T.String(),
  nameEn: T.String(),
  kind: T.String(),
  people: T.Integer(),
});
export type Department = Static<typeof Department>;
