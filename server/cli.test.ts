import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './cli-main.ts';
import { writeServerFile } from './platform/operator.ts';
import { ADMIN_PASSWORD, openTestApp } from './test/helpers.ts';
import { freshDatabase, SHARED_DATA } from './test/template.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'anlan.mjs');

/**
 * Runs `npx anlan` as an operator does: its own process through bin/anlan.mjs and tsx (one test does, for that path:
 * each such process loads every module again, seconds on CI), without blocking this process.
 */
function anlanProcess(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, encoding: 'utf8', timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

/**
 * The same command line in this process (cli-main.ts, what cli.ts runs): its output and exit status. A command may
 * also write to stderr itself (`import failed: …`), which is caught here as well. The server under test lives in this
 * process and keeps answering while the command awaits it.
 */
async function anlan(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const stderr = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    lines.push(a.join(' '));
  });
  try {
    const code = await runCli(args, {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    return { code, out: lines.join('\n') };
  } finally {
    stderr.mockRestore();
  }
}

describe('npx anlan', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db?.drop());

  it('prints its help', async () => {
    const r = await anlan(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.out).toContain('audit verify');
    expect(r.out).toContain('import boundaries');
  });

  it('verifies the audit chain on the data directory itself, and through a running server', async () => {
    const env = { DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl };
    // a server file left by a server that has ended is ignored
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    writeServerFile(db.dataDir, { pid: ended, url: 'http://127.0.0.1:9', operatorToken: 'op_gone' });
    const direct = await anlan(['audit', 'verify'], env);
    expect(direct.out).toMatch(/audit chain intact: \d+ rows checked/);
    expect(direct.code).toBe(0);

    const token = 'op_test_token';
    const t = await openTestApp({ ...db, drop: async () => undefined }, {}, { operatorToken: token });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as { port: number }).port;
      // What main.ts does once it listens: the CLI finds the server and uses its operator token.
      writeServerFile(db.dataDir, { pid: process.pid, url: `http://127.0.0.1:${port}`, operatorToken: token });
      const file = join(db.dataDir, 'districts.geojson');
      writeFileSync(
        file,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code: 'lingang', name: '临港区' },
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [1, 1],
                    [2, 1],
                    [2, 2],
                    [1, 2],
                    [1, 1],
                  ],
                ],
              },
            },
          ],
        }),
      );
      // With either engine the CLI goes through the server (PGlite allows one process per data directory; with
      // PostgreSQL the server's memory must see the change too).
      const viaServer = await anlan(['import', 'boundaries', file], env);
      expect(viaServer.out).toContain('imported 1 district boundaries: lingang (through the running server)');
      expect(viaServer.code).toBe(0);
      const units = (
        await t.api('GET', '/api/v1/org/units', { token: (await t.login('admin', ADMIN_PASSWORD)).token })
      ).json();
      expect(units.items.find((u: { code: string }) => u.code === 'lingang').hasBoundary).toBe(true);
      const verify = await anlan(['audit', 'verify'], env);
      expect(verify.out).toContain('audit chain intact');
      expect(verify.code).toBe(0);
    } finally {
      await t.close();
    }
  }, 300_000);

  it('imports an OSM extract on the data directory and through a running server; a bad file changes nothing', async () => {
    const own = await freshDatabase();
    const env = { DATA_DIR: own.dataDir, DATABASE_URL: own.databaseUrl };
    try {
      const direct = await anlan(['import', 'osm', join(SHARED_DATA, 'osm', 'bautzen.osm'), '--name', 'Bautzen'], env);
      expect(direct.out).toContain('road network "Bautzen" is current');
      expect(direct.code).toBe(0);

      const token = 'op_osm_token';
      const t = await openTestApp({ ...own, drop: async () => undefined }, {}, { operatorToken: token });
      const admin = await t.login('admin', ADMIN_PASSWORD);
      const current = async () => (await t.api('GET', '/api/v1/geo/network', { token: admin.token })).json().name;
      try {
        // the next start serves the imported network
        expect(await current()).toBe('Bautzen');
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        const port = (t.app.server.address() as { port: number }).port;
        writeServerFile(own.dataDir, { pid: process.pid, url: `http://127.0.0.1:${port}`, operatorToken: token });
        // a bad file is refused, named, and changes nothing
        const bad = join(own.dataDir, 'broken.osm');
        writeFileSync(bad, '<?xml version="1.0"?><osm version="0.6"><node id="1" lat="1" lon="1"><way');
        const refused = await anlan(['import', 'osm', bad], env);
        expect(refused.code).toBe(1);
        expect(refused.out).toContain('import failed');
        expect(refused.out).toContain('broken.osm');
        expect(await current()).toBe('Bautzen');
        const file = join(SHARED_DATA, 'osm', 'bayfront_singapore.osm.pbf');
        const via = await anlan(['import', 'osm', file, '--name', 'Marina Bay'], env);
        expect(via.out).toContain('road network "Marina Bay" is current');
        expect(via.out).toContain('(through the running server)');
        // the running server's road engine answers on the new network at once
        expect(await current()).toBe('Marina Bay');
      } finally {
        await t.close();
      }
    } finally {
      await own.drop();
    }
  }, 300_000);

  it('names a bad command, from its own process as an operator runs it', async () => {
    const r = await anlanProcess(['launch', 'rockets'], {});
    expect(r.code).toBe(2);
    expect(r.out).toContain('unknown command: launch rockets');
    // and shows what there is
    expect(r.out).toContain('audit verify');
    expect(r.out).toContain('import boundaries');
  });
});
