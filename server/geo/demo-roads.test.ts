import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../test/helpers.ts';
import { freshDatabase } from '../test/template.ts';
import { districtPolygons } from './boundaries.repository.ts';
import { DEMO_TOWNS, type LandPolygon, onLand, syntheticWeihaiNetwork } from './demo-roads.ts';
import type { GeoInternal } from './module.ts';

// One demo installation (its start builds the synthetic network) serves every test: two starts of the embedded
// database instead of three, one demo load instead of two.
describe('the synthetic Weihai demo road network', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TestApp;
  const geo = () => t.module<GeoInternal>('geo');
  const start = () => openTestApp({ ...fresh, drop: async () => undefined }, { ANLAN_DEMO: '1' });
  let land: LandPolygon[];
  beforeAll(async () => {
    fresh = await freshDatabase();
    t = await start();
    land = (await districtPolygons(t.db.kysely)).flatMap((d) => {
      const g = JSON.parse(d.geojson) as { type: string; coordinates: LandPolygon[] };
      return g.coordinates;
    });
  });
  afterAll(async () => {
    await t?.close();
    await fresh?.drop();
  });

  it('lies on Weihai land and is the same every time', () => {
    const a = syntheticWeihaiNetwork(land);
    const b = syntheticWeihaiNetwork(land);
    expect(a.segmentCount).toBeGreaterThan(2000);
    expect(Buffer.from(a.segFrom.buffer).equals(Buffer.from(b.segFrom.buffer))).toBe(true);
    for (let i = 0; i < a.nodeCount; i++) expect(onLand(land, a.nodeLon[i], a.nodeLat[i])).toBe(true);
    expect(a.names.every((n) => n.startsWith('示例'))).toBe(true);
  });

  it('joins the district seats by road, labelled synthetic', async () => {
    expect(t.startupNotes.join('\n')).toContain('demo road network (synthetic)');
    const engine = geo().networks.engine();
    expect(geo().networks.current()!.meta.synthetic).toBe(true);
    const [huancui, wendeng, rongcheng, rushan] = DEMO_TOWNS;
    for (const to of [wendeng, rongcheng, rushan]) {
      const r = engine.route(huancui.center, to.center);
      expect(r, `route 环翠 → ${to.name}`).not.toBeNull();
      // arterials at 60–80 km/h: between 10 minutes and 2 hours
      expect(r!.seconds).toBeGreaterThan(600);
      expect(r!.seconds).toBeLessThan(7200);
    }
    const iso = engine.isochrone([huancui.center], 10);
    expect(iso.areaKm2).toBeGreaterThan(5);
  });

  it('is built again after an upgrade, when its graph file is missing or refused', async () => {
    const first = geo().networks.current();
    expect(first?.meta.synthetic).toBe(true);
    const row = await t.db.kysely
      .selectFrom('road_networks')
      .select('file')
      .where('id', '=', first!.id)
      .executeTakeFirstOrThrow();
    await t.close();
    // a graph file of an older format (or a damaged one) is refused at start
    writeFileSync(row.file!, Buffer.from('not a road graph'));
    // the started app replaces the shared one: the other tests find a demo network whichever runs first
    t = await start();
    const again = geo().networks.current();
    expect(again?.meta.synthetic).toBe(true);
    expect(again?.id).not.toBe(first!.id);
    expect(t.startupNotes.join('\n')).toContain('demo road network (synthetic)');
  });
});
