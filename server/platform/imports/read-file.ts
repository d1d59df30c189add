/**
 * Reading an uploaded file by its content, not its name: an Excel workbook (.xlsx, first sheet), CSV (UTF-8 with
 * or without BOM, UTF-16 with BOM, or GB18030/GBK as Chinese Excel saves it) or a GeoJSON FeatureCollection of
 * Points. The result is a table of raw cells with the row numbers the user sees; a file that cannot be read is a
 * 400 naming the reason.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import type { ImportFormat } from '../../../contracts/imports.ts';
import { AppError } from '../../errors.ts';
import type { Cell } from './columns.ts';
import './imports.errors.ts';
import { loadExcel } from '../excel/load-excel.ts';

export interface RawRow {
  /** the row number as the user sees it: the sheet's row, the CSV record (header = 1), the feature's position */
  row: number;
  cells: Cell[];
  /** GeoJSON: the feature's point ([lng, lat]), null without geometry, or the geometry type it wrongly has */
  geometry?: [number, number] | null | { wrong: string };
}

export interface RawTable {
  format: ImportFormat;
  /** header candidates: the first rows of a sheet (with their row numbers), or GeoJSON's property names */
  heads: { row: number; cells: Cell[] }[];
  /** every non-empty row, including the header candidates (the header match decides where data starts) */
  rows: RawRow[];
}

/** An xlsx holds at most this much once unzipped: beyond it a small upload could blow up into gigabytes. */
const MAX_UNZIPPED = 64 * 1024 * 1024;
/** rows looked at for the header (a title or a blank line may stand above it) */
const HEAD_ROWS = 10;

/** the reason in both languages: the message takes the one of the request */
const bad = (zh: string, en: string) => new AppError('IMPORT_FILE_FORMAT', { field: 'file', zh, en });

export async function readTable(data: Buffer): Promise<RawTable> {
  if (data.length === 0) throw new AppError('IMPORT_FILE_EMPTY', { field: 'file' });
  if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(data);
  if (data.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw bad('旧版 Excel 97-2003（.xls）文件，请另存为 .xlsx', 'an old Excel 97-2003 (.xls) file; save it as .xlsx');
  const text = decodeText(data);
  const first = /\S/.exec(text)?.[0];
  if (first === '{' || first === '[') return readGeoJson(text);
  return readCsv(text);
}

// ── text ─────────────────────────────────────────────────────────────────────

/** UTF-8 (BOM or not), UTF-16 with its BOM, else GB18030 (a superset of GBK and GB2312). */
export function decodeText(data: Buffer): string {
  const strict = (enc: string, bytes: Uint8Array) => new TextDecoder(enc, { fatal: true }).decode(bytes);
  if (data[0] === 0xff && data[1] === 0xfe) return strict('utf-16le', data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return strict('utf-16be', data.subarray(2));
  const head = data.subarray(0, 8192);
  if (head.includes(0)) throw bad('二进制文件，不是表格或文本', 'a binary file, not a sheet or text');
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    try {
      return strict('utf-8', data.subarray(3));
    } catch {
      throw new AppError('IMPORT_FILE_ENCODING', { field: 'file' });
    }
  }
  for (const enc of ['utf-8', 'gb18030']) {
    try {
      return strict(enc, data);
    } catch {
      // the next encoding
    }
  }
  throw new AppError('IMPORT_FILE_ENCODING', { field: 'file' });
}

// ── CSV ──────────────────────────────────────────────────────────────────────

/** The delimiter of the first line (outside quotes): comma, tab (Excel's "Unicode text") or semicolon. */
function delimiterOf(text: string): string {
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 65536)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][1] > 0
    ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0]
    : ',';
}

