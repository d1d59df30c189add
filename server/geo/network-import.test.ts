import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../platform/core/context.ts';
import { startTestApp, type TestApp } from '../test/helpers.ts';
import { SHARED_DATA } from '../test/template.ts';
import type { GeoInternal } from './module.ts';
import { insertRoads } from './network.repository.ts';

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
    const before = geo().networks.current()?.id ?? null;
    const { job, wait } = geo().networks.startOsmImport(systemCtx(), bad, {});
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
    const { job, wait } = geo().networks.startOsmImport(systemCtx(), file, { name: 'Marina Bay' });
    expect(() => geo().networks.startOsmImport(systemCtx(), file, {})).toThrow(/IMPORT_RUNNING/);
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
  });
});
