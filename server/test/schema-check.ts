/**
 * The `Database` type (server/platform/db/schema.ts and every module's `<module>.tables.ts`, merged by declaration)
 * compared with a migrated database. Kysely's types are erased at run time, so they are read with the TypeScript
 * compiler: one program over those few files, and the checker's view of the merged interface.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import ts from 'typescript';
import type { Tx } from '../platform/db/index.ts';

const SERVER = join(import.meta.dirname, '..');
export const SCHEMA_FILE = join(SERVER, 'platform', 'db', 'schema.ts');

/** What a column's select type may hold, as far as the database is concerned. */
type Kind = 'string' | 'number' | 'bigint' | 'boolean' | 'Date' | 'string[]' | 'number[]' | 'bytes' | 'json' | 'other';

export interface TypedColumn {
  kinds: Set<Kind>;
  nullable: boolean;
  /** `Generated<…>` or another insert type that may be left out */
  optionalOnInsert: boolean;
  /** the geometry alias, written and read through PostGIS functions */
  geometry: boolean;
  text: string;
}
export type TypedTables = Map<string, Map<string, TypedColumn>>;

export interface DbColumn {
  table: string;
  column: string;
  udt: string;
  nullable: boolean;
  /** a default, an identity or a generated expression: an insert may leave it out */
  hasDefault: boolean;
}

/** Every `*.tables.ts` under server/: a module's tables, merged into `Database`. */
export function tableFiles(root = SERVER): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.tables.ts') && !f.includes('node_modules'))
    .map((f) => join(root, f))
    .sort();
}

/**
 * Reads interfaces (by exported name) from schema.ts after every tables file has merged into it. `extra` adds
 * in-memory source files to the same program (the self-test's deliberately wrong interfaces).
 */
export function readTypedTables(
  names: { file: string; name: string }[],
  extra: Record<string, string> = {},
): Map<string, TypedTables> {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    f in extra ? ts.createSourceFile(f, extra[f], lang) : getSourceFile(f, lang, ...rest);
  host.fileExists = (f) => f in extra || fileExists(f);
  host.readFile = (f) => (f in extra ? extra[f] : readFile(f));
  const program = ts.createProgram([SCHEMA_FILE, ...tableFiles(), ...Object.keys(extra)], options, host);
  const checker = program.getTypeChecker();
  const out = new Map<string, TypedTables>();
  for (const { file, name } of names) {
    const sf = program.getSourceFile(file);
    const mod = sf && checker.getSymbolAtLocation(sf);
    const sym = mod && checker.getExportsOfModule(mod).find((s) => s.name === name);
    if (!sym) throw new Error(`${file} exports no ${name}`);
    out.set(name, tablesOf(checker, checker.getDeclaredTypeOfSymbol(sym)));
  }
  return out;
}

function tablesOf(checker: ts.TypeChecker, db: ts.Type): TypedTables {
  const tables: TypedTables = new Map();
  for (const t of checker.getPropertiesOfType(db)) {
    const cols = new Map<string, TypedColumn>();
    for (const c of checker.getPropertiesOfType(checker.getTypeOfSymbol(t))) {
      cols.set(c.name, columnOf(checker, checker.getTypeOfSymbol(c)));
    }
    tables.set(t.name, cols);
  }
  return tables;
}

function columnOf(checker: ts.TypeChecker, type: ts.Type): TypedColumn {
  const part = (name: string) => {
    const p = type.getProperty(name);
    return p ? checker.getTypeOfSymbol(p) : undefined;
  };
  const select = part('__select__') ?? type;
  const insert = part('__insert__') ?? type;
  const kinds = new Set<Kind>();
  let nullable = false;
  for (const m of select.isUnion() ? select.types : [select]) {
    if (m.flags & ts.TypeFlags.Null) nullable = true;
    else kinds.add(kindOf(checker, m));
  }
  const optionalOnInsert = (insert.isUnion() ? insert.types : [insert]).some(
    (m) => (m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Never)) !== 0,
  );
  return {
    kinds,
    nullable,
    optionalOnInsert,
    geometry: type.aliasSymbol?.name === 'Geom',
    text: checker.typeToString(type),
  };
}

