import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { AppError } from './errors.ts';
import { importBoundaries } from './geo/boundaries.service.ts';
import { verifyAudit } from './platform/audit/audit.ts';
import { systemCtx } from './platform/core/context.ts';
import { systemClock } from './platform/core/ids.ts';
import { migrate, openDb } from './platform/db/index.ts';
import { findRunningServer } from './platform/operator.ts';

const HELP = `anlan — operator commands for Anlan 安澜

Usage:
  npx anlan audit verify
      Walk the hash-chained audit trail; print the first tampered row, or that there is none (exit 1 if tampered).
  npx anlan import boundaries FILE [--crs wgs84|gcj02] [--source TEXT]
      Load district polygons from a GeoJSON FeatureCollection (properties: code or adcode, name).
      Default --crs wgs84 (official CGCS2000 data counts as WGS-84 at map scale); gcj02 for Chinese web-map data.
  npx anlan --help

The commands read the same environment as the server (DATA_DIR, DATABASE_URL). When a server runs on the
same DATA_DIR, they go through its admin API; otherwise they open the database themselves.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, crs: { type: 'string' }, source: { type: 'string' } },
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
  console.error(`unknown command: ${cmd}\n\n${HELP}`);
  return 2;
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
