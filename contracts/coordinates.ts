/**
 * Coordinates as people type them (decimal degrees or degrees-minutes-seconds, in Chinese or Latin notation) and the
 * datums they come in: WGS-84 (GPS), CGCS2000 (the national system: within a metre of WGS-84, treated as the same at
 * the scale of an incident) and GCJ-02 (Chinese web maps, shifted by hundreds of metres: converted).
 */
import gcoord from 'gcoord';
import { type Static, Type as T } from 'typebox';

export const ENTRY_DATUMS = ['wgs84', 'cgcs2000', 'gcj02'] as const;
export type EntryDatum = (typeof ENTRY_DATUMS)[number];
export const DATUM_INFO: Record<EntryDatum, { zh: string; en: string }> = {
  wgs84: { zh: 'WGS-84（GPS）', en: 'WGS-84 (GPS)' },
  cgcs2000: { zh: 'CGCS2000（国家大地坐标系）', en: 'CGCS2000 (national datum)' },
  gcj02: { zh: 'GCJ-02（国内网络地图）', en: 'GCJ-02 (Chinese web maps)' },
};

/** Coordinates as entered: the datum they were given in and the numbers as given (longitude, latitude). */
export const LocationEntered = T.Object({
  datum: T.Enum(ENTRY_DATUMS),
  coordinates: T.Tuple([T.Number({ minimum: -180, maximum: 180 }), T.Number({ minimum: -90, maximum: 90 })]),
});
export type LocationEntered = Static<typeof LocationEntered>;

/** A point given in a datum, in WGS-84 (what Anlan stores and draws), rounded to 7 decimals (about a centimetre). */
export function toWgs84(datum: EntryDatum, lng: number, lat: number): [number, number] {
  const r7 = (n: number) => Math.round(n * 1e7) / 1e7;
  if (datum !== 'gcj02') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [r7(x), r7(y)];
}

export type ParsedCoordinates = { ok: true; lng: number; lat: number } | { ok: false; reason: 'format' | 'range' };

interface Part {
  nums: number[];
  /** 0 degrees, 1 minutes, 2 seconds, for each number; undefined when unmarked */
  marks: (number | undefined)[];
  hemi?: string;
}

const MARK: Record<string, number> = { '°': 0, "'": 1, '"': 2 };

function normalise(text: string): string {
  return text
    .replace(/东经/g, 'E')
    .replace(/西经/g, 'W')
    .replace(/北纬/g, 'N')
    .replace(/南纬/g, 'S')
    .replace(/[度]/g, '°')
    .replace(/[分′’‘]/g, "'")
    .replace(/[秒″”“]/g, '"')
    .replace(/''/g, '"')
    .replace(/[，；、]/g, ',')
    .replace(/[dD](?=\s*\d|\s*$|\s*[NSEWnsew,])/g, '°')
    .toUpperCase();
}

function degreesOf(p: Part): number | undefined {
  const [d, m = 0, s = 0] = p.nums;
  if (p.nums.length > 3 || d === undefined) return undefined;
  if (p.nums.length > 1 && (Math.abs(d) % 1 !== 0 || m < 0 || m >= 60 || s < 0 || s >= 60)) return undefined;
  if (p.nums.length > 2 && m % 1 !== 0) return undefined;
  const v = Math.abs(d) + m / 60 + s / 3600;
  const negative = d < 0 || Object.is(d, -0) || p.hemi === 'S' || p.hemi === 'W';
  return negative ? -v : v;
}

/**
 * Reads "122.1234, 37.5012", "37.5012 122.1234", "122°07′24.5″E 37°30′04″N", "N37 30 4.4 E122 7 24.5",
 * "东经122度7分24.5秒 北纬37度30分4秒" and the like. With N/S/E/W the letters say which is which; without them a
 * value above 90 is the longitude, else the order is longitude, latitude (as GeoJSON and Anlan's fields).
 */
