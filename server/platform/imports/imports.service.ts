/**
 * The one import contract of every registry. A module declares its import once (`ImportDeclaration`: columns, a
 * mapping from a row to its service's input, the service's own checks and its write); the platform reads the file,
 * matches the header, checks every row the way the commit would (the column rules, the service's input schema, the
 * service's own rules), and commits all rows in one transaction or none, as a job with progress, audited.
 */
import { createHash } from 'node:crypto';
import gcoord from 'gcoord';
import type { Transaction } from 'kysely';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Datum } from '../../../contracts/geo.ts';
import type { ImportFormat, ImportMode, ImportReport, ImportRowError } from '../../../contracts/imports.ts';
import type { Job } from '../../../contracts/jobs.ts';
import { AppError, formatMessage, type Lang } from '../../errors.ts';
import { requirePermission } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.ts';
import type { RequestCtx } from '../core/context.ts';
import type { Database } from '../db/index.ts';
import { fieldOf, reasonOf } from '../http/errors.plugin.ts';
import type { Platform } from '../module.ts';
import {
  type Cell,
  type CellProblem,
  cellText,
  headerKey,
  headerOf,
  type ImportColumn,
  isEmpty,
  parseCell,
  printable,
} from './columns.ts';
import './imports.errors.ts';
import { type RawRow, readTable } from './read-file.ts';

/** What a registry declares to be importable. `Input` is its service's input; `Prepared` what its checks return. */
export interface ImportDeclaration<Input = unknown, Prepared = unknown> {
  /** the URL's registry (`/api/v1/<registry>/import`) and the job's kind (`import.<registry>`) */
  registry: string;
  /** the register's name: the template's sheet and file name */
  zh: string;
  en: string;
  /** the audit rows' entity (`incident` → action `incident.imported`) */
  entity: string;
  /** what the template's rules sheet adds under its instructions (what the import does beyond the columns) */
  noteZh?: string;
  noteEn?: string;
  /** the registry's create permission: needed to import, and to read another user's import job */
  permission: string;
  columns: readonly ImportColumn[];
  /** at most this many data rows per file (default 10,000) */
  maxRows?: number;
  /** a row's values (by column key; a point pair by its point name, `{lng, lat}` in WGS-84, or null) → the input */
  toInput(values: Record<string, unknown>): Input;
  /** the service's input schema (what its route validates): checked before the service's rules */
  schema?: TSchema;
  /** the service's own checks of one row, without writing (the dry run runs exactly these); throws an AppError */
  prepare(ctx: RequestCtx, input: Input, now: Date): Promise<Prepared>;
  /** writes one checked row through the service's rules, inside the import's transaction */
  write(trx: Transaction<Database>, ctx: RequestCtx, prepared: Prepared, now: Date): Promise<unknown>;
  /** after the commit (caches, events out at once) */
  committed?(): void;
}

export type AnyImport = ImportDeclaration<any, any>;

export const DEFAULT_MAX_ROWS = 10_000;
/** the report lists this many errors at most (with the count of all): a file wrong in every cell stays readable */
export const MAX_LISTED_ERRORS = 1000;
/** an upload of at most this many rows is answered when its job is done */
export const SMALL_FILE_ROWS = 200;
/** imports one user may run at once (per instance) */
const MAX_RUNNING_PER_USER = 2;

export interface Upload {
  name: string;
  data: Buffer;
}

/** A file matched to a declaration: which file column feeds which declared column, and the data rows. */
export interface MatchedFile {
  format: ImportFormat;
  file: { name: string; size: number; sha256: string };
  /** declared column key → the header as written in the file */
  headers: Map<string, string>;
  /** declared column key → its index in the rows' cells (GeoJSON: each property name that spells it) */
  index: Map<string, number[]>;
  rows: RawRow[];
}