function kindOf(checker: ts.TypeChecker, t: ts.Type): Kind {
  const f = t.flags;
  if (f & (ts.TypeFlags.StringLike & ~ts.TypeFlags.ESSymbolLike)) return 'string';
  if (f & ts.TypeFlags.NumberLike) return 'number';
  if (f & ts.TypeFlags.BigIntLike) return 'bigint';
  if (f & ts.TypeFlags.BooleanLike) return 'boolean';
  if (f & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return 'json';
  if (t.getSymbol()?.name === 'Date') return 'Date';
  if (['Uint8Array', 'Buffer'].includes(t.getSymbol()?.name ?? '')) return 'bytes';
  if (checker.isArrayType(t)) {
    const [el] = checker.getTypeArguments(t as ts.TypeReference);
    const k = kindOf(checker, el);
    if (k === 'string') return 'string[]';
    if (k === 'number') return 'number[]';
  }
  return f & ts.TypeFlags.Object ? 'json' : 'other';
}

/** The database's tables (not those of extensions, not partitions) and their columns. */
export async function readDbColumns(db: Tx): Promise<{ tables: string[]; columns: DbColumn[] }> {
  const tables = (
    await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
        and not exists (select 1 from pg_depend d
                        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by 1`.execute(db)
  ).rows.map((r) => r.name);
  const columns = (
    await sql<{
      table: string;
      column: string;
      udt: string;
      nullable: string;
      dflt: string | null;
      identity: string;
      generated: string;
    }>`
      select table_name as table, column_name as column, udt_name as udt, is_nullable as nullable,
             column_default as dflt, is_identity as identity, is_generated as generated
      from information_schema.columns
      where table_schema = current_schema() and table_name = any(${tables})
      order by table_name, ordinal_position`.execute(db)
  ).rows.map((r) => ({
    table: r.table,
    column: r.column,
    udt: r.udt,
    nullable: r.nullable === 'YES',
    hasDefault: r.dflt !== null || r.identity === 'YES' || r.generated === 'ALWAYS',
  }));
  return { tables, columns };
}

/** The TypeScript kinds a column of this database type may be read as. */
const ALLOWED: Record<string, Kind[]> = {
  text: ['string'],
  varchar: ['string'],
  bpchar: ['string'],
  uuid: ['string'],
  citext: ['string'],
  int2: ['number'],
  int4: ['number'],
  // both drivers parse int8 and numeric as numbers (pglite.ts, postgres.ts); an id may be kept as a string
  int8: ['number', 'string', 'bigint'],
  numeric: ['number'],
  float4: ['number'],
  float8: ['number'],
  bool: ['boolean'],
  timestamptz: ['Date'],
  timestamp: ['Date'],
  date: ['Date', 'string'],
  json: ['json', 'string', 'number', 'boolean', 'string[]', 'number[]'],
  jsonb: ['json', 'string', 'number', 'boolean', 'string[]', 'number[]'],
  _text: ['string[]'],
  _varchar: ['string[]'],
  _uuid: ['string[]'],
  _int2: ['number[]'],
  _int4: ['number[]'],
  _int8: ['number[]'],
  _float4: ['number[]'],
  _float8: ['number[]'],
  _numeric: ['number[]'],
  // transaction ids (outbox.tx) travel as their decimal text
  xid8: ['string'],
  bytea: ['bytes'],
  // written and read through PostGIS functions in sql templates (ST_AsGeoJSON, ST_GeomFromText)
  geometry: ['string'],
  geography: ['string'],
};

/** Every difference between the typed tables and the database, each naming its table and column. */
export function compareSchema(typed: TypedTables, db: { tables: string[]; columns: DbColumn[] }): string[] {
  const faults: string[] = [];
  const dbTables = new Set(db.tables);
  for (const t of db.tables) if (!typed.has(t)) faults.push(`table ${t}: in the database but not in the Database type`);
  for (const [t, cols] of typed) {
    if (!dbTables.has(t)) {
      faults.push(`table ${t}: in the Database type but not in the database`);
      continue;
    }
    const dbCols = new Map(db.columns.filter((c) => c.table === t).map((c) => [c.column, c]));
    for (const name of dbCols.keys())
      if (!cols.has(name)) faults.push(`${t}.${name}: in the database but not in the Database type`);
    for (const [name, col] of cols) {
      const c = dbCols.get(name);
      if (!c) {
        faults.push(`${t}.${name}: in the Database type (${col.text}) but not in the database`);
        continue;
      }
      const allowed = ALLOWED[c.udt];
      if (!allowed) {
        faults.push(`${t}.${name}: database type ${c.udt} is unknown to the schema check (add it to ALLOWED)`);
        continue;
      }
      const wrong = [...col.kinds].filter((k) => !allowed.includes(k));
      if (wrong.length || col.kinds.size === 0)
        faults.push(`${t}.${name}: typed ${col.text}, but the database has ${c.udt} (read as ${allowed.join(' or ')})`);
      if (c.nullable && !col.nullable)
        faults.push(`${t}.${name}: nullable in the database, but its type ${col.text} has no null`);
      // Geom includes null for every geometry column: a not-null geometry is read the same way.
      if (!c.nullable && col.nullable && !col.geometry)
        faults.push(`${t}.${name}: not null in the database, but its type ${col.text} allows null`);
      if (col.optionalOnInsert && !c.hasDefault && !c.nullable)
        faults.push(`${t}.${name}: typed ${col.text} (may be left out of an insert), but has no default`);
    }
  }
  return faults;
}

/** Where the self-test's in-memory file lives: beside schema.ts, so that it imports it as `./schema.ts`. */
export const SELF_TEST_FILE = join(dirname(SCHEMA_FILE), '__schema-self-test__.ts');
