/**
 * The columns of an import: what a registry declares once (key, headers, required, kind with its limits, rule), and
 * how one cell of a file becomes a typed value or a row error. The template, the header match and the report all
 * read the same declaration.
 */
import type { Datum } from '../../../contracts/geo.ts';
import type { ErrorCode, Lang } from '../../errors.ts';

/** A cell as a reader hands it over: text, a number, an Excel date cell, a boolean, or empty. */
export type Cell = string | number | boolean | Date | null;

export interface Option {
  value: string;
  zh: string;
  en: string;
}

interface Base {
  /** the service-side name; also accepted as a header */
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  /** the path in the service's input this column fills (`casualties.deaths`): the service's errors come back to it */
  field?: string;
  /** an extra sentence for the rule (the template's notes and rules sheet) */
  noteZh?: string;
  noteEn?: string;
  /** no two rows of one file may carry the same value (a station code): the dry run names the repeat */
  unique?: boolean;
  /** the template's example row */
  example?: string | number;
  width?: number;
}

export type ImportColumn = Base &
  (
    | { kind: 'text'; max: number }
    | { kind: 'integer'; min: number; max: number }
    | { kind: 'number'; min: number; max: number; decimals?: number }
    /** Beijing time unless the text carries an offset; Excel date cells are Beijing wall time */
    | { kind: 'datetime' }
    | { kind: 'enum'; options: readonly Option[] }
    | { kind: 'phone' }
    /** one half of a point: `point` names the pair (lon + lat) and the value the row gets */
    | { kind: 'lon' | 'lat'; point: string }
  );

/** A row error before it is put in the user's language: a code and the values of its message. */
export interface CellProblem {
  code: ErrorCode;
  values?: Record<string, unknown>;
}

const BEIJING_MS = 8 * 3600_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Full-width digits and letters (ＡＢＣ１２３), ideographic spaces: what Chinese input methods produce. */
function norm(s: string): string {
  return s.normalize('NFKC').trim();
}

/** The text a user sees in a cell. */
export function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : wallText(c);
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(Number(c.toPrecision(15)));
  return String(c);
}

