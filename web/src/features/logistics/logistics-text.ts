/**
 * Pure helpers of the logistics pages (no React, no network), tested on their own: Beijing clock times of a plan's
 * arrivals, expiry flags, a list of affected places read from CSV or an .xlsx sheet, the gaps chart's series, the
 * dispatch board's columns.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { DispatchOrder, GapLine, OrderState, PlanPlace } from '../../../../contracts/logistics.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

const TZ = 'Asia/Shanghai';
export type Lang = 'zh' | 'en';
export const nameIn = (info: { zh: string; en: string }, lang: Lang) => (lang === 'en' ? info.en : info.zh);

/** An instant as Beijing `HH:mm`, with `+1d` when it falls on a later Beijing day than `from`. */
export function clockAt(iso: string, from?: string): string {
  const at = dayjs(iso).tz(TZ);
  if (!at.isValid()) return '—';
  const hm = at.format('HH:mm');
  if (!from) return hm;
  const days = at.startOf('day').diff(dayjs(from).tz(TZ).startOf('day'), 'day');
  return days > 0 ? `${hm} +${days}d` : hm;
}

/** The arrival of a shipment `etaSeconds` after `startAt`, as Beijing `HH:mm` (`+1d` on a later day). */
export function etaClock(startAt: string, etaSeconds: number): string {
  return clockAt(dayjs(startAt).add(etaSeconds, 'second').toISOString(), startAt);
}

/** Seconds as `h:mm` (`0:45`, `12:05`); null as a dash. */
export function hoursMinutes(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}

/** A whole quantity with thousands separators (`12,500`). */
export const qty = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US');

/** Yuan in the reader's way: `¥1,234,500` / `1,234,500 元`. */
export function yuan(n: number | null | undefined, lang: Lang): string {
  if (n === null || n === undefined) return '—';
  const s = Math.round(n).toLocaleString('en-US');
  return lang === 'en' ? `¥${s}` : `${s} 元`;
}

export type ExpiryState = 'expired' | 'soon' | 'ok';
/** A batch by its expiry day against Beijing today: expired, within `soonDays` (30), or fine; null: never expires. */
export function expiryState(expiresOn: string | null, today: string, soonDays = 30): ExpiryState | null {
  if (!expiresOn) return null;
  const days = dayjs(expiresOn).diff(dayjs(today), 'day');
  if (days < 0) return 'expired';
  return days <= soonDays ? 'soon' : 'ok';
}

/** Beijing's calendar day of an instant (default now), `YYYY-MM-DD`. */
export const beijingDay = (at: Date = new Date()) => dayjs(at).tz(TZ).format('YYYY-MM-DD');

// ---- a list of affected places ----

export interface PlaceRowError {
  /** 1-based, the header being row 1 */
  row: number;
  column: string;
  problem: 'lng' | 'lat' | 'people' | 'columns';
}

const HEADERS: Record<'name' | 'lng' | 'lat' | 'people', RegExp> = {
  name: /^(name|place|名称|地点|安置点|受灾点)/i,
  lng: /^(lng|lon|longitude|经度|x$)/i,
  lat: /^(lat|latitude|纬度|y$)/i,
  people: /^(people|persons|population|人数|人口|受灾人数|安置人数)/i,
};

/**
 * A CSV file's text as the server's imports read it: UTF-8 (with or without its BOM), else GB18030 — what Excel on a
 * Chinese Windows saves as "CSV" (GBK is a subset of it).
 */
export function decodeCsv(data: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/** Splits CSV text (commas, semicolons or tabs; double-quoted cells) into rows of trimmed cells. */
export function splitCsv(text: string): string[][] {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = first.includes('\t') ? '\t' : first.includes(';') && !first.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell.trim());
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell.trim());
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell.trim());
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x !== ''));
}

/**
 * Places from rows whose first row names the columns (名称/name, 经度/lng, 纬度/lat, 人数/people; WGS-84 degrees).
 * A row with a bad coordinate or head count is reported by row and column and left out; ids are `p1`, `p2` … in
 * order after `firstId`.
 */
export function placesFromRows(
  rows: string[][],
  firstId = 1,
): { places: (PlanPlace & { people: number })[]; errors: PlaceRowError[] } {
  const errors: PlaceRowError[] = [];
  const head = rows[0] ?? [];
  const col = (k: keyof typeof HEADERS) => head.findIndex((h) => HEADERS[k].test(h.replace(/^\uFEFF/, '').trim()));
  const at = { name: col('name'), lng: col('lng'), lat: col('lat'), people: col('people') };
  if (at.lng < 0 || at.lat < 0) return { places: [], errors: [{ row: 1, column: 'lng/lat', problem: 'columns' }] };
  const places: (PlanPlace & { people: number })[] = [];
  for (const [i, r] of rows.slice(1).entries()) {
    const row = i + 2;
    const lng = Number(r[at.lng]);
    const lat = Number(r[at.lat]);
    const people = at.people >= 0 && (r[at.people] ?? '') !== '' ? Number(r[at.people]) : 0;
    if (!(r[at.lng] !== '' && Number.isFinite(lng) && lng >= -180 && lng <= 180)) {
      errors.push({ row, column: head[at.lng], problem: 'lng' });
      continue;
    }
    if (!(r[at.lat] !== '' && Number.isFinite(lat) && lat >= -90 && lat <= 90)) {
      errors.push({ row, column: head[at.lat], problem: 'lat' });
      continue;
    }
    if (!(Number.isInteger(people) && people >= 0 && people <= 100_000_000)) {
      errors.push({ row, column: head[at.people], problem: 'people' });
      continue;
    }
    const name = at.name >= 0 ? r[at.name] : '';
    places.push({
      id: `p${firstId + places.length}`,
      name: name || undefined,
      location: { type: 'Point', coordinates: [lng, lat] },
      people,
    });
  }
  return { places, errors };
}

