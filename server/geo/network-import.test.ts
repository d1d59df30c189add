import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../platform/core/context.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../test/helpers.ts';
import { SHARED_DATA } from '../test/template.ts';
import type { GeoInternal } from './module.ts';
import { insertRoads } from './network.repository.ts';
import { networkDir } from './network-build.ts';

let t: TestApp;
const geo = () => t.module<GeoInternal>('geo');
beforeAll(async () => {
  // uploads above 1 MB are refused here (monaco.osm.pbf is 1.7 MB)
  t = await startTestApp({ ANLAN_UPLOAD_MAX_MB: '1' });
});
afterAll(() => t?.stop());

describe('importing an OSM extract', () => {
  it('refuses a file that is not OSM and leaves the network as it was', async () => {
    const bad = join(t.dataDir, 'not-osm.osm.pbf');
    writeFileSync(bad, 'this is not an OpenStreetMap file\n'.repeat(20));
    const before = geo().networks.current()?.id ?? null;
    const { job, wait } = await geo().networks.startOsmImport(systemCtx(), bad, {});
    expect(job.state).toBe('running');
    const done = await wait;
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('OSM_INVALID');
    expect(geo().networks.current()?.id ?? null).toBe(before);
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

/** A multipart/form-data body as a browser (or the CLI's fetch) sends it. */
async function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const req = new Request('http://anlan.invalid/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  };
}

describe('where an import may read from', () => {
  let admin: string;
  const importDir = () => join(t.dataDir, 'imports');
  const uploadsLeft = () => {
    const dir = join(t.dataDir, 'uploads');
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const post = (body: unknown) =>
    t.api('POST', '/api/v1/geo/networks/import', { token: admin, body, headers: { 'accept-language': 'en' } });

  beforeAll(async () => {
    admin = (await t.login('admin', ADMIN_PASSWORD)).token;
  });

  it('creates the import folder at start', () => {
    expect(existsSync(importDir())).toBe(true);
  });

  it.each([
    ['../server.json'],
    ['../../../../etc/shadow'],
    ['/etc/shadow'],
    ['/etc/passwd'],
    ['sub/file.osm'],
    ['sub\\file.osm'],
    ['..'],
    ['.'],
    ['no-such-extract.osm.pbf'],
  ])('refuses %s as a file name', async (file) => {
    const r = await post({ file });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'FILE_NOT_ALLOWED', field: 'file' });
    expect(r.json().error.message).toContain('import folder');
  });

  it('refuses a symlink that leads out of the folder, and does not list it', async () => {
    symlinkSync('/etc/passwd', join(importDir(), 'passwd.osm'));
    symlinkSync(join(SHARED_DATA, 'osm', 'bautzen.osm'), join(importDir(), 'outside.osm'));
    for (const file of ['passwd.osm', 'outside.osm']) {
      const r = await post({ file });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'FILE_NOT_ALLOWED', field: 'file' });
    }
    const list = (await t.api('GET', '/api/v1/geo/networks/import-files', { token: admin })).json();
    expect(list.items.map((f: { name: string }) => f.name)).not.toContain('passwd.osm');
    expect(list.items.map((f: { name: string }) => f.name)).not.toContain('outside.osm');
  });

  it('lists the files that can be imported and imports one by name', async () => {
    copyFileSync(join(SHARED_DATA, 'osm', 'bautzen.osm'), join(importDir(), 'bautzen.osm'));
    const list = await t.api('GET', '/api/v1/geo/networks/import-files', { token: admin });
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json();
    expect(body.folder).toBe(importDir());
    const f = body.items.find((x: { name: string }) => x.name === 'bautzen.osm');
    expect(f).toMatchObject({ name: 'bautzen.osm', bytes: 99448 });
    expect(Date.parse(f.modifiedAt)).toBeGreaterThan(0);
    expect(body.total).toBe(body.items.length);
    const viewer = await t.userWith('viewer', 'yjj', 'city');
    expect((await t.api('GET', '/api/v1/geo/networks/import-files', { token: viewer.token })).statusCode).toBe(403);

    const r = await post({ file: 'bautzen.osm', name: 'Bautzen' });
    expect(r.statusCode, r.body).toBe(202);
    await geo().imports.idle();
    expect(geo().networks.current()?.meta.name).toBe('Bautzen');
  });

  it('takes an upload of a real extract, streamed to disk, and removes it when the import ends', async () => {
    const bytes = readFileSync(join(SHARED_DATA, 'osm', 'bayfront_singapore.osm.pbf'));
    const { payload, headers } = await multipart(
      { name: 'Marina Bay', datum: 'wgs84' },
      { name: 'bayfront_singapore.osm.pbf', bytes },
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/geo/networks/import',
      payload,
      headers: { ...headers, authorization: `Bearer ${admin}` },
    });
    expect(r.statusCode, r.body).toBe(202);
    expect(r.json().name).toBe('Marina Bay');
    const done = await geo().imports.idle();
    expect(done).toBeUndefined();
    expect(geo().networks.current()?.meta).toMatchObject({
      name: 'Marina Bay',
      source: 'OpenStreetMap: bayfront_singapore.osm.pbf',
    });
    expect(uploadsLeft()).toEqual([]);
  });

  it('refuses an upload above the size limit, and leaves nothing behind', async () => {
    const bytes = readFileSync(join(SHARED_DATA, 'osm', 'monaco.osm.pbf'));
    const { payload, headers } = await multipart({}, { name: 'monaco.osm.pbf', bytes });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/geo/networks/import',
      payload,
      headers: { ...headers, authorization: `Bearer ${admin}`, 'accept-language': 'en' },
    });
    expect(r.statusCode, r.body).toBe(413);
    expect(r.json().error).toMatchObject({ code: 'UPLOAD_TOO_LARGE', field: 'file' });
    expect(r.json().error.message).toContain('1 MB');
    expect(uploadsLeft()).toEqual([]);
  });

  it('refuses an upload without a file, with unknown fields, or with a NUL in a field', async () => {
    const cases: [Record<string, string>, { name: string; bytes: Buffer } | undefined, string][] = [
      [{ name: 'x' }, undefined, 'file'],
      [{ colour: 'red' }, { name: 'a.osm', bytes: Buffer.from('<osm/>') }, 'colour'],
      [{ name: 'a\u0000b' }, { name: 'a.osm', bytes: Buffer.from('<osm/>') }, 'name'],
      [{ datum: 'bd09' }, { name: 'a.osm', bytes: Buffer.from('<osm/>') }, 'datum'],
    ];
    for (const [fields, file, field] of cases) {
      const { payload, headers } = await multipart(fields, file);
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/geo/networks/import',
        payload,
        headers: { ...headers, authorization: `Bearer ${admin}` },
      });
      expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
      expect(r.json().error.field).toBe(field);
    }
    expect(uploadsLeft()).toEqual([]);
  });
});