export function parseCoordinates(text: string): ParsedCoordinates {
  const s = normalise(text.trim());
  if (!s) return { ok: false, reason: 'format' };
  if (/[^0-9.\-+°'",;\sNSEW]/.test(s)) return { ok: false, reason: 'format' };
  const parts: Part[] = [];
  let cur: Part = { nums: [], marks: [] };
  const flush = () => {
    if (cur.nums.length || cur.hemi) parts.push(cur);
    cur = { nums: [], marks: [] };
  };
  const tokens = s.match(/[-+]?\d+(?:\.\d+)?|[°'"]|[NSEW]|[,;]/g) ?? [];
  for (const tok of tokens) {
    if (tok === ',' || tok === ';') flush();
    else if (tok in MARK) {
      const i = cur.nums.length - 1;
      if (i < 0) return { ok: false, reason: 'format' };
      // a second "degrees" starts the other coordinate: 122°07'24" 37°30'
      if (MARK[tok] === 0 && i > 0) {
        const n = cur.nums.pop()!;
        cur.marks.pop();
        flush();
        cur.nums.push(n);
        cur.marks.push(0);
      } else cur.marks[i] = MARK[tok];
    } else if (/^[NSEW]$/.test(tok)) {
      if (!cur.nums.length) cur.hemi = tok;
      else if (!cur.hemi) {
        cur.hemi = tok;
        flush();
      } else {
        flush();
        cur.hemi = tok;
      }
    } else {
      const last = cur.marks[cur.marks.length - 1];
      // after seconds, or after a complete d-m-s, a number begins the other coordinate
      if (cur.nums.length === 3 || last === 2) flush();
      cur.nums.push(Number(tok));
      cur.marks.push(undefined);
    }
  }
  flush();
  // one run of unmarked numbers: "122.1 37.5" (two decimals), "122 7 24.5 37 30 4" (two d-m-s)
  if (parts.length === 1 && !parts[0].hemi && parts[0].marks.every((m) => m === undefined)) {
    const n = parts[0].nums;
    if (n.length === 2 || n.length === 4 || n.length === 6) {
      const h = n.length / 2;
      parts.splice(0, 1, { nums: n.slice(0, h), marks: [] }, { nums: n.slice(h), marks: [] });
    }
  }
  if (parts.length !== 2) return { ok: false, reason: 'format' };
  const values = parts.map(degreesOf);
  if (values.some((v) => v === undefined || !Number.isFinite(v))) return { ok: false, reason: 'format' };
  const [a, b] = values as number[];
  const axis = (p: Part) =>
    p.hemi === 'N' || p.hemi === 'S' ? 'lat' : p.hemi === 'E' || p.hemi === 'W' ? 'lng' : null;
  const [ax, bx] = parts.map(axis);
  let lng: number;
  let lat: number;
  if (ax === 'lat' || bx === 'lng') [lat, lng] = [a, b];
  else if (ax === 'lng' || bx === 'lat') [lng, lat] = [a, b];
  else if (Math.abs(a) <= 90 && Math.abs(b) > 90) [lat, lng] = [a, b];
  else [lng, lat] = [a, b];
  if (ax && ax === bx) return { ok: false, reason: 'format' };
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return { ok: false, reason: 'range' };
  return { ok: true, lng, lat };
}

/** 122°07′24.5″E: degrees, minutes and seconds to a tenth, with the hemisphere. */
export function formatDms(value: number, axis: 'lng' | 'lat'): string {
  const hemi = axis === 'lat' ? (value < 0 ? 'S' : 'N') : value < 0 ? 'W' : 'E';
  let total = Math.round(Math.abs(value) * 36000);
  const tenths = total % 600;
  total = (total - tenths) / 600;
  const m = total % 60;
  const d = (total - m) / 60;
  return `${d}°${String(m).padStart(2, '0')}′${(tenths / 10).toFixed(1).padStart(4, '0')}″${hemi}`;
}
