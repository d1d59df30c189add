/**
 * Reading a census file into features, by its content: a GeoJSON FeatureCollection (any geometry), a zipped Shapefile
 * (shpjs: .shp + .dbf, reprojected by its .prj), KML (saxes; a DOCTYPE is refused), and CSV (UTF-8/GBK) or xlsx
 * through the platform's table reader, with longitude/latitude columns (lon/lat, lng, x/y, 经度/纬度) or a WKT column.
 * A feature keeps the row number the user sees (sheet row, CSV record, feature position) and its other columns.
 * Nothing here checks the geometry against the kind or the region: that is the import's.
 */

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { parseZip } from 'shpjs';
import type { CensusFormat } from '../../../contracts/risks.ts';
import { AppError } from '../../errors.ts';
import { type Cell, cellText, headerKey } from '../../platform/imports/columns.ts';
import { decodeText, readTable } from '../../platform/imports/read-file.ts';
import type { Geom, Position } from './geometry.ts';
import './risks.errors.ts';

export interface RawFeature {
  /** the row as the user sees it */
  row: number;
  geometry: Geom | null;
  /** the file's columns / properties, as given */
  props: Record<string, unknown>;
  /** a row that could not be made a geometry at all: its code and values */
  problem?: {
    code: 'CENSUS_NO_COORDINATES' | 'CENSUS_BAD_WKT';
    column: string | null;
    values: Record<string, unknown>;
  };
}

export interface ReadCensus {
  format: CensusFormat;
  features: RawFeature[];
}

const bad = (zh: string, en: string) => new AppError('CENSUS_FILE_FORMAT', { field: 'file', reason: { zh, en } });

export async function readCensusFile(data: Buffer): Promise<ReadCensus> {
  if (data.length === 0) throw new AppError('IMPORT_FILE_EMPTY', { field: 'file' });
  if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    // an xlsx is a zip too: its parts list names [Content_Types].xml
    if (data.includes(Buffer.from('[Content_Types].xml'))) return tableOf(data, 'xlsx');
    return { format: 'shapefile', features: await readShapefile(data) };
  }
  if (data.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) return tableOf(data, 'xlsx');
  const text = decodeText(data);
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') return { format: 'geojson', features: readGeoJson(text) };
  if (first === '<') return { format: 'kml', features: readKml(text) };
  return tableOf(data, 'csv');
}

// ── GeoJSON ──────────────────────────────────────────────────────────────────

function featuresOf(doc: unknown): { geometry?: unknown; properties?: unknown }[] | undefined {
  const d = doc as { type?: unknown; features?: unknown } | null;
  if (d && typeof d === 'object' && d.type === 'FeatureCollection' && Array.isArray(d.features))
    return d.features as { geometry?: unknown; properties?: unknown }[];
  if (d && typeof d === 'object' && d.type === 'Feature') return [d as { geometry?: unknown }];
  return undefined;
}

function geomOf(g: unknown): Geom | null {
  if (!g || typeof g !== 'object') return null;
  const x = g as { type?: unknown; coordinates?: unknown };
  return { type: String(x.type ?? ''), coordinates: x.coordinates ?? null };
}

function propsOf(p: unknown): Record<string, unknown> {
  return p && typeof p === 'object' && !Array.isArray(p) ? { ...(p as Record<string, unknown>) } : {};
}

function readGeoJson(text: string): RawFeature[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('JSON 格式错误', 'invalid JSON');
  }
  const fs = featuresOf(doc);
  if (!fs) throw bad('不是 GeoJSON 要素集合（FeatureCollection）', 'not a GeoJSON FeatureCollection');
  return fs.map((f, i) => ({ row: i + 1, geometry: geomOf(f?.geometry), props: propsOf(f?.properties) }));
}

// ── Shapefile ────────────────────────────────────────────────────────────────