/** An Excel date cell (wall time stored as if UTC) as `2026-07-01 08:30`. */
function wallText(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function isEmpty(c: Cell): boolean {
  return c === null || (typeof c === 'string' && c.trim() === '');
}

/** Text from a file as a report or an audit row may carry it: control characters (NUL above all) made visible. */
export function printable(s: string, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  const p = s.replace(/[\u0000-\u001F\u007F]/g, '\uFFFD');
  return p.length > max ? `${p.slice(0, max)}…` : p;
}

function show(c: Cell): string {
  return printable(cellText(c), 40);
}

function parseNumber(c: Cell): number | undefined {
  if (typeof c === 'number') return Number.isFinite(c) ? c : undefined;
  if (typeof c !== 'string') return undefined;
  let s = norm(c).replace(/\s+/g, '');
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

const WALL =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;
/** Excel's day 0 (1899-12-30) in ms; serial day numbers count from it */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A date-time cell as an ISO instant: an offset in the text is kept, everything else is Beijing time. */
export function parseDateTime(c: Cell): string | undefined {
  if (c instanceof Date) {
    return Number.isNaN(c.getTime()) ? undefined : new Date(c.getTime() - BEIJING_MS).toISOString();
  }
  if (typeof c === 'number') {
    // a date typed into a cell without a date format: Excel's serial day number, Beijing wall time
    if (!(c > 1 && c < 2_958_466)) return undefined;
    return new Date(EXCEL_EPOCH + Math.round(c * 86_400_000) - BEIJING_MS).toISOString();
  }
  if (typeof c !== 'string') return undefined;
  const s = norm(c);
  if (WITH_OFFSET.test(s)) {
    const d = new Date(s.replace(' ', 'T').replace(/\s+/g, ''));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const m = WALL.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  const ms = Date.UTC(y!, mo! - 1, d!, h, mi, sec);
  const back = new Date(ms);
  // 2026-02-30 or 25:00 would roll over into another day: refused rather than guessed
  if (
    back.getUTCMonth() !== mo! - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi
  )
    return undefined;
  return new Date(ms - BEIJING_MS).toISOString();
}

function matchOption(options: readonly Option[], c: Cell): string | undefined {
  const s = norm(cellText(c));
  const lower = s.toLowerCase();
  for (const o of options) if (o.value.toLowerCase() === lower) return o.value;
  // "12H02 道路交通事故" (what the template's list offers), or the name alone
  const head = lower.split(/\s+/)[0];
  for (const o of options) if (o.value.toLowerCase() === head) return o.value;
  const byName = options.filter((o) => o.zh === s || o.en.toLowerCase() === lower);
  return byName.length === 1 ? byName[0].value : undefined;
}

/** A phone number as people write it: mobiles, landlines with area code and extension, hotlines. */
function parsePhone(c: Cell): string | undefined {
  const s = norm(cellText(c));
  if (!/^\+?[\d\s\-()（）]+((转|ext\.?|x)\s*\d{1,6})?$/i.test(s)) return undefined;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 3 && digits <= 20 ? s : undefined;
}

/**
 * One cell as its column's value: a string, a number, an ISO date-time, or null for an empty optional cell.
 * Coordinates are parsed here; the pair is put together (and converted from GCJ-02) by `pointOf`.
 */
export function parseCell(col: ImportColumn, c: Cell): { value: unknown } | { problem: CellProblem } {
  if (isEmpty(c)) return col.required ? { problem: { code: 'IMPORT_REQUIRED' } } : { value: null };
  const value = show(c);
  switch (col.kind) {
    case 'text': {
      const s = typeof c === 'string' ? c.trim() : cellText(c);
      if (CONTROL.test(s)) return { problem: { code: 'IMPORT_CONTROL_CHARACTER' } };
      const length = [...s].length;
      if (length > col.max) return { problem: { code: 'IMPORT_TOO_LONG', values: { max: col.max, length } } };
      return { value: s };
    }
    case 'integer':
    case 'number':
    case 'lon':
    case 'lat': {
      const n = parseNumber(c);
      if (n === undefined) return { problem: { code: 'IMPORT_NOT_A_NUMBER', values: { value } } };
      if (col.kind === 'integer' && !Number.isInteger(n))
        return { problem: { code: 'IMPORT_NOT_AN_INTEGER', values: { value } } };
      const [min, max] = 'min' in col ? [col.min, col.max] : col.kind === 'lon' ? [-180, 180] : [-90, 90];
      if (n < min || n > max) {
        const values = { value, min: min.toLocaleString('en'), max: max.toLocaleString('en') };
        return { problem: { code: 'IMPORT_OUT_OF_RANGE', values } };
      }
      return { value: col.kind === 'number' && col.decimals !== undefined ? Number(n.toFixed(col.decimals)) : n };
    }
    case 'datetime': {
      const iso = parseDateTime(c);
      return iso ? { value: iso } : { problem: { code: 'IMPORT_NOT_A_DATE', values: { value } } };
    }
    case 'enum': {
      const v = matchOption(col.options, c);
      return v ? { value: v } : { problem: { code: 'IMPORT_NOT_IN_LIST', values: { value } } };
    }
    case 'phone': {
      const p = parsePhone(c);
      return p ? { value: p } : { problem: { code: 'IMPORT_BAD_PHONE', values: { value } } };
    }
  }
}

export function headerOf(col: ImportColumn, lang: Lang): string {
  return lang === 'zh' ? col.zh : col.en;
}

/** How a header cell compares: full-width forms folded, case and spaces ignored, a trailing `*` (required) dropped. */
export function headerKey(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[*]+\s*$/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

function range(min: number, max: number): string {
  return `${min.toLocaleString('en')}–${max.toLocaleString('en')}`;
}

/** The column's rule as the template states it. */
export function ruleOf(col: ImportColumn, lang: Lang, datum: Datum = 'wgs84'): string {
  const zh = lang === 'zh';
  const parts: string[] = [col.required ? (zh ? '必填' : 'Required') : zh ? '选填' : 'Optional'];
  switch (col.kind) {
    case 'text':
      parts.push(zh ? `文本，最多 ${col.max} 字` : `text, at most ${col.max} characters`);
      break;
    case 'integer':
      parts.push(zh ? `整数，${range(col.min, col.max)}` : `whole number, ${range(col.min, col.max)}`);
      break;
    case 'number': {
      const dec =
        col.decimals !== undefined ? (zh ? `，最多 ${col.decimals} 位小数` : `, ${col.decimals} decimals`) : '';
      parts.push(zh ? `数字，${range(col.min, col.max)}${dec}` : `number, ${range(col.min, col.max)}${dec}`);
      break;
    }
    case 'datetime':
      parts.push(
        zh
          ? '日期时间，如 2026-07-01 08:30（北京时间；带时区的 ISO 8601 亦可，如 2026-07-01T00:30:00Z）'
          : 'date-time, e.g. 2026-07-01 08:30 (Beijing time; ISO 8601 with an offset also works, e.g. 2026-07-01T00:30:00Z)',
      );
      break;
    case 'enum':
      parts.push(
        zh
          ? `从下拉列表选择，或填写代码或名称（共 ${col.options.length} 项，见“可选值”表）`
          : `pick from the list, or write the code or the name (${col.options.length} values, see the "Values" sheet)`,
      );
      break;
    case 'phone':
      parts.push(zh ? '电话，如 13812345678、0631-5212345' : 'phone, e.g. 13812345678, 0631-5212345');
      break;
    case 'lon':
    case 'lat': {
      const what = col.kind === 'lon' ? (zh ? '经度' : 'longitude') : zh ? '纬度' : 'latitude';
      const lim = col.kind === 'lon' ? '-180–180' : '-90–90';
      const d = datum === 'gcj02' ? 'GCJ-02' : 'WGS-84';
      parts.push(
        zh
          ? `${what}，十进制度 ${lim}，${d}（默认 WGS-84，即 GPS；从国内网络地图取得的 GCJ-02 坐标在导入时选择 GCJ-02）；经纬度须同时填写`
          : `${what}, decimal degrees ${lim}, ${d} (default WGS-84, i.e. GPS; choose GCJ-02 on import for coordinates from Chinese web maps); fill both or neither`,
      );
      break;
    }
  }
  if (col.unique) parts.push(zh ? '同一文件内不得重复' : 'no two rows of a file may repeat it');
  const note = zh ? col.noteZh : col.noteEn;
  if (note) parts.push(note);
  return parts.join(zh ? '；' : '; ');
}