function readCsv(text: string): RawTable {
  if (text.includes('\u0000')) throw bad('二进制文件，不是表格或文本', 'a binary file, not a sheet or text');
  let records: string[][];
  try {
    // every record kept (empty lines too), so that record n is row n when Excel opens the file
    records = parseCsv(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (err) {
    const e = err as { code?: string; lines?: number };
    const where = e.lines ? `${e.lines}` : '?';
    throw e.code === 'CSV_QUOTE_NOT_CLOSED'
      ? bad(`CSV 第 ${where} 行附近的引号未闭合`, `CSV: a quote opened near line ${where} is never closed`)
      : bad(`CSV 格式错误（第 ${where} 行附近）`, `malformed CSV (near line ${where})`);
  }
  const rows: RawRow[] = [];
  records.forEach((r, i) => {
    const cells = r.map((s) => (s.trim() === '' ? null : s));
    if (cells.some((c) => c !== null)) rows.push({ row: i + 1, cells });
  });
  return { format: 'csv', heads: rows.slice(0, HEAD_ROWS), rows };
}

// ── GeoJSON ──────────────────────────────────────────────────────────────────

function readGeoJson(text: string): RawTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('JSON 格式错误', 'invalid JSON');
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw bad('不是 GeoJSON 要素集合（FeatureCollection）', 'not a GeoJSON FeatureCollection');
  const features = fc.features as unknown[];
  const names: string[] = [];
  const index = new Map<string, number>();
  const props = features.map((f) => {
    const p = (f as { properties?: unknown } | null)?.properties;
    const out = new Map<number, Cell>();
    if (p && typeof p === 'object' && !Array.isArray(p)) {
      for (const [k, v] of Object.entries(p)) {
        if (!index.has(k)) {
          index.set(k, names.length);
          names.push(k);
        }
        const cell: Cell =
          v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? v
            : JSON.stringify(v);
        out.set(index.get(k)!, cell);
      }
    }
    return out;
  });
  const rows: RawRow[] = features.map((f, i) => {
    const cells: Cell[] = names.map((_, j) => props[i].get(j) ?? null);
    return { row: i + 1, cells, geometry: pointOfGeometry((f as { geometry?: unknown } | null)?.geometry) };
  });
  return { format: 'geojson', heads: [{ row: 0, cells: names }], rows };
}

function pointOfGeometry(g: unknown): RawRow['geometry'] {
  if (g === null || g === undefined) return null;
  const geom = g as { type?: unknown; coordinates?: unknown };
  if (geom.type !== 'Point') return { wrong: String(geom.type ?? typeof g) };
  const c = geom.coordinates;
  if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number')
    return { wrong: 'Point without coordinates' };
  return [c[0], c[1]];
}

// ── xlsx ─────────────────────────────────────────────────────────────────────

/**
 * The sum of the sizes the entries declare once unzipped, from the zip's central directory; undefined when the
 * directory cannot be found (a truncated or damaged file).
 */
export function unzippedSize(data: Buffer): number | undefined {
  const min = Math.max(0, data.length - 65_557);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return undefined;
    const size = data.readUInt32LE(at + 24);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY; // zip64: far beyond any sheet we take
    total += size;
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return total;
}

/** exceljs's cell value (rich text, formula, hyperlink, error) as the plain value the user sees. */
function plain(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return plain((v.result ?? null) as ExcelJS.CellValue);
    if ('formula' in v || 'sharedFormula' in v) return null;
    if ('text' in v) return typeof v.text === 'string' ? v.text : plain(v.text as ExcelJS.CellValue);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

async function readXlsx(data: Buffer): Promise<RawTable> {
  const size = unzippedSize(data);
  if (size === undefined) throw bad('Excel 文件不完整或已损坏', 'the Excel file is truncated or damaged');
  if (size > MAX_UNZIPPED)
    throw bad(
      `解压后超过 ${MAX_UNZIPPED >> 20} MB，请分批导入`,
      `larger than ${MAX_UNZIPPED >> 20} MB once unzipped; import in parts`,
    );
  const wb = new (await loadExcel()).Workbook();
  try {
    // Only the cells are read: validations, merges and formats of a crafted file could name millions of cells.
    await wb.xlsx.load(
      data as unknown as ArrayBuffer,
      {
        ignoreNodes: [
          'dataValidations',
          'mergeCells',
          'conditionalFormatting',
          'hyperlinks',
          'autoFilter',
          'rowBreaks',
          'colBreaks',
          'picture',
          'drawing',
          'tableParts',
          'extLst',
        ],
      } as never,
    );
  } catch {
    throw bad(
      '不是可读取的 Excel 工作簿（.xlsx），可能已损坏',
      'not a readable Excel workbook (.xlsx); it may be damaged',
    );
  }
  const ws = wb.worksheets[0];
  if (!ws) throw bad('工作簿中没有工作表', 'the workbook has no sheet');
  const rows: RawRow[] = [];
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    const values = r.values as ExcelJS.CellValue[];
    const cells: Cell[] = [];
    for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
    if (cells.some((c) => c !== null && !(typeof c === 'string' && c.trim() === ''))) rows.push({ row: n, cells });
  });
  return { format: 'xlsx', heads: rows.slice(0, HEAD_ROWS), rows };
}