async function readShapefile(data: Buffer): Promise<RawFeature[]> {
  let read: Awaited<ReturnType<typeof parseZip>>;
  try {
    read = await parseZip(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch (err) {
    const said = err instanceof Error ? err.message : String(err);
    if (/unzip/i.test(said)) throw bad('不是有效的 zip 文件', 'not a readable zip file');
    if (/no layers/i.test(said)) throw bad('zip 中没有 Shapefile（.shp）', 'no Shapefile (.shp) in the zip');
    throw bad(`Shapefile 无法读取：${said}`, `the Shapefile cannot be read: ${said}`);
  }
  const features = (Array.isArray(read) ? read : [read]).flatMap((c) => c.features);
  return features.map((f, i) => ({ row: i + 1, geometry: geomOf(f.geometry), props: propsOf(f.properties) }));
}

// ── KML ──────────────────────────────────────────────────────────────────────

/** KML coordinates text: "lon,lat[,alt] lon,lat …" */
function kmlPositions(text: string): Position[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => {
      const [x, y] = t.split(',').map(Number);
      return [x, y] as Position;
    });
}

/**
 * Placemarks of a KML document: name, ExtendedData (Data/value and SchemaData/SimpleData) and description as
 * properties; Point, LineString, Polygon (outer and inner rings), MultiGeometry of one class as its Multi* geometry.
 */
export function readKml(text: string): RawFeature[] {
  const out: RawFeature[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let pm: { props: Record<string, unknown>; parts: Geom[] } | null = null;
  let ring: 'outer' | 'inner' | null = null;
  let poly: Position[][] | null = null;
  let dataName: string | null = null;
  let textBuf = '';
  let seenKml = false;
  parser.on('doctype', () => {
    throw new AppError('CENSUS_DOCTYPE', { field: 'file' });
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name.replace(/^.*:/, '');
    stack.push(name);
    textBuf = '';
    if (name === 'kml') seenKml = true;
    if (name === 'Placemark') pm = { props: {}, parts: [] };
    if (!pm) return;
    if (name === 'Polygon') poly = [];
    if (name === 'outerBoundaryIs') ring = 'outer';
    if (name === 'innerBoundaryIs') ring = 'inner';
    if (name === 'Data' || name === 'SimpleData') dataName = String(tag.attributes.name ?? '');
  });
  parser.on('text', (t) => {
    textBuf += t;
  });
  parser.on('cdata', (t) => {
    textBuf += t;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    const name = tag.name.replace(/^.*:/, '');
    stack.pop();
    const parent = stack[stack.length - 1];
    const cur = pm as { props: Record<string, unknown>; parts: Geom[] } | null;
    if (cur) {
      if (name === 'name' && parent === 'Placemark') cur.props.name = textBuf.trim();
      if (name === 'description' && parent === 'Placemark') cur.props.description = textBuf.trim();
      if (name === 'value' && parent === 'Data' && dataName) cur.props[dataName] = textBuf.trim();
      if (name === 'SimpleData' && dataName) cur.props[dataName] = textBuf.trim();
      if (name === 'coordinates') {
        const ps = kmlPositions(textBuf);
        if (parent === 'Point') cur.parts.push({ type: 'Point', coordinates: ps[0] ?? [] });
        else if (parent === 'LineString') cur.parts.push({ type: 'LineString', coordinates: ps });
        else if (parent === 'LinearRing' && poly) {
          if (ring === 'outer') poly.unshift(ps);
          else poly.push(ps);
        }
      }
      if (name === 'Polygon' && poly) {
        cur.parts.push({ type: 'Polygon', coordinates: poly });
        poly = null;
      }
      if (name === 'outerBoundaryIs' || name === 'innerBoundaryIs') ring = null;
      if (name === 'Placemark') {
        out.push({ row: out.length + 1, geometry: joinParts(cur.parts), props: cur.props });
        pm = null;
      }
    }
    textBuf = '';
  });
  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bad(`KML 格式错误：${(err as Error).message}`, `malformed KML: ${(err as Error).message}`);
  }
  if (!seenKml) throw bad('不是 KML 文档', 'not a KML document');
  return out;
}

function joinParts(parts: Geom[]): Geom | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  const type = parts[0].type;
  if (parts.some((p) => p.type !== type)) return { type: 'GeometryCollection', coordinates: [] };
  return { type: `Multi${type}`, coordinates: parts.map((p) => p.coordinates) };
}

// ── CSV / xlsx ───────────────────────────────────────────────────────────────

const LON = new Set(['lon', 'lng', 'long', 'longitude', 'x', '经度', '东经']);
const LAT = new Set(['lat', 'latitude', 'y', '纬度', '北纬']);
const WKT = new Set(['wkt', 'geometry', 'geom', 'the_geom', '几何', '空间位置', '坐标串']);

