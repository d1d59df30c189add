/**
 * What Anlan reads out of a CAP message (OASIS CAP 1.0, 1.1, 1.2): plain data, no XML. Times stay as written (with
 * their offset, e.g. `2024-07-12T21:31:38+08:00`); `capInstant` turns one into a Date. Positions are GeoJSON order,
 * [longitude, latitude], although CAP writes "latitude,longitude".
 */

export const CAP_NAMESPACES = {
  '1.0': 'http://www.incident.com/cap/1.0',
  '1.1': 'urn:oasis:names:tc:emergency:cap:1.1',
  '1.2': 'urn:oasis:names:tc:emergency:cap:1.2',
} as const;
export type CapVersion = keyof typeof CAP_NAMESPACES;

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const EDXL_DE_NS = 'urn:oasis:names:tc:emergency:EDXL:DE:1.0';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export type CapStatus = 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
export type CapMsgType = 'Alert' | 'Update' | 'Cancel' | 'Ack' | 'Error';
export type CapScope = 'Public' | 'Restricted' | 'Private';
export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
export type CapCertainty = 'Observed' | 'Likely' | 'Possible' | 'Unlikely' | 'Unknown' | 'Very Likely';

export interface CapValuePair {
  valueName: string;
  value: string;
}

/** One earlier message an Update, Cancel, Ack or Error points at (`sender,identifier,sent`). */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export interface CapCircle {
  /** [longitude, latitude] */
  center: [number, number];
  radiusKm: number;
}

export interface CapArea {
  areaDesc: string;
  /** closed rings of [longitude, latitude] (CAP's "lat,lon" pairs turned round) */
  polygons: [number, number][][];
  circles: CapCircle[];
  geocodes: CapValuePair[];
  altitude?: number;
  ceiling?: number;
}

export interface CapResource {
  resourceDesc: string;
  mimeType?: string;
  size?: number;
  uri?: string;
  digest?: string;
}

export interface CapInfo {
  /** `en-US` when the block names none (the CAP default) */
  language: string;
  category: string[];
  event: string;
  responseType: string[];
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  audience?: string;
  eventCode: CapValuePair[];
  effective?: string;
  onset?: string;
  expires?: string;
  senderName?: string;
  headline?: string;
  description?: string;
  instruction?: string;
  web?: string;
  contact?: string;
  parameter: CapValuePair[];
  resources: CapResource[];
  areas: CapArea[];
}

export type CapSignature = 'none' | 'present';

export interface CapAlert {
  version: CapVersion;
  identifier: string;
  sender: string;
  sent: string;
  status: CapStatus;
  msgType: CapMsgType;
  source?: string;
  scope: CapScope;
  restriction?: string;
  addresses?: string;
  code: string[];
  note?: string;
  references: CapReference[];
  incidents?: string;
  infos: CapInfo[];
  /** an enveloped XML signature (`ds:Signature`) is there; it is not checked */
  signature: CapSignature;
  /** the alert's XML: the whole input for a lone alert, the element's own text when it came in a feed or envelope */
  xml: string;
  /** line of the `<alert>` element in the input */
  line: number;
}

export type CapReadKind = 'alert' | 'atom' | 'rss' | 'edxl-de';

export interface CapReadResult {
  kind: CapReadKind;
  alerts: CapAlert[];
  /** entries of an index feed pointing at alerts that are not inline (to fetch) */
  links: string[];
  /** problems that do not refuse the input, one line each */
  warnings: string[];
  /** 'present' when any alert read carries a signature */
  signature: CapSignature;
}

/** A CAP time (always with an offset) as an instant. */
export function capInstant(text: string): Date {
  return new Date(text);
}
