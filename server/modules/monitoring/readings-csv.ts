/**
 * Historical readings from CSV, in either layout (the header decides):
 * - long: `ts,metric,value`, one value a line (lines of one ts are gathered into one row, in the file's order);
 * - wide: `ts,<metric>,<metric>…`, one row a time; an empty cell is no value.
 * A bad line is reported with its number and reason and the others are read: the caller decides (an import dry run
 * shows them all; the replay refuses a file with any). Physical ranges are not checked here: ingestion does that,
 * for every path alike.
 */

import { parse } from 'csv-parse/sync';
import { METRICS as METRICS_LIST } from '../../../contracts/monitoring.ts';

/** The standard metrics of issue 10 (the monitoring module's list must stay the same). */
/** the standard metric names (contracts/monitoring.ts) */
export const STANDARD_METRICS = METRICS_LIST;

export interface CsvReadingRow {
  /** the instant, as ISO 8601 in UTC (`…Z`) */
  ts: string;
  values: Record<string, number>;
  /** the line it came from (the first line of its ts in the long layout) */
  line: number;
}

export interface CsvReadingError {
  line: number;
  reason: string;
}

const METRIC_SET = new Set<string>(STANDARD_METRICS);

export function parseReadingsCsv(text: string): { rows: CsvReadingRow[]; errors: CsvReadingError[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ line, reason: `not readable as CSV: ${(err as Error).message}` }] };
  }
  if (records.length === 0) return { rows: [], errors: [{ line: 1, reason: 'the file is empty' }] };
  const header = records[0].record.map((h) => h.toLowerCase());
  const headerLine = records[0].info.lines;
  const body = records.slice(1);
  if (header[0] !== 'ts') {
    return {
      rows: [],
      errors: [{ line: headerLine, reason: `the first column must be "ts", found "${records[0].record[0] ?? ''}"` }],
    };
  }
  if (header.length === 3 && header[1] === 'metric' && header[2] === 'value') return readLong(body);
  return readWide(header, headerLine, body);
}

function readLong(body: { record: string[]; info: { lines: number } }[]) {
  const errors: CsvReadingError[] = [];
  const byTs = new Map<string, CsvReadingRow>();
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== 3) {
      errors.push({ line, reason: `expected 3 columns (ts, metric, value), found ${record.length}` });
      continue;
    }
    const [rawTs, metric, rawValue] = record;
    const ts = readTs(rawTs);
    if (typeof ts !== 'string') {
      errors.push({ line, reason: ts.error });
      continue;
    }
    if (!METRIC_SET.has(metric)) {
      errors.push({ line, reason: unknownMetric(metric) });
      continue;
    }
    const value = readNumber(rawValue);
    if (value === undefined) {
      errors.push({ line, reason: `value of ${metric} is not a number: "${rawValue}"` });
      continue;
    }
    const row = byTs.get(ts) ?? { ts, values: {}, line };
    if (Object.hasOwn(row.values, metric)) {
      errors.push({ line, reason: `${metric} at ${ts} appears again (first on line ${row.line})` });
      continue;
    }
    row.values[metric] = value;
    byTs.set(ts, row);
  }
  return { rows: [...byTs.values()], errors };
}

function readWide(header: string[], headerLine: number, body: { record: string[]; info: { lines: number } }[]) {
  const errors: CsvReadingError[] = [];
  const columns = header.slice(1);
  const bad = columns.filter((m) => !METRIC_SET.has(m));
  const dup = columns.filter((m, i) => columns.indexOf(m) !== i);
  if (columns.length === 0) errors.push({ line: headerLine, reason: 'no metric column after "ts"' });
  for (const m of bad) errors.push({ line: headerLine, reason: `column ${unknownMetric(m)}` });
  for (const m of new Set(dup)) errors.push({ line: headerLine, reason: `column ${m} appears twice` });
  if (errors.length) return { rows: [], errors };
  const rows: CsvReadingRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length !== header.length) {
      errors.push({ line, reason: `expected ${header.length} columns as in the header, found ${record.length}` });
      continue;
    }
    const ts = readTs(record[0]);
    if (typeof ts !== 'string') {
      errors.push({ line, reason: ts.error });
      continue;
    }
    const first = seen.get(ts);
    if (first !== undefined) {
      errors.push({ line, reason: `${ts} appears again (first on line ${first})` });
      continue;
    }
    const values: Record<string, number> = {};
    const problems: string[] = [];
    columns.forEach((metric, i) => {
      const cell = record[i + 1];
      if (cell === '') return;
      const value = readNumber(cell);
      if (value === undefined) problems.push(`value of ${metric} is not a number: "${cell}"`);
      else values[metric] = value;
    });
    if (problems.length) {
      errors.push({ line, reason: problems.join('; ') });
      continue;
    }
    if (Object.keys(values).length === 0) {
      errors.push({ line, reason: 'no value in any metric column' });
      continue;
    }
    seen.set(ts, line);
    rows.push({ ts, values, line });
  }
  return { rows, errors };
}

function unknownMetric(m: string): string {
  return `"${m}" is not a standard metric (${STANDARD_METRICS.join(', ')})`;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function readNumber(cell: string): number | undefined {
  if (!NUMBER.test(cell)) return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 date-time with its UTC offset, as ISO in UTC; or why not. */
export function readTs(raw: string): string | { error: string } {
  const m = ISO.exec(raw);
  if (!m) return { error: `ts is not an ISO 8601 date-time: "${raw}"` };
  const [, y, mo, d, h, mi, s = '00', , offset] = m;
  if (!offset) {
    return { error: `ts has no UTC offset: "${raw}" (add Z for UTC or e.g. +08:00: the file's time zone is unknown)` };
  }
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  const oh = Number(offset.slice(1, 3));
  const om = Number(offset.slice(-2));
  if (
    Number(mo) < 1 ||
    Number(mo) > 12 ||
    Number(d) < 1 ||
    Number(d) > daysInMonth ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59 ||
    (offset.toUpperCase() !== 'Z' && (oh > 14 || om > 59))
  ) {
    return { error: `ts is not a real date-time: "${raw}"` };
  }
  const t = Date.parse(raw.replace(' ', 'T').toUpperCase());
  if (Number.isNaN(t)) return { error: `ts is not an ISO 8601 date-time: "${raw}"` };
  return new Date(t).toISOString();
}
