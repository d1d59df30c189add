import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../platform/core/context.ts';
import { startTestApp, type TestApp } from '../test/helpers.ts';
import { SHARED_DATA } from '../test/template.ts';
import type { GeoInternal } from './module.ts';
import { insertRoads } from './network.repository.ts';
import { networkDir } from './network-build.ts';

describe('importing an OSM extract', () => {
  let t: TestApp;
  const geo = () => t.module<GeoInternal>('geo');
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('refuses a file that is not OSM and leaves the network as it was', async () => {
    const bad = join(t.dataDir, 'not-osm.osm.pbf');
    writeFileSync(bad, 'this is not an OpenStreetMap file\n'.repeat(20));
    const { job, wait } = await geo().networks.startOsmImport(systemCtx(), bad, {});
    expect(job.state).toBe('running');
    const done = await wait;
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('OSM_INVALID');
    expect(geo().networks.current()).toBeNull();
    const row = await t.db.kysely
      .selectFrom('road_networks')
      .selectAll()
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.message).toContain('not-osm.osm.pbf');
  });

  it('cleans up an import a crash interrupted, and on a server leaves a recent one to the instance running it', async () => {
    const id = '01900000-0000-7000-8000-00000000abcd';
    const now = new Date();
    await t.db.kysely
      .insertInto('road_networks')
      .values({ id, name: 'half', source: 'x', attribution: 'x', status: 'building', created_at: now })
      .execute();
    await insertRoads(t.db.kysely, id, [
      {
        seg: 0,
        wayId: 1,
        name: null,
        nameEn: null,
        cls: 'primary',
        oneway: 'both',
        meters: 10,
        wkt: 'LINESTRING(0 0,0.0001 0)',
      },
    ]);
    expect(await geo().networks.recoverInterrupted(false)).toBeNull();
    expect(await geo().networks.recoverInterrupted(true)).toContain('1 interrupted');
    const row = await t.db.kysely
      .selectFrom('road_networks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    const left = await t.db.kysely.selectFrom('roads').select('seg').where('network_id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('imports a real extract in a child process, writes its roads and swaps it in', async () => {
    const file = join(SHARED_DATA, 'osm', 'bayfront_singapore.osm.pbf');
    const { job, wait } = await geo().networks.startOsmImport(systemCtx(), file, { name: 'Marina Bay' });
    await expect(geo().networks.startOsmImport(systemCtx(), file, {})).rejects.toThrow(/IMPORT_RUNNING/);
    const done = await wait;
    expect(done.error, JSON.stringify(done.error)).toBeNull();
    expect(done.state).toBe('done');
    const cur = geo().networks.current()!;
    expect(cur.id).toBe(job.id);
    expect(cur.meta).toMatchObject({
      name: 'Marina Bay',
      synthetic: false,
      attribution: '© OpenStreetMap contributors',
    });
    const n = await t.db.kysely
      .selectFrom('roads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('network_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(cur.info.segmentCount);
    // Marina Boulevard to Temasek Avenue, across the bay front: a drive of a few minutes
    const admin = (await t.login('admin', 'Admin-pass-1')).token;
    const r = await t.api('POST', '/api/v1/geo/route', {
      token: admin,
      body: { from: [103.85588, 1.27967], to: [103.86088, 1.28957] },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().seconds).toBeGreaterThan(60);
    expect(r.json().seconds).toBeLessThan(900);
    expect(r.json().network).toEqual({ name: 'Marina Bay', synthetic: false });

    // the import is a platform job: any instance answers for it, under both addresses
    const imp = await t.api('GET', `/api/v1/geo/imports/${job.id}`, { token: admin });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({
      id: job.id,
      name: 'Marina Bay',
      file: 'bayfront_singapore.osm.pbf',
      state: 'done',
      networkId: job.id,
      error: null,
    });
    const asJob = await t.api('GET', `/api/v1/jobs/${job.id}`, { token: admin });
    expect(asJob.statusCode).toBe(200);
    expect(asJob.json()).toMatchObject({ kind: 'roads.import', state: 'done', result: { networkId: job.id } });
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    expect((await t.api('GET', `/api/v1/geo/imports/${job.id}`, { token: viewer.token })).statusCode).toBe(403);
  });

  it('removes the result files an interrupted import left behind', async () => {
    const dir = networkDir(t.dataDir);
    mkdirSync(dir, { recursive: true });
    const left = join(dir, '01900000-0000-7000-8000-00000000beef.result.json');
    writeFileSync(left, '{"roads": []}');
    expect(await geo().networks.recoverInterrupted(true)).toContain('1 leftover import result file');
    expect(existsSync(left)).toBe(false);
  });

  it('ends the import child when the server stops; the import fails and leaves the network as it was', async () => {
    const before = geo().networks.current()?.id ?? null;
    const file = join(SHARED_DATA, 'osm', 'shanghai_center.osm');
    const { job, wait } = await geo().networks.startOsmImport(systemCtx(), file, {});
    await geo().networks.stop();
    const done = await wait;
    expect(done.state).toBe('failed');
    expect(done.error?.message).toContain('the import process stopped');
    expect(geo().networks.current()?.id ?? null).toBe(before);
    const row = await t.db.kysely
      .selectFrom('road_networks')
      .select('status')
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(readdirSync(networkDir(t.dataDir)).filter((f) => f.startsWith(job.id))).toEqual([]);
  });
});

/** A process that exists and is not a zombie (an orphan's zombie waits for an init that may never reap it). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('the import child', () => {
  it('ends when its parent dies, even while it waits on its input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anlan-orphan-'));
    let childPid = 0;
    try {
      // An extract that never comes (a named pipe nobody writes): the child waits on it and sends no progress.
      const fifo = join(dir, 'never.osm');
      execFileSync('mkfifo', [fifo]);
      const parentScript = join(dir, 'parent.mts');
      writeFileSync(
        parentScript,
        `import { forkImportChild } from ${JSON.stringify(new URL('./network.service.ts', import.meta.url).pathname)};
const child = forkImportChild();
// the child's first progress: it has its request and now waits on the pipe
child.once('message', () => console.log('child ' + child.pid));
child.send(${JSON.stringify({ file: fifo, datum: 'wgs84', id: '01900000-0000-7000-8000-00000000dead', name: 'orphan', dataDir: dir, builtAt: new Date(0).toISOString() })});
`,
      );
      // The child inherits the parent's stdout: 'close' comes once both are gone.
      const parent = spawn(process.execPath, ['--import', 'tsx', parentScript], { stdio: ['ignore', 'pipe', 'pipe'] });
      const closed = new Promise<'closed'>((r) => parent.on('close', () => r('closed')));
      let out = '';
      childPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /child (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        parent.on('exit', () => reject(new Error(`the parent ended first: ${out}`)));
      });
      parent.kill('SIGKILL');
      // a guard, not a timing: before the fix the child waited forever
      const guard = new Promise<'still running'>((r) => setTimeout(() => r('still running'), 60_000).unref());
      // its end of the pipe closed: it has exited (leaving, at most, a zombie for init to reap)
      expect(await Promise.race([closed, guard])).toBe('closed');
    } finally {
      if (childPid && running(childPid)) process.kill(childPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