/** Reads the file and finds its header: a bad file is a 400 naming why, before any job starts. */
export async function readImportFile(decl: AnyImport, upload: Upload, lang: Lang): Promise<MatchedFile> {
  const table = await readTable(upload.data);
  const maxRows = decl.maxRows ?? DEFAULT_MAX_ROWS;
  const isPoint = (c: ImportColumn) => c.kind === 'lon' || c.kind === 'lat';
  const byHeader = new Map<string, ImportColumn>();
  for (const c of decl.columns) for (const h of [c.key, c.zh, c.en]) byHeader.set(headerKey(h), c);

  // GeoJSON's properties are per feature: two names of one column in one file are two spellings, not a clash
  const geometry = table.format === 'geojson';
  let best: { row: number; index: Map<string, number[]>; headers: Map<string, string> } | undefined;
  for (const head of table.heads) {
    const index = new Map<string, number[]>();
    const headers = new Map<string, string>();
    head.cells.forEach((cell, i) => {
      const text = cellText(cell).trim();
      const col = text ? byHeader.get(headerKey(text)) : undefined;
      if (!col) return;
      if (index.has(col.key) && !geometry)
        throw new AppError('IMPORT_FILE_DUPLICATE_COLUMN', { field: 'file', column: text });
      index.set(col.key, [...(index.get(col.key) ?? []), i]);
      if (!headers.has(col.key)) headers.set(col.key, printable(text, 100));
    });
    if (index.size > (best?.index.size ?? 0)) best = { row: head.row, index, headers };
  }
  const missing = decl.columns.filter(
    (c) => (c.required || !best) && !best?.index.has(c.key) && !(geometry && isPoint(c)),
  );
  if (!best || missing.length)
    throw new AppError('IMPORT_FILE_NO_HEADER', {
      field: 'file',
      missing: (missing.length ? missing : decl.columns)
        .map((c) => headerOf(c, lang))
        .join(lang === 'zh' ? '、' : ', '),
    });
  const rows = table.rows.filter((r) => r.row > best.row);
  if (!rows.length) throw new AppError('IMPORT_FILE_NO_ROWS', { field: 'file' });
  if (rows.length > maxRows)
    throw new AppError('IMPORT_FILE_TOO_MANY_ROWS', { field: 'file', rows: rows.length, max: maxRows });
  return {
    format: table.format,
    file: {
      name: printable(upload.name, 255),
      size: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'),
    },
    headers: best.headers,
    index: best.index,
    rows,
  };
}

interface RowProblem {
  /** the declared columns it concerns (both halves of a point); none = the row as a whole; 'geometry' = a feature's */
  columns: ImportColumn[] | 'geometry';
  code: string;
  values: Record<string, unknown>;
}

/** One row's values by column key (points by their point name), or what is wrong with its cells. */
function valuesOf(decl: AnyImport, m: MatchedFile, raw: RawRow, datum: Datum) {
  const values: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  const cell = (c: ImportColumn): Cell => {
    for (const i of m.index.get(c.key) ?? []) if (!isEmpty(raw.cells[i] ?? null)) return raw.cells[i];
    return null;
  };
  const points = new Map<string, { lon?: ImportColumn; lat?: ImportColumn }>();
  for (const c of decl.columns) {
    if (c.kind === 'lon' || c.kind === 'lat') {
      const p = points.get(c.point) ?? {};
      p[c.kind] = c;
      points.set(c.point, p);
      continue;
    }
    const r = parseCell(c, cell(c));
    if ('problem' in r) problems.push(problemOf(c, r.problem));
    else values[c.key] = r.value;
  }
  let first = true;
  for (const [name, { lon, lat }] of points) {
    if (!lon || !lat) throw new Error(`import ${decl.registry}: point ${name} needs a lon and a lat column`);
    const required = lon.required || lat.required;
    let at: [number, number] | null = null;
    // a GeoJSON feature's geometry is the first point of the row; the columns stand in when it has none
    if (first && raw.geometry && !Array.isArray(raw.geometry)) {
      problems.push({ columns: 'geometry', code: 'IMPORT_NOT_A_POINT', values: { value: raw.geometry.wrong } });
      continue;
    }
    if (first && Array.isArray(raw.geometry)) {
      const [x, y] = raw.geometry;
      const px = parseCell(lon, x);
      const py = parseCell(lat, y);
      if ('problem' in px) problems.push({ ...problemOf(lon, px.problem), columns: 'geometry' });
      else if ('problem' in py) problems.push({ ...problemOf(lat, py.problem), columns: 'geometry' });
      else at = [x, y];
    } else {
      const x = cell(lon);
      const y = cell(lat);
      const px = parseCell({ ...lon, required: false }, x);
      const py = parseCell({ ...lat, required: false }, y);
      if ('problem' in px) problems.push(problemOf(lon, px.problem));
      if ('problem' in py) problems.push(problemOf(lat, py.problem));
      if ('value' in px && 'value' in py) {
        if (px.value === null && py.value === null) {
          if (required) problems.push({ columns: [lon, lat], code: 'IMPORT_REQUIRED', values: {} });
        } else if (px.value === null || py.value === null) {
          problems.push({ columns: [lon, lat], code: 'IMPORT_HALF_POINT', values: {} });
        } else at = [px.value as number, py.value as number];
      }
    }
    first = false;
    if (at && datum === 'gcj02') at = gcoord.transform(at, gcoord.GCJ02, gcoord.WGS84) as [number, number];
    values[name] = at ? { lng: at[0], lat: at[1] } : null;
  }
  return { values, problems };
}

