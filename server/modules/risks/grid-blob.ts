/**
 * The stored grid, packed: one byte string for every cell of the city (~87,000 at resolution 9), written in one row
 * and read back whole into typed arrays. Layout (little-endian): u32 header length, the header as JSON (resolution,
 * count, district codes), padding to 8, then per column n values: h3 as u64, H, E, V, score, population, raw hazard,
 * raw exposure, vulnerable, shelter as f64, the district's index (u16, 0xffff none) and the class (u8).
 */
import { cellToLatLng } from 'h3-js';
import { RISK_CLASSES, type RiskClass } from '../../../contracts/risks.ts';
import type { GridOutput } from './grid.ts';

const F64 = ['h', 'e', 'v', 'score', 'population', 'rawHazard', 'rawExposure', 'vulnerable', 'shelter'] as const;
type F64Col = (typeof F64)[number];

export interface StoredGrid {
  resolution: number;
  n: number;
  h3: string[];
  districts: string[];
  /** index into `districts`, 0xffff when none */
  district: Uint16Array;
  cls: Uint8Array;
  cols: Record<F64Col, Float64Array>;
  /** cell centres */
  lon: Float64Array;
  lat: Float64Array;
  index: Map<string, number>;
}

const pad8 = (x: number) => (x + 7) & ~7;

export function packGrid(out: GridOutput, round: (x: number) => number): Uint8Array {
  const n = out.h3.length;
  const districts = [...new Set(out.district.filter((d): d is string => !!d))].sort();
  const header = new TextEncoder().encode(JSON.stringify({ resolution: out.resolution, n, districts }));
  const start = pad8(4 + header.length);
  const size = start + n * 8 + F64.length * n * 8 + pad8(n * 2) + pad8(n);
  const buf = new ArrayBuffer(size);
  const view = new DataView(buf);
  view.setUint32(0, header.length, true);
  new Uint8Array(buf, 4, header.length).set(header);
  let at = start;
  const ids = new BigUint64Array(buf, at, n);
  for (let i = 0; i < n; i++) ids[i] = BigInt(`0x${out.h3[i]}`);
  at += n * 8;
  for (const c of F64) {
    const col = new Float64Array(buf, at, n);
    const src = out[c];
    for (let i = 0; i < n; i++) col[i] = round(src[i]);
    at += n * 8;
  }
  const d = new Uint16Array(buf, at, n);
  const di = new Map(districts.map((x, i) => [x, i]));
  for (let i = 0; i < n; i++) d[i] = out.district[i] ? (di.get(out.district[i] as string) ?? 0xffff) : 0xffff;
  at += pad8(n * 2);
  const k = new Uint8Array(buf, at, n);
  for (let i = 0; i < n; i++) k[i] = RISK_CLASSES.indexOf(out.cls[i]);
  return new Uint8Array(buf);
}

export function unpackGrid(bytes: Uint8Array): StoredGrid {
  // a copy aligned at 0: the driver's buffer may start anywhere
  const buf = new Uint8Array(bytes).buffer;
  const view = new DataView(buf);
  const len = view.getUint32(0, true);
  const head = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, len))) as {
    resolution: number;
    n: number;
    districts: string[];
  };
  const n = head.n;
  let at = pad8(4 + len);
  const ids = new BigUint64Array(buf, at, n);
  const h3 = new Array<string>(n);
  for (let i = 0; i < n; i++) h3[i] = ids[i].toString(16).padStart(15, '0');
  at += n * 8;
  const cols = {} as Record<F64Col, Float64Array>;
  for (const c of F64) {
    cols[c] = new Float64Array(buf, at, n);
    at += n * 8;
  }
  const district = new Uint16Array(buf, at, n);
  at += pad8(n * 2);
  const cls = new Uint8Array(buf, at, n);
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const [y, x] = cellToLatLng(h3[i]);
    lon[i] = x;
    lat[i] = y;
    index.set(h3[i], i);
  }
  return { resolution: head.resolution, n, h3, districts: head.districts, district, cls, cols, lon, lat, index };
}

export const classAt = (g: StoredGrid, i: number): RiskClass => RISK_CLASSES[g.cls[i]];
export const districtAt = (g: StoredGrid, i: number): string | null =>
  g.district[i] === 0xffff ? null : g.districts[g.district[i]];
