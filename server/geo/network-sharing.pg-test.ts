// Two instances on one PostgreSQL database, each with its own DATA_DIR: an import on one is seen, answered for and
// routed on by the other, which fetches the graph file from the database.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../platform/core/context.ts';
import { openTestApp, startTestApp, type TestApp } from '../test/helpers.ts';
import { SHARED_DATA } from '../test/template.ts';
import type { GeoInternal } from './module.ts';
import { networkDir } from './network-build.ts';

let a: TestApp;
let b: TestApp;
const geo = (t: TestApp) => t.module<GeoInternal>('geo');
beforeAll(async () => {
  a = await startTestApp();
  const dataDir = mkdtempSync(join(tmpdir(), 'anlan-test-b-'));
  b = await openTestApp({
    dataDir,
    databaseUrl: a.databaseUrl,
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  });
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('a road network import with two instances on one server', () => {
  it('is answered for by either instance, and the other loads its graph from the database', async () => {
    const file = join(SHARED_DATA, 'osm', 'bayfront_singapore.osm.pbf');
    const { job, wait } = await geo(a).networks.startOsmImport(systemCtx(), file, { name: 'Marina Bay' });
    // one import at a time, whichever instance is asked
    await expect(geo(b).networks.startOsmImport(systemCtx(), file, {})).rejects.toThrow(/IMPORT_RUNNING/);
    const admin = (await b.login('admin', 'Admin-pass-1')).token;
    const running = await b.api('GET', `/api/v1/geo/imports/${job.id}`, { token: admin });
    expect(running.statusCode).toBe(200);
    expect(running.json()).toMatchObject({ id: job.id, name: 'Marina Bay' });
    expect((await wait).state).toBe('done');

    const done = await b.api('GET', `/api/v1/geo/imports/${job.id}`, { token: admin });
    expect(done.json()).toMatchObject({ state: 'done', networkId: job.id });
    expect((await b.api('GET', `/api/v1/jobs/${job.id}`, { token: admin })).json()).toMatchObject({ state: 'done' });

    // B hears network.swapped (its bus polls, so it may have heard it already; kick reads now). B never built the
    // graph and its DATA_DIR is its own, so the file it has was fetched from the database.
    await b.bus.kick();
    expect(geo(b).networks.current()?.id).toBe(job.id);
    expect(existsSync(join(networkDir(b.dataDir), `${job.id}.graph`))).toBe(true);
    const r = await b.api('POST', '/api/v1/geo/route', {
      token: admin,
      body: { from: [103.85588, 1.27967], to: [103.86088, 1.28957] },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().network).toEqual({ name: 'Marina Bay', synthetic: false });

    // A newer import retires the old one: its chunks go, and B drops its copy when it loads the new one
    const second = await geo(a).networks.startOsmImport(systemCtx(), file, { name: 'Marina Bay 2' });
    expect((await second.wait).state).toBe('done');
    await b.bus.kick();
    expect(geo(b).networks.current()?.meta.name).toBe('Marina Bay 2');
    expect(readdirSync(networkDir(b.dataDir)).filter((f) => f.endsWith('.graph'))).toEqual([`${second.job.id}.graph`]);
    const chunks = await a.db.kysely.selectFrom('road_network_files').select('network_id').distinct().execute();
    expect(chunks.map((c) => c.network_id)).toEqual([second.job.id]);
  });
});