function problemOf(c: ImportColumn, p: CellProblem): RowProblem {
  return { columns: [c], code: p.code, values: p.values ?? {} };
}

function pointColumns(decl: AnyImport): ImportColumn[] {
  return decl.columns.filter((c) => c.kind === 'lon' || c.kind === 'lat');
}

/** The column a service error's field (`casualties.deaths`, `location.coordinates`) came from. */
function columnsOfField(decl: AnyImport, field: string | undefined): ImportColumn[] {
  if (!field) return [];
  return decl.columns.filter(
    (c) => c.field && (c.field === field || field.startsWith(`${c.field}.`) || c.field.startsWith(`${field}.`)),
  );
}

/** The user's view of a problem: the column's header as in the file, the message in their language. */
function rowError(m: MatchedFile, ctx: RequestCtx, row: number, p: RowProblem): ImportRowError {
  const column =
    p.columns === 'geometry'
      ? 'geometry'
      : p.columns.map((c) => m.headers.get(c.key) ?? headerOf(c, ctx.lang)).join('/') || null;
  const message = formatMessage(p.code, ctx.lang, {
    ...p.values,
    column: column ?? '',
    field: column ?? p.values.field ?? '',
    requestId: ctx.requestId ?? '',
  });
  return { row, column, code: p.code, message };
}

/** An error of the service (its schema or its rules) as a problem of the row, at the columns its field names. */
function serviceProblem(decl: AnyImport, m: MatchedFile, raw: RawRow, err: AppError): RowProblem {
  const cols = columnsOfField(decl, err.field);
  const geometry = m.format === 'geojson' && cols.some((c) => c.kind === 'lon' || c.kind === 'lat') && raw.geometry;
  return { columns: geometry ? 'geometry' : cols, code: err.code, values: { ...err.details } };
}

function schemaProblems(decl: AnyImport, input: unknown, ctx: RequestCtx): { field: string; reason: string }[] {
  if (!decl.schema || Value.Check(decl.schema, input)) return [];
  return [...Value.Errors(decl.schema, input)]
    .filter((e) => e.keyword !== 'anyOf')
    .map((e) => ({ field: fieldOf(e as never), reason: reasonOf(e as never, ctx.lang) }));
}

export interface RunOptions {
  mode: ImportMode;
  datum: Datum;
  progress?: (p: { phase?: string; done?: number; total?: number }) => void;
}

class RowWriteFailed extends Error {
  constructor(
    readonly row: RawRow,
    readonly cause: unknown,
  ) {
    super(`row ${row.row}`);
  }
}

/**
 * Checks every row as the commit would, and in commit mode writes them all in one transaction (or none, when any
 * row is wrong or any write fails). Returns the report; the audit records a commit with its file.
 */