async function tableOf(data: Buffer, format: 'csv' | 'xlsx'): Promise<ReadCensus> {
  const table = await readTable(data);
  let head: { row: number; cells: Cell[] } | undefined;
  let lon = -1;
  let lat = -1;
  let wkt = -1;
  for (const h of table.heads) {
    const keys = h.cells.map((c) => headerKey(cellText(c)).replace(/\(.*\)|（.*）/g, ''));
    const i = keys.findIndex((k) => LON.has(k));
    const j = keys.findIndex((k) => LAT.has(k));
    const w = keys.findIndex((k) => WKT.has(k));
    if ((i >= 0 && j >= 0) || w >= 0) {
      head = h;
      lon = i >= 0 && j >= 0 ? i : -1;
      lat = i >= 0 && j >= 0 ? j : -1;
      wkt = w;
      break;
    }
  }
  if (!head)
    throw bad(
      '找不到坐标列：表头须有“经度”和“纬度”（或 lon/lat），或 WKT 列',
      'no coordinate columns: the header needs "lon" and "lat" (or 经度/纬度), or a WKT column',
    );
  const names = head.cells.map((c) => cellText(c).trim());
  const start = head.row;
  const features: RawFeature[] = table.rows
    .filter((r) => r.row > start)
    .map((r) => {
      const props: Record<string, unknown> = {};
      names.forEach((n, k) => {
        if (!n || k === lon || k === lat || k === wkt) return;
        const v = r.cells[k];
        if (v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === ''))
          props[n] = v instanceof Date ? v.toISOString() : v;
      });
      const wktText = wkt >= 0 ? cellText(r.cells[wkt] ?? null).trim() : '';
      if (wktText) {
        const g = parseWkt(wktText);
        if (!g)
          return {
            row: r.row,
            geometry: null,
            props,
            problem: { code: 'CENSUS_BAD_WKT' as const, column: names[wkt], values: { value: wktText.slice(0, 60) } },
          };
        return { row: r.row, geometry: g, props };
      }
      const x = lon >= 0 ? Number(cellText(r.cells[lon] ?? null).trim() || Number.NaN) : Number.NaN;
      const y = lat >= 0 ? Number(cellText(r.cells[lat] ?? null).trim() || Number.NaN) : Number.NaN;
      if (!Number.isFinite(x) || !Number.isFinite(y))
        return {
          row: r.row,
          geometry: null,
          props,
          problem: {
            code: 'CENSUS_NO_COORDINATES' as const,
            column: lon >= 0 ? `${names[lon]}/${names[lat]}` : null,
            values: {},
          },
        };
      return { row: r.row, geometry: { type: 'Point', coordinates: [x, y] }, props };
    });
  return { format, features };
}

// ── WKT ──────────────────────────────────────────────────────────────────────

/** Well-known text (2D; Z/M ordinates dropped; an SRID=…; prefix ignored) as GeoJSON; null when it cannot be read. */
export function parseWkt(text: string): Geom | null {
  const s = text.replace(/^SRID=\d+;/i, '').trim();
  const m =
    /^(MULTIPOLYGON|MULTILINESTRING|MULTIPOINT|POLYGON|LINESTRING|POINT)\s*(?:ZM|Z|M)?\s*(\(.*\)|EMPTY)$/is.exec(s);
  if (!m) return null;
  const type = m[1].toUpperCase();
  const body = m[2];
  const names: Record<string, string> = {
    POINT: 'Point',
    LINESTRING: 'LineString',
    POLYGON: 'Polygon',
    MULTIPOINT: 'MultiPoint',
    MULTILINESTRING: 'MultiLineString',
    MULTIPOLYGON: 'MultiPolygon',
  };
  if (/^EMPTY$/i.test(body)) return { type: names[type], coordinates: [] };
  // nested parentheses → nested arrays of "x y" tuples
  let i = 0;
  const parseList = (): unknown[] | null => {
    if (body[i] !== '(') return null;
    i++;
    const items: unknown[] = [];
    let token = '';
    const flush = () => {
      const t = token.trim();
      token = '';
      if (!t) return true;
      const nums = t.split(/\s+/).map(Number);
      if (nums.length < 2 || nums.some((n) => !Number.isFinite(n))) return false;
      items.push([nums[0], nums[1]]);
      return true;
    };
    while (i < body.length) {
      const c = body[i];
      if (c === '(') {
        const inner = parseList();
        if (!inner) return null;
        items.push(inner);
        continue;
      }
      if (c === ')') {
        if (!flush()) return null;
        i++;
        return items;
      }
      if (c === ',') {
        if (!flush()) return null;
        i++;
        continue;
      }
      token += c;
      i++;
    }
    return null;
  };
  const list = parseList();
  if (!list || i !== body.length) return null;
  // MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)) are both written
  const unwrapPoints = (xs: unknown[]) => xs.map((x) => (Array.isArray(x) && Array.isArray(x[0]) ? x[0] : x));
  switch (type) {
    case 'POINT':
      return list.length === 1 ? { type: 'Point', coordinates: list[0] } : null;
    case 'MULTIPOINT':
      return { type: 'MultiPoint', coordinates: unwrapPoints(list) };
    default:
      return { type: names[type], coordinates: list };
  }
}
