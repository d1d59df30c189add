/**
 * Road closures under the one scope rule: a closure belongs to the district its closed stretch lies in (most) and to
 * its creator's unit. District users list, read and clear only their own; routing avoids every closure for
 * everyone; the map shows other districts' closed lines without their cause, incident or creator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput } from '../../../contracts/incidents.ts';
import type { IncidentsApi } from '../../modules/incidents/index.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { ctxAs } from '../../test/factories.ts';
import { incidentBody, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { importBoundaries } from '../boundaries.service.ts';
import { type GeoInternal, geoModule } from '../module.ts';
import { NetworkBuilder } from '../network-builder.ts';
import * as closures from './closures.service.ts';

// one road in 环翠 (Huancui, 371002) and one in 文登 (Wendeng, 371003)
const HUANCUI: [number, number][] = [
  [122.1, 37.5],
  [122.105, 37.5],
  [122.11, 37.5],
];
const WENDENG: [number, number][] = [
  [122.05, 37.19],
  [122.055, 37.19],
  [122.06, 37.19],
];
// a causeway out at sea, in no district until a customer's polygons say otherwise
const OFFSHORE: [number, number][] = [
  [123.0, 36.5],
  [123.005, 36.5],
  [123.01, 36.5],
];

let tp: TestPlatform;
let geo: GeoInternal;
let huancuiRoad: number[];
let wendengRoad: number[];
let offshoreRoad: number[];
let duty: RequestCtx;
let huancui: RequestCtx;
let wendeng: RequestCtx;

async function expectError(p: Promise<unknown>, code: string, field?: string) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { code: string; field?: string },
  );
  expect(err?.code).toBe(code);
  if (field) expect(err?.field).toBe(field);
}

beforeAll(async () => {
  tp = await startTestPlatform();
  geo = tp.module<GeoInternal>('geo');
  const b = new NetworkBuilder(() => 30);
  const road = (pts: [number, number][], name: string) => {
    const v = pts.map(([x, y]) => b.vertex(x, y));
    return [b.add(v[0], v[1], 'primary', name, false, 60), b.add(v[1], v[2], 'primary', name, false, 60)];
  };
  huancuiRoad = road(HUANCUI, '环翠路');
  wendengRoad = road(WENDENG, '文登路');
  offshoreRoad = road(OFFSHORE, '海堤路');
  await geo.networks.installNetwork(systemCtx(), b.build(), [], {
    name: 'two districts',
    synthetic: true,
    source: 'test',
    attribution: 'test',
  });
  duty = await ctxAs(tp.platform, 'duty_officer', 'yjj', 'city');
  huancui = await ctxAs(tp.platform, 'district_staff', '371002', 'district');
  wendeng = await ctxAs(tp.platform, 'district_staff', '371003', 'district');
});
afterAll(() => tp.stop());

const create = (ctx: RequestCtx, roadIds: number[], over: Partial<Parameters<typeof closures.createClosure>[3]> = {}) =>
  closures.createClosure(geo.closureDeps, geo.closures, ctx, { roadIds, cause: '桥梁受损，禁止通行', ...over });

describe('closures in the data scope', () => {
  it('belong to the district their stretch lies in and to the creator’s unit', async () => {
    const c = await create(duty, huancuiRoad);
    expect(c.district).toEqual({ code: '371002', name: '环翠区' });
    const row = await tp.platform.db.kysely
      .selectFrom('closures')
      .select(['district_code', 'created_by_unit'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ district_code: '371002', created_by_unit: 'yjj' });
  });

  it('another district can neither read nor clear one, nor find it in its list', async () => {
    const c = await create(duty, huancuiRoad, { cause: '环翠：塌方' });
    await expectError(closures.getClosure(geo.closureDeps, wendeng, c.id), 'OUT_OF_SCOPE');
    await expectError(closures.clearClosure(geo.closureDeps, geo.closures, wendeng, c.id), 'OUT_OF_SCOPE');
    expect((await closures.getClosure(geo.closureDeps, duty, c.id)).state).toBe('active');
    const theirs = await closures.listClosures(geo.closureDeps, wendeng, { state: 'all' });
    expect(theirs.items.map((x) => x.id)).not.toContain(c.id);
    expect(theirs.items.every((x) => x.cause !== '环翠：塌方')).toBe(true);
    const active = await closures.listClosures(geo.closureDeps, wendeng, { state: 'active' });
    expect(active.items.map((x) => x.id)).not.toContain(c.id);
    // the district it lies in reads and clears it
    const mine = await closures.listClosures(geo.closureDeps, huancui, { state: 'all' });
    expect(mine.items.map((x) => x.id)).toContain(c.id);
    expect(mine.total).toBe(mine.items.length);
    const cleared = await closures.clearClosure(geo.closureDeps, geo.closures, huancui, c.id);
    expect(cleared.state).toBe('cleared');
  });

  it('a district user’s own closure elsewhere stays theirs', async () => {
    const c = await create(wendeng, huancuiRoad, { cause: '文登登记的跨界封闭' });
    expect(c.district?.code).toBe('371002');
    expect((await closures.getClosure(geo.closureDeps, wendeng, c.id)).cause).toBe('文登登记的跨界封闭');
    expect((await closures.getClosure(geo.closureDeps, huancui, c.id)).id).toBe(c.id);
    await closures.clearClosure(geo.closureDeps, geo.closures, wendeng, c.id);
  });

  it('routing avoids every closure for everyone; the map shows other districts’ lines without their details', async () => {
    const c = await create(huancui, huancuiRoad, { cause: '环翠：管道抢修' });
    const mask = await geo.closedNow();
    expect(mask?.[huancuiRoad[0]]).toBe(1);
    const theirMap = await closures.closuresGeoJson(geo.closureDeps, wendeng);
    const seen = theirMap.features.filter((f) => f.properties.roadNames === '环翠路');
    expect(seen.length).toBeGreaterThan(0);
    for (const f of seen) {
      expect(f.geometry).toMatchObject({ type: 'MultiLineString' });
      expect(f.properties.state).toBe('active');
      expect(f.properties.inScope).toBe(false);
      expect(f.properties).not.toHaveProperty('cause');
      expect(f.properties).not.toHaveProperty('incidentId');
      expect(f.properties).not.toHaveProperty('createdBy');
      expect(f.properties).not.toHaveProperty('id');
      expect(JSON.stringify(f)).not.toContain('管道抢修');
    }
    const ownMap = await closures.closuresGeoJson(geo.closureDeps, huancui);
    const own = ownMap.features.find((f) => f.properties.id === c.id);
    expect(own?.properties).toMatchObject({ cause: '环翠：管道抢修', inScope: true });
    await closures.clearClosure(geo.closureDeps, geo.closures, huancui, c.id);
  });

  it('the live event of another district’s closure carries no cause', async () => {
    const c = await create(huancui, huancuiRoad, { cause: '环翠：山体滑坡' });
    const redact = geoModule.redactors?.closure;
    if (!redact) throw new Error('the geo module masks closures in events');
    const theirs = redact(c, wendeng) as Record<string, unknown>;
    expect(theirs).not.toHaveProperty('cause');
    expect(theirs).not.toHaveProperty('createdBy');
    expect(theirs.state).toBe('active');
    expect((redact(c, huancui) as { cause: string }).cause).toBe('环翠：山体滑坡');
    expect((redact(c, duty) as { cause: string }).cause).toBe('环翠：山体滑坡');
    await closures.clearClosure(geo.closureDeps, geo.closures, huancui, c.id);
  });

  it('records its audit rows and events as closure.created and closure.cleared', async () => {
    const c = await create(duty, wendengRoad);
    expect(c.district?.code).toBe('371003');
    await closures.clearClosure(geo.closureDeps, geo.closures, wendeng, c.id);
    const audit = await tp.platform.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', c.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['closure.created', 'closure.cleared']);
    const events = await tp.platform.db.kysely
      .selectFrom('outbox')
      .select('type')
      .where('entity_id', '=', c.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['closure.created', 'closure.cleared']);
  });
});

describe('a closure outside every district', () => {
  it('is seen by its unit and the city, and moves into a district its new polygons give it', async () => {
    const c = await create(huancui, offshoreRoad, { cause: '海堤受损' });
    expect(c.district).toBeNull();
    expect((await closures.getClosure(geo.closureDeps, huancui, c.id)).cause).toBe('海堤受损');
    expect((await closures.getClosure(geo.closureDeps, duty, c.id)).id).toBe(c.id);
    await expectError(closures.getClosure(geo.closureDeps, wendeng, c.id), 'OUT_OF_SCOPE');
    const nanhai = await ctxAs(tp.platform, 'district_staff', 'nanhai', 'district');
    await expectError(closures.getClosure(geo.closureDeps, nanhai, c.id), 'OUT_OF_SCOPE');
    // the customer's official polygon of 南海新区 reaches out over the causeway
    const ring = [
      [122.99, 36.49],
      [123.02, 36.49],
      [123.02, 36.51],
      [122.99, 36.51],
      [122.99, 36.49],
    ];
    await importBoundaries(
      tp.platform,
      systemCtx(),
      {
        features: [
          {
            type: 'Feature',
            properties: { code: 'nanhai', name: '南海新区' },
            geometry: { type: 'Polygon', coordinates: [ring] },
          },
        ] as Parameters<typeof importBoundaries>[2]['features'],
      },
      { crs: 'wgs84', kind: 'district', source: 'test' },
    );
    const moved = await closures.getClosure(geo.closureDeps, nanhai, c.id);
    expect(moved.district).toEqual({ code: 'nanhai', name: '南海新区' });
    await closures.clearClosure(geo.closureDeps, geo.closures, nanhai, c.id);
  });
});

describe('a closure’s incident', () => {
  it('must exist', async () => {
    await expectError(
      create(duty, huancuiRoad, { incidentId: '01900000-0000-7000-8000-000000000001' }),
      'VALIDATION',
      'incidentId',
    );
  });

  it('must be visible to the user who names it', async () => {
    const incidents = tp.module<IncidentsApi>('incidents');
    const inHuancui = await incidents.createIncident(
      huancui,
      incidentBody({ location: { type: 'Point', coordinates: [122.12, 37.5] } }) as IncidentInput,
    );
    await expectError(create(wendeng, wendengRoad, { incidentId: inHuancui.id }), 'OUT_OF_SCOPE', 'incidentId');
    const c = await create(huancui, huancuiRoad, { incidentId: inHuancui.id });
    expect(c.incidentId).toBe(inHuancui.id);
    await closures.clearClosure(geo.closureDeps, geo.closures, huancui, c.id);
  });
});
