/**
 * Alarms: what the platform's alert service raises for new incidents, level rises and (later) warnings and overdue
 * items, by severity I–IV. A warning's colour maps onto the same four (red I … blue IV), so every source speaks
 * one scale with one set of colours and words.
 */
import { type Static, Type as T } from 'typebox';
import { paging } from './common.ts';
import { LEVEL_INFO } from './incidents.ts';

export const SEVERITIES = ['I', 'II', 'III', 'IV'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityInfo {
  /** the level's name: 特别重大 … 一般 */
  zh: string;
  en: string;
  color: string;
  /** the warning colour it corresponds to, in words */
  colourZh: string;
  colourEn: string;
  /** I–II: a banner, a sound repeated until acknowledged, never silenced */
  urgent: boolean;
}

export const SEVERITY_INFO: Record<Severity, SeverityInfo> = {
  I: { ...LEVEL_INFO.I, colourZh: '红色', colourEn: 'red', urgent: true },
  II: { ...LEVEL_INFO.II, colourZh: '橙色', colourEn: 'orange', urgent: true },
  III: { ...LEVEL_INFO.III, colourZh: '黄色', colourEn: 'yellow', urgent: false },
  IV: { ...LEVEL_INFO.IV, colourZh: '蓝色', colourEn: 'blue', urgent: false },
};

export const WARNING_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type WarningColour = (typeof WARNING_COLOURS)[number];
/** A warning's colour as an alarm's severity. */
export const SEVERITY_OF_COLOUR: Record<WarningColour, Severity> = {
  red: 'I',
  orange: 'II',
  yellow: 'III',
  blue: 'IV',
};

/** Most severe first (I before IV). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

const Text = T.Object({ zh: T.String(), en: T.String() });

export const AlertAck = T.Object({
  /** the unit's record id (org_units.id) and its code */
  unitId: T.String(),
  unitCode: T.String(),
  unitName: T.String(),
  unitNameEn: T.String(),
  userId: T.Union([T.String(), T.Null()]),
  userName: T.String(),
  at: T.String(),
});
export type AlertAck = Static<typeof AlertAck>;

export const Alert = T.Object({
  id: T.String(),
  source: T.String({ description: 'the module that raised it: incident, warning, task …' }),
  sourceId: T.String(),
  severity: T.Enum(SEVERITIES),
  title: Text,
  /** the record's page in the web app, e.g. /incidents/… */
  link: T.String(),
  district: T.Union([T.Object({ code: T.String(), name: T.String(), nameEn: T.String() }), T.Null()]),
  raisedAt: T.String(),
  /** the caller's unit's acknowledgement (null while open for that unit) */
  acknowledged: T.Union([AlertAck, T.Null()]),
});
export type Alert = Static<typeof Alert>;

export const AlertQuery = T.Object({ ...paging({ maxLimit: 200, defaultLimit: 50 }) });
export type AlertQuery = Static<typeof AlertQuery>;

export const AckReply = T.Object({
  alert: Alert,
  /** false: the unit had acknowledged it already (nothing new was written) */
  acknowledgedNow: T.Boolean(),
});
export type AckReply = Static<typeof AckReply>;

/** The payload of `alert.acknowledged` on the live stream: the unit whose screens clear. */
export const AlertAcknowledgedEvent = T.Object({ alertId: T.String(), ack: AlertAck });
export type AlertAcknowledgedEvent = Static<typeof AlertAcknowledgedEvent>;
/** `alert.resolved`: the alarm's record ended (an incident closed); it leaves every tray. */
export const AlertResolvedEvent = T.Object({ alertId: T.String(), source: T.String(), sourceId: T.String() });
export type AlertResolvedEvent = Static<typeof AlertResolvedEvent>;
