import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { importBoundaries } from './geo/boundaries.service.ts';
import { reResolveClosures } from './geo/closures/closures.service.ts';
import { type ImportJob, RoadNetworks } from './geo/network.service.ts';
import { verifyAudit } from './platform/audit/audit.ts';
import { systemCtx } from './platform/core/context.ts';
import { systemClock, uuidIds } from './platform/core/ids.ts';
import { migrate, openDb } from './platform/db/index.ts';
import { findRunningServer } from './platform/operator.ts';

const HELP = `anlan — operator commands for Anlan 安澜

Usage:
  npx anlan audit verify
      Walk the hash-chained audit trail; print the first tampered row, or that there is none (exit 1 if tampered).
  npx anlan import boundaries FILE [--crs wgs84|gcj02] [--source TEXT]
      Load district polygons from a GeoJSON FeatureCollection (properties: code or adcode, name).
      Default --crs wgs84 (official CGCS2000 data counts as WGS-84 at map scale); gcj02 for Chinese web-map data.
  npx anlan import osm FILE [--name NAME] [--datum wgs84|gcj02]
      Build the road network from an OpenStreetMap extract (.osm.pbf or .osm XML) and make it current. The new
      network is built beside the old one and swapped in only when complete; a bad file changes nothing.
      --datum gcj02 for extracts whose coordinates lie in GCJ-02 (Chinese web maps); default wgs84 (OSM).
  npx anlan --help

The commands read the same environment as the server (DATA_DIR, DATABASE_URL). When a server runs on the
same DATA_DIR, they go through its admin API; otherwise they open the database themselves.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      crs: { type: 'string' },
      source: { type: 'string' },
      name: { type: 'string' },
      datum: { type: 'string' },
    },
  });
  const cmd = positionals.join(' ');
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig();
  const server = config.databaseUrl ? undefined : findRunningServer(config.dataDir);
  const api = async (path: string, init?: { method: string; body: unknown }) => {
    const res = await fetch(`${server!.url}${path}`, {
      method: init?.method ?? 'GET',
      headers: {
        authorization: `Bearer ${server!.operatorToken}`,
        'content-type': 'application/json',
        'accept-language': 'en',
      },
      body: init ? JSON.stringify(init.body) : undefined,
    });
    const body = (await res.json()) as { error?: { message: string } };
    if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    return body;
  };
  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> => {
    const db = await openDb(config);
    try {
      await migrate(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  if (cmd === 'audit verify') {
    const r = (server ? await api('/api/v1/admin/audit/verify') : await withDb((db) => verifyAudit(db))) as Awaited<
      ReturnType<typeof verifyAudit>
    >;
    if (r.firstTampered) {
      console.log(
        `TAMPERED: audit row seq ${r.firstTampered.seq} (${r.firstTampered.reason}); ${r.checked} rows checked`,
      );
      return 1;
    }
    console.log(`audit chain intact: ${r.checked} rows checked, none tampered`);
    if (r.head)
      console.log(
        `head: seq ${r.head.seq} hash ${r.head.hash} (record it elsewhere to detect rows removed from the end)`,
      );
    return 0;
  }
  if (positionals[0] === 'import' && positionals[1] === 'boundaries') {
    const file = positionals[2];
    if (!file) throw new Error('import boundaries: FILE is required');
    const crs = (values.crs ?? 'wgs84') as 'wgs84' | 'gcj02';
    if (crs !== 'wgs84' && crs !== 'gcj02') throw new Error('--crs must be wgs84 or gcj02');
    const fc = JSON.parse(readFileSync(file, 'utf8'));
    const source = values.source ?? basename(file);
    const codes = server
      ? (
          (await api('/api/v1/admin/boundaries', { method: 'POST', body: { crs, source, featureCollection: fc } })) as {
            codes: string[];
          }
        ).codes
      : await withDb((db) =>
          importBoundaries({ db, clock: systemClock }, systemCtx(), fc, { crs, kind: 'district', source }),
        );
    console.log(
      `imported ${codes.length} district boundaries: ${codes.join(', ')}${server ? ' (through the running server)' : ''}`,
    );
    return 0;
  }
  if (positionals[0] === 'import' && positionals[1] === 'osm') {
    const file = positionals[2];
    if (!file) throw new Error('import osm: FILE is required');
    const datum = (values.datum ?? 'wgs84') as 'wgs84' | 'gcj02';
    if (datum !== 'wgs84' && datum !== 'gcj02') throw new Error('--datum must be wgs84 or gcj02');
    const job = server
      ? await importOsmThroughServer(api, resolve(file), values.name, datum)
      : await withDb((db) => importOsmHere(db, config.dataDir, file, values.name, datum));
    if (job.state !== 'done') {
      console.error(`import failed: ${job.error?.message ?? 'unknown error'}`);
      return 1;
    }
    console.log(
      `road network "${job.name}" is current (id ${job.networkId})${server ? ' (through the running server)' : ''}`,
    );
    const st = job.stats as { segments?: number; vertices?: number; restrictionsApplied?: number } | null;
    if (st)
      console.log(`${st.vertices} vertices, ${st.segments} segments, ${st.restrictionsApplied} turn restrictions`);
    return 0;
  }
  console.error(`unknown command: ${cmd}\n\n${HELP}`);
  return 2;
}

function showProgress(j: ImportJob, last: { line: string }) {
  const pct = j.total > 0 ? ` ${Math.floor((100 * j.done) / j.total)}%` : '';
  const line = `${j.phase}${pct}`;
  if (line === last.line) return;
  last.line = line;
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${line}`);
  else console.log(line);
}

async function importOsmThroughServer(
  api: (path: string, init?: { method: string; body: unknown }) => Promise<unknown>,
  file: string,
  name: string | undefined,
  datum: 'wgs84' | 'gcj02',
): Promise<ImportJob> {
  let job = (await api('/api/v1/geo/networks/import', { method: 'POST', body: { file, name, datum } })) as ImportJob;
  const last = { line: '' };
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    job = (await api(`/api/v1/geo/imports/${job.id}`)) as ImportJob;
    showProgress(job, last);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  return job;
}

async function importOsmHere(
  db: Awaited<ReturnType<typeof openDb>>,
  dataDir: string,
  file: string,
  name: string | undefined,
  datum: 'wgs84' | 'gcj02',
): Promise<ImportJob> {
  const networks = new RoadNetworks({ db, clock: systemClock, ids: uuidIds(systemClock), dataDir });
  networks.onSwap(reResolveClosures);
  const { job, wait } = networks.startOsmImport(systemCtx(), file, { name, datum });
  const last = { line: '' };
  const timer = setInterval(() => showProgress(job, last), 500);
  try {
    return await wait;
  } finally {
    clearInterval(timer);
    if (process.stdout.isTTY) process.stdout.write('\n');
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(
      err instanceof ConfigError
        ? `configuration error: ${err.message}`
        : `error: ${err instanceof AppError ? err.message_('en') : (err as Error).message}`,
    );
    process.exit(1);
  },
);