export async function runImport(
  p: Pick<Platform, 'db' | 'clock' | 'log'>,
  decl: AnyImport,
  ctx: RequestCtx,
  m: MatchedFile,
  opts: RunOptions,
): Promise<ImportReport> {
  requirePermission(ctx.actor, decl.permission);
  const progress = opts.progress ?? (() => undefined);
  const now = p.clock.now();
  const total = m.rows.length;
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const add = (raw: RawRow, problem: RowProblem) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push(rowError(m, ctx, raw.row, problem));
  };
  const checked: { raw: RawRow; prepared: unknown }[] = [];
  // a unique column's values so far, with the row each was first seen in
  const unique = new Map(decl.columns.filter((c) => c.unique).map((c) => [c, new Map<unknown, number>()]));
  progress({ phase: 'check', done: 0, total });
  for (const [i, raw] of m.rows.entries()) {
    const { values, problems } = valuesOf(decl, m, raw, opts.datum);
    for (const [c, seen] of unique) {
      const v = values[c.key];
      if (v === null || v === undefined) continue;
      const first = seen.get(v);
      if (first === undefined) seen.set(v, raw.row);
      else problems.push({ columns: [c], code: 'IMPORT_DUPLICATE_IN_FILE', values: { value: v, first } });
    }
    for (const pr of problems) add(raw, pr);
    // The service's checks run even on a row with wrong cells (those left out), so that the dry run names what the
    // next check would: one problem per column, the first found.
    const flagged = new Set<string>();
    for (const pr of problems)
      for (const c of pr.columns === 'geometry' ? pointColumns(decl) : pr.columns) flagged.add(c.key);
    const fresh = (cols: ImportColumn[], fallback: string) => {
      const keys = cols.length ? cols.map((c) => c.key) : [fallback];
      if (keys.some((k) => flagged.has(k))) return false;
      for (const k of keys) flagged.add(k);
      return true;
    };
    const input = decl.toInput(values);
    let wrong = false;
    for (const w of schemaProblems(decl, input, ctx)) {
      const cols = columnsOfField(decl, w.field);
      if (!fresh(cols, w.field)) continue;
      wrong = true;
      add(raw, { columns: cols, code: 'VALIDATION', values: { reason: w.reason, field: w.field } });
    }
    if (!wrong) {
      try {
        const prepared = await decl.prepare(ctx, input, now);
        if (!problems.length) checked.push({ raw, prepared });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const problem = serviceProblem(decl, m, raw, err);
        const cols = problem.columns === 'geometry' ? pointColumns(decl) : problem.columns;
        if (fresh(cols, err.field ?? '')) add(raw, problem);
      }
    }
    progress({ done: i + 1 });
    // rows without a query to wait for would hold the event loop for the whole file
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  const report = (imported: number): ImportReport => ({
    mode: opts.mode,
    format: m.format,
    file: m.file,
    rows: total,
    accepted: checked.length,
    imported,
    errors,
    errorCount,
  });
  if (opts.mode === 'dry-run' || errorCount > 0) return report(0);

  progress({ phase: 'write', done: 0, total });
  try {
    await p.db.transaction(async (trx) => {
      for (const [i, c] of checked.entries()) {
        try {
          await decl.write(trx, ctx, c.prepared, now);
        } catch (err) {
          throw new RowWriteFailed(c.raw, err);
        }
        progress({ done: i + 1 });
      }
      await recordAudit(trx, ctx, now, {
        action: `${decl.entity}.imported`,
        entity: decl.entity,
        after: { file: m.file, format: m.format, datum: opts.datum, rows: total, imported: checked.length },
      });
    });
  } catch (err) {
    if (!(err instanceof RowWriteFailed)) throw err;
    if (err.cause instanceof AppError) add(err.row, serviceProblem(decl, m, err.row, err.cause));
    else {
      p.log.error(`import ${decl.registry}: writing row ${err.row.row} failed`, err.cause);
      add(err.row, { columns: [], code: 'IMPORT_WRITE_FAILED', values: {} });
    }
    return { ...report(0), accepted: 0 };
  }
  decl.committed?.();
  return report(checked.length);
}

const running = new Map<string, number>();

/**
 * Reads the upload (a bad file: 400 at once) and starts the dry run or the commit as a job. `done` settles with the
 * finished job; a caller may wait for it when the file is small.
 */
export async function startImport(
  p: Platform,
  decl: AnyImport,
  ctx: RequestCtx,
  upload: Upload,
  opts: { mode: ImportMode; datum: Datum },
): Promise<{ job: Job; done: Promise<Job>; rows: number }> {
  requirePermission(ctx.actor, decl.permission);
  const who = ctx.actor.id ?? ctx.actor.name;
  // counted before the first await: parallel uploads of one user cannot all slip through
  if ((running.get(who) ?? 0) >= MAX_RUNNING_PER_USER)
    throw new AppError('JOB_LIMIT', { running: running.get(who) ?? 0 });
  running.set(who, (running.get(who) ?? 0) + 1);
  try {
    const m = await readImportFile(decl, upload, ctx.lang);
    const { job, done } = await p.jobs.start(
      ctx,
      { kind: `import.${decl.registry}`, permission: decl.permission, phase: 'check' },
      (progress) => runImport(p, decl, ctx, m, { ...opts, progress }),
    );
    const settled = done.finally(() => release(who));
    return { job, done: settled, rows: m.rows.length };
  } catch (err) {
    release(who);
    throw err;
  }
}

function release(who: string): void {
  const n = (running.get(who) ?? 1) - 1;
  if (n > 0) running.set(who, n);
  else running.delete(who);
}
