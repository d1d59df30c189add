/**
 * Warnings (预警): raised by monitoring rules, imported from CAP, or entered by hand; one active warning per
 * (device or area, hazard); four colours (blue IV … red I); acknowledged, lifted, published as CAP 1.2 after
 * approval (审核签发), escalated to the next contact when nobody acknowledges.
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { ExerciseFilter, ExerciseMark } from './exercises-mark.ts';
import { eventTypeName } from './incidents.ts';
import { COLOURS } from './monitoring.ts';

/** A hazard's name as warnings say it: the GB/T 35561 type without its trailing 事件 (暴雨, not 暴雨事件). */
export function hazardName(code: string, lang: 'zh' | 'en'): string {
  const n = eventTypeName(code, lang);
  return lang === 'zh' ? n.replace(/事件$/, '') : n;
}

export const WARNING_STATUSES = ['raised', 'acknowledged', 'lifted'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const WARNING_STATUS_INFO: Record<WarningStatus, { zh: string; en: string }> = {
  raised: { zh: '已发出', en: 'Raised' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  lifted: { zh: '已解除', en: 'Lifted' },
};
export const WARNING_SOURCES = ['rule', 'cap', 'manual'] as const;
export type WarningSource = (typeof WARNING_SOURCES)[number];

const Geometry = T.Object(
  { type: T.Union([T.Literal('Polygon'), T.Literal('MultiPolygon')]), coordinates: T.Array(T.Any()) },
  { description: 'GeoJSON Polygon or MultiPolygon, WGS-84' },
);

export const LevelChange = T.Object({ colour: T.Enum(COLOURS), at: T.String() });

export const Warning = T.Object({
  id: T.String(),
  number: T.String(),
  hazardCode: T.String(),
  colour: T.Enum(COLOURS),
  status: T.Enum(WARNING_STATUSES),
  source: T.Enum(WARNING_SOURCES),
  /** null for area warnings (from CAP or entered by hand) */
  deviceId: T.Union([T.String(), T.Null()]),
  deviceName: T.Union([T.String(), T.Null()]),
  ruleId: T.Union([T.String(), T.Null()]),
  title: T.String(),
  titleEn: T.String(),
  description: T.String(),
  raisedAt: T.String(),
  /** the reading time at which a rule last held (rule warnings) */
  lastHeldAt: T.Union([T.String(), T.Null()]),
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  /** the area of an area warning, GeoJSON */
  area: T.Union([Geometry, T.Null()]),
  /** where the device stands, for a device's warning */
  location: T.Union([T.Object({ type: T.Literal('Point'), coordinates: T.Array(T.Number()) }), T.Null()]),
  levelHistory: T.Array(LevelChange),
  acknowledgedAt: T.Union([T.String(), T.Null()]),
  acknowledgedBy: T.Union([T.String(), T.Null()]),
  liftedAt: T.Union([T.String(), T.Null()]),
  liftedBy: T.Union([T.String(), T.Null()]),
  liftedReason: T.Union([T.String(), T.Null()]),
  /** published to the public (审核签发): when and by whom; the CAP message's identifier */
  publishedAt: T.Union([T.String(), T.Null()]),
  publishedBy: T.Union([T.String(), T.Null()]),
  capIdentifier: T.Union([T.String(), T.Null()]),
  /** an imported CAP alert: its sender (the meteorological service …) and identifier */
  capSender: T.Union([T.String(), T.Null()]),
  senderName: T.Union([T.String(), T.Null()]),
  expiresAt: T.Union([T.String(), T.Null()]),
  incidentId: T.Union([T.String(), T.Null()]),
  /** drill mode (演练): the exercise whose synthetic readings raised it; never published, external channels suppressed */
  exercise: T.Union([ExerciseMark, T.Null()]),
  version: T.Integer(),
});
export type Warning = Static<typeof Warning>;

export const WarningListQuery = T.Object({
  /** active = raised or acknowledged */
  status: T.Optional(T.Union([T.Enum(WARNING_STATUSES), T.Literal('active')])),
  hazardCode: T.Optional(T.String({ maxLength: 5 })),
  colour: T.Optional(T.Enum(COLOURS)),
  deviceId: T.Optional(T.String({ maxLength: 64 })),
  source: T.Optional(T.Enum(WARNING_SOURCES)),
  district: T.Optional(T.String({ maxLength: 64 })),
  exercise: T.Optional(ExerciseFilter),
  ...paging({ maxLimit: 500, defaultLimit: 50 }),
});
export type WarningListQuery = Static<typeof WarningListQuery>;

export const WarningInput = T.Object({
  hazardCode: T.String({ minLength: 5, maxLength: 5 }),
  colour: T.Enum(COLOURS),
  title: T.String({ minLength: 1, maxLength: 300 }),
  titleEn: T.Optional(T.String({ maxLength: 300 })),
  description: T.Optional(T.String({ maxLength: 10_000 })),
  /** the area: a GeoJSON polygon, or a district code (the district's boundary) */
  area: T.Optional(Geometry),
  district: T.Optional(T.String({ maxLength: 64 })),
  expiresAt: T.Optional(T.String({ format: 'date-time' })),
});
export type WarningInput = Static<typeof WarningInput>;

export const LiftInput = T.Object({ reason: T.String({ minLength: 1, maxLength: 1000 }), version: Version() });
export const ChangeColourInput = T.Object({
  colour: T.Enum(COLOURS),
  reason: T.String({ minLength: 1, maxLength: 1000 }),
  version: Version(),
});
export const PublishInput = T.Object({
  /** the text the public reads, both languages (defaults from the warning) */
  headline: T.Optional(T.String({ maxLength: 300 })),
  headlineEn: T.Optional(T.String({ maxLength: 300 })),
  description: T.Optional(T.String({ maxLength: 10_000 })),
  descriptionEn: T.Optional(T.String({ maxLength: 10_000 })),
  instruction: T.Optional(T.String({ maxLength: 5000 })),
  instructionEn: T.Optional(T.String({ maxLength: 5000 })),
  version: Version(),
});
export type PublishInput = Static<typeof PublishInput>;

export const CapImportReply = T.Object({
  kind: T.String(),
  /** warnings created or updated from the alerts in the document */
  warnings: T.Array(T.Object({ id: T.String(), capIdentifier: T.String(), action: T.String() })),
  /** alerts read but not turned into warnings (e.g. not for this city, or a test message), with why */
  skipped: T.Array(T.Object({ identifier: T.String(), reason: T.String() })),
  /** index feeds: linked alerts not fetched here */
  links: T.Array(T.String()),
  signature: T.String(),
});
export type CapImportReply = Static<typeof CapImportReply>;

// ---- escalation and deliveries ----

export const CHANNELS = ['in_app', 'email', 'webhook', 'mqtt', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_INFO: Record<Channel, { zh: string; en: string }> = {
  in_app: { zh: '系统内', en: 'In the app' },
  email: { zh: '电子邮件', en: 'Email' },
  webhook: { zh: 'Webhook', en: 'Webhook' },
  mqtt: { zh: 'MQTT 主题', en: 'MQTT topic' },
  sms: { zh: '短信', en: 'SMS' },
};

export const DUTY_CONTACTS = ['officer', 'leader'] as const;
export const Contact = T.Object({
  /** a user (by login name) or a unit (by code); or a raw address for email/webhook/sms/mqtt */
  user: T.Optional(T.String({ maxLength: 64 })),
  /** with `duty`: the unit whose roster is asked (default yjj, the city command centre) */
  unit: T.Optional(T.String({ maxLength: 64 })),
  /**
   * whoever is on shift as the unit's duty officer (值班员) or leader on duty (带班领导) at the moment the step is sent
   * (not when the policy is saved): in-app for each, SMS to their phone when known; nobody on shift → a failed
   * delivery and an alarm
   */
  duty: T.Optional(T.Enum(DUTY_CONTACTS)),
  channels: T.Array(T.Enum(CHANNELS), { minItems: 1, uniqueItems: true }),
  email: T.Optional(T.String({ maxLength: 200 })),
  phone: T.Optional(T.String({ maxLength: 40 })),
  webhookUrl: T.Optional(T.String({ maxLength: 1000 })),
  mqttTopic: T.Optional(T.String({ maxLength: 200 })),
});
export type Contact = Static<typeof Contact>;

export const PolicyInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  /** which warnings: hazard codes (empty: all), districts (empty: all), lowest colour */
  hazardCodes: T.Array(T.String({ minLength: 5, maxLength: 5 }), { maxItems: 100 }),
  districts: T.Array(T.String({ maxLength: 64 }), { maxItems: 20 }),
  minColour: T.Enum(COLOURS),
  /** contacted in turn: the first at once, the next when nobody acknowledged after `afterMinutes` */
  steps: T.Array(
    T.Object({
      afterMinutes: T.Integer({ minimum: 0, maximum: 1440 }),
      contacts: T.Array(Contact, { minItems: 1, maxItems: 20 }),
    }),
    {
      minItems: 1,
      maxItems: 10,
    },
  ),
  enabled: T.Optional(T.Boolean()),
});
export type PolicyInput = Static<typeof PolicyInput>;
export const Policy = T.Object({
  id: T.String(),
  ...PolicyInput.properties,
  enabled: T.Boolean(),
  version: T.Integer(),
});
export type Policy = Static<typeof Policy>;
export const PolicyPatch = T.Object({ ...T.Partial(PolicyInput).properties, version: Version() });

export const Delivery = T.Object({
  id: T.String(),
  warningId: T.String(),
  policyId: T.Union([T.String(), T.Null()]),
  step: T.Integer(),
  channel: T.Enum(CHANNELS),
  recipient: T.String(),
  /** what the warning's transition was: raised, colour, lifted, escalated */
  reason: T.String(),
  /** suppressed: a drill's (演练) notice on an external channel, recorded and not sent */
  status: T.Union([T.Literal('sent'), T.Literal('failed'), T.Literal('pending'), T.Literal('suppressed')]),
  detail: T.String(),
  at: T.String(),
});
export type Delivery = Static<typeof Delivery>;