// ---- the first sheet of an .xlsx, read in the browser (a zip of XML; no library) ----

interface ZipEntry {
  name: string;
  method: number;
  offset: number;
  size: number;
}

function zipEntries(buf: Uint8Array): ZipEntry[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (dv.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw new Error('not a zip');
  const count = dv.getUint16(end + 10, true);
  let p = dv.getUint32(end + 16, true);
  const out: ZipEntry[] = [];
  const dec = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new Error('bad zip directory');
    const method = dv.getUint16(p + 10, true);
    const size = dv.getUint32(p + 20, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = dec.decode(buf.subarray(p + 46, p + 46 + nameLen));
    const lNameLen = dv.getUint16(local + 26, true);
    const lExtraLen = dv.getUint16(local + 28, true);
    out.push({ name, method, size, offset: local + 30 + lNameLen + lExtraLen });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

async function entryText(buf: Uint8Array, e: ZipEntry): Promise<string> {
  const raw = buf.slice(e.offset, e.offset + e.size);
  if (e.method === 0) return new TextDecoder().decode(raw);
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

/** The column index of a cell reference (`C7` → 2). */
export function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The first worksheet of an .xlsx as rows of cell texts (shared and inline strings, numbers as written). */
export async function xlsxRows(data: ArrayBuffer): Promise<string[][]> {
  const buf = new Uint8Array(data);
  const entries = zipEntries(buf);
  const find = (re: RegExp) => entries.find((e) => re.test(e.name));
  const sheetEntry = find(/^xl\/worksheets\/sheet1\.xml$/) ?? find(/^xl\/worksheets\/[^/]+\.xml$/);
  if (!sheetEntry) throw new Error('no worksheet');
  const sharedEntry = find(/^xl\/sharedStrings\.xml$/);
  const shared: string[] = [];
  if (sharedEntry) {
    const xml = await entryText(buf, sharedEntry);
    for (const si of xml.matchAll(/<si>([\s\S]*?)<\/si>/g))
      shared.push(unescapeXml([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('')));
  }
  const xml = await entryText(buf, sheetEntry);
  const rows: string[][] = [];
  for (const r of xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const row: string[] = [];
    for (const c of r[1].matchAll(/<c\s([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1];
      const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1];
      const type = /t="(\w+)"/.exec(attrs)?.[1];
      const body = c[2] ?? '';
      let text = '';
      if (type === 'inlineStr') text = [...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join('');
      else {
        const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '';
        text = type === 's' ? (shared[Number(v)] ?? '') : v;
      }
      const idx = ref ? columnIndex(ref) : row.length;
      while (row.length < idx) row.push('');
      row[idx] = unescapeXml(text).trim();
    }
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x !== ''));
}

// ---- gaps ----

export interface GapChartData {
  districts: { code: string; name: string }[];
  held: number[];
  gap: number[];
  required: number[];
}

/** One item's gap by district (tiers summed): what is held (up to what is required) and what is missing. */
export function gapChartData(lines: GapLine[], itemCode: string): GapChartData {
  const by = new Map<string, { name: string; required: number; held: number; gap: number }>();
  for (const l of lines) {
    if (l.itemCode !== itemCode) continue;
    const d = by.get(l.districtCode) ?? { name: l.districtName, required: 0, held: 0, gap: 0 };
    d.required += l.required;
    d.held += l.stock + l.committed;
    d.gap += l.gap;
    by.set(l.districtCode, d);
  }
  const codes = [...by.keys()].sort((a, b) => (by.get(b)?.gap ?? 0) - (by.get(a)?.gap ?? 0) || a.localeCompare(b));
  return {
    districts: codes.map((c) => ({ code: c, name: by.get(c)?.name ?? c })),
    held: codes.map((c) => by.get(c)?.held ?? 0),
    gap: codes.map((c) => by.get(c)?.gap ?? 0),
    required: codes.map((c) => by.get(c)?.required ?? 0),
  };
}

/** The items of the gap lines, those short the most (in share of what is required) first. */
export function gapItems(lines: GapLine[]): { code: string; name: string; unit: string; gap: number }[] {
  const by = new Map<string, { code: string; name: string; unit: string; gap: number; required: number }>();
  for (const l of lines) {
    const x = by.get(l.itemCode) ?? { code: l.itemCode, name: l.itemName, unit: l.unit, gap: 0, required: 0 };
    x.gap += l.gap;
    x.required += l.required;
    by.set(l.itemCode, x);
  }
  const share = (x: { gap: number; required: number }) => (x.required ? x.gap / x.required : 0);
  return [...by.values()].sort((a, b) => share(b) - share(a) || a.code.localeCompare(b.code));
}

// ---- the dispatch board ----

export const BOARD_COLUMNS: readonly OrderState[] = ['planned', 'loaded', 'en_route', 'delivered', 'cancelled'];

/** Orders in the board's columns: late ones first, then by the planned departure. */
export function boardColumns(orders: DispatchOrder[]): Record<OrderState, DispatchOrder[]> {
  const cols = Object.fromEntries(BOARD_COLUMNS.map((s) => [s, [] as DispatchOrder[]])) as Record<
    OrderState,
    DispatchOrder[]
  >;
  for (const o of orders) cols[o.state].push(o);
  for (const s of BOARD_COLUMNS)
    cols[s].sort(
      (a, b) =>
        Number(b.late) - Number(a.late) ||
        a.plannedDepartAt.localeCompare(b.plannedDepartAt) ||
        a.number.localeCompare(b.number),
    );
  return cols;
}
