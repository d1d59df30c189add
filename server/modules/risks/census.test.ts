// Census layers at the service level: each format read with good and bad rows (every refusal's reason named at its
// row), a GCJ-02 point landing where the conversion puts it, a lat,lon pair detected, all or none, layer deletion
// audited, and nearby: distance order, the radius, the refusals.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toWgs84 } from '../../../contracts/coordinates.ts';
import type { CensusImportReport } from '../../../contracts/risks.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { shapefileZip } from '../../test/shapefile.ts';
import * as svc from './census.service.ts';
import { parseWkt, readKml } from './census-read.ts';
import type { RisksInternal } from './module.ts';
import type { RisksDeps } from './risks.deps.ts';

let t: TestPlatform;
let deps: RisksDeps;
let cmd: RequestCtx;
let en: RequestCtx;

// Huancui's seat and a point in the hills south-west of it: both on Weihai's land
const A: [number, number] = [122.116, 37.505];
const B: [number, number] = [122.05, 37.45];

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<RisksInternal>('risks').deps;
  cmd = await seededCtx(t.platform, 'commander');
  en = await seededCtx(t.platform, 'commander', 'en');
});
afterAll(async () => {
  await t?.stop();
});

const fc = (features: unknown[]) => Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
const pt = (p: [number, number], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: p },
  properties,
});
const square = (c: [number, number], d: number): [number, number][] => [
  [c[0] - d, c[1] - d],
  [c[0] + d, c[1] - d],
  [c[0] + d, c[1] + d],
  [c[0] - d, c[1] + d],
  [c[0] - d, c[1] - d],
];

async function run(
  data: Buffer,
  o: Partial<svc.CensusImportOptions> & Pick<svc.CensusImportOptions, 'kind'>,
  ctx = cmd,
): Promise<CensusImportReport> {
  const file = await svc.readUpload({ name: 'test', data });
  return svc.runCensusImport(deps, ctx, file, { mode: 'dry-run', name: 'test layer', datum: 'wgs84', ...o });
}

const codes = (r: CensusImportReport) => r.errors.map((e) => [e.row, e.code]);

describe('importing census layers', () => {
  it('names every bad GeoJSON row with its reason and writes nothing of a file with one', async () => {
    const bowtie = [
      [A[0], A[1]],
      [A[0] + 0.01, A[1] + 0.01],
      [A[0] + 0.01, A[1]],
      [A[0], A[1] + 0.01],
      [A[0], A[1]],
    ];
    const data = fc([
      pt(A, { name: '好点', 等级: 'II' }),
      { type: 'Feature', geometry: null, properties: { name: '无几何' } },
      pt([116.4, 39.9], { name: '北京' }),
      pt([A[1], A[0]], { name: '颠倒' }),
      pt(B, { name: '等级错', level: '超大' }),
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [bowtie] }, properties: { name: '自相交' } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [A, B] }, properties: { name: '线' } },
      pt(B, { name: '人口错', 人口: '-5' }),
    ]);
    const r = await run(data, { kind: 'geohazard_point' }, en);
    expect(r.format).toBe('geojson');
    expect(r.rows).toBe(8);
    expect(codes(r)).toEqual([
      [2, 'CENSUS_GEOMETRY_EMPTY'],
      [3, 'CENSUS_OUTSIDE_REGION'],
      [4, 'CENSUS_AXIS_SWAPPED'],
      [5, 'CENSUS_BAD_LEVEL'],
      [6, 'CENSUS_GEOMETRY_INVALID'],
      [7, 'CENSUS_GEOMETRY_TYPE'],
      [8, 'CENSUS_BAD_NUMBER'],
    ]);
    expect(r.errors.find((e) => e.row === 6)?.message).toMatch(/self-intersection/);
    expect(r.errors.find((e) => e.row === 7)?.message).toMatch(/no line geometry, only: point, polygon/);
    expect(r.errors.find((e) => e.row === 4)?.message).toMatch(/swapped/);
    expect(r.errors.find((e) => e.row === 3)?.column).toBe('geometry');
    expect(r.accepted).toBe(1);
    const committed = await run(data, { kind: 'geohazard_point', mode: 'commit' });
    expect(committed.imported).toBe(0);
    expect(committed.layerId).toBeNull();
    const n = await sql<{ n: number }>`select count(*)::int as n from census_layers`.execute(t.platform.db.kysely);
    expect(n.rows[0].n).toBe(0);
  });

  it('commits a good file as one layer with its features, and deletes it whole with an audit row', async () => {
    const data = fc([
      pt(A, { 名称: '环翠崩塌点', 险情等级: '特大型', 威胁人口: 120, 备注: 'x' }),
      pt(B, { name: '二' }),
    ]);
    const r = await run(data, { kind: 'geohazard_point', mode: 'commit', name: '隐患点' });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(2);
    const layer = await svc.getLayer(deps, cmd, r.layerId as string);
    expect(layer).toMatchObject({
      name: '隐患点',
      kind: 'geohazard_point',
      role: 'hazard',
      featureCount: 2,
      datum: 'wgs84',
    });
    const fs = await svc.features(deps, cmd, { layerId: layer.id });
    const first = fs.features.find((f) => f.properties.name === '环翠崩塌点');
    expect(first?.properties).toMatchObject({ hazardLevel: 1, population: 120, attributes: { 备注: 'x' } });
    // a bbox around B only
    const inBox = await svc.features(deps, cmd, {
      kind: 'geohazard_point',
      bbox: `${B[0] - 0.01},${B[1] - 0.01},${B[0] + 0.01},${B[1] + 0.01}`,
    });
    expect(inBox.features.map((f) => f.properties.name)).toEqual(['二']);
    expect((await refusal(svc.deleteLayer(deps, await seededCtx(t.platform, 'viewer'), layer.id))).code).toBe(
      'FORBIDDEN',
    );
    await svc.deleteLayer(deps, cmd, layer.id);
    expect((await refusal(svc.getLayer(deps, cmd, layer.id))).status).toBe(404);
    const audit = await sql<{ action: string }>`
      select action from audit_log where entity_id = ${layer.id} order by seq`.execute(t.platform.db.kysely);
    expect(audit.rows.map((a) => a.action)).toEqual(['census_layer.imported', 'census_layer.deleted']);
  });

  it('converts a GCJ-02 point to WGS-84 and treats CGCS2000 as WGS-84', async () => {
    const gcj: [number, number] = [122.121, 37.503];
    const r = await run(fc([pt(gcj, { name: 'gcj' })]), { kind: 'school', datum: 'gcj02', mode: 'commit' }, en);
    expect(r.datumNote).toMatch(/converted/);
    const f = (await svc.features(deps, cmd, { layerId: r.layerId as string })).features[0];
    const want = toWgs84('gcj02', gcj[0], gcj[1]);
    const got = f.geometry.coordinates as [number, number];
    expect(got[0]).toBeCloseTo(want[0], 6);
    expect(got[1]).toBeCloseTo(want[1], 6);
    // GCJ-02 lies a few hundred metres north-east of WGS-84 here
    expect(gcj[0] - got[0]).toBeGreaterThan(0.003);
    const c = await run(fc([pt(gcj)]), { kind: 'school', datum: 'cgcs2000', mode: 'commit' }, en);
    expect(c.datumNote).toMatch(/treated as WGS-84/);
    const g = (await svc.features(deps, cmd, { layerId: c.layerId as string })).features[0];
    expect(g.geometry.coordinates).toEqual(gcj);
    await svc.deleteLayer(deps, cmd, r.layerId as string);
    await svc.deleteLayer(deps, cmd, c.layerId as string);
  });

  it('reads CSV in GBK with 经度/纬度 columns and a WKT column, naming rows without coordinates', async () => {
    const text = [
      '名称,经度,纬度,WKT,容纳人数',
      `避难所一,${A[0]},${A[1]},,2000`,
      `避难所二,,,"POLYGON((${square(B, 0.002)
        .map((p) => p.join(' '))
        .join(',')}))",500`,
      '避难所三,,,,100',
      '避难所四,,,"POLYGON((1 2, 3)",300',
    ].join('\r\n');
    const r = await run(Buffer.from(text), { kind: 'shelter' });
    expect(r.format).toBe('csv');
    expect(codes(r)).toEqual([
      [4, 'CENSUS_NO_COORDINATES'],
      [5, 'CENSUS_BAD_WKT'],
    ]);
    // '名称,经度,纬度,容纳人数\r\n避难所,122.116,37.505,2000' as Chinese Excel saves it (GBK)
    const gb = Buffer.from(
      'c3fbb3c62cbeadb6c82cceb3b6c82cc8ddc4c9c8cbcafd0d0ab1dcc4d1cbf92c3132322e3131362c33372e3530352c32303030',
      'hex',
    );
    const g = await run(gb, { kind: 'shelter', mode: 'commit' });
    expect(g.errors).toEqual([]);
    const f = (await svc.features(deps, cmd, { layerId: g.layerId as string })).features[0];
    expect(f.properties).toMatchObject({ name: '避难所', capacity: 2000 });
    await svc.deleteLayer(deps, cmd, g.layerId as string);
  });

  it('reads xlsx with lon/lat headers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('学校');
    ws.addRow(['name', 'lon', 'lat']);
    ws.addRow(['一中', A[0], A[1]]);
    ws.addRow(['远方', 10, 10]);
    const r = await run(Buffer.from(await wb.xlsx.writeBuffer()), { kind: 'school' });
    expect(r.format).toBe('xlsx');
    expect(codes(r)).toEqual([[3, 'CENSUS_OUTSIDE_REGION']]);
  });

  it('reads KML placemarks (points, polygons, extended data) and refuses a DOCTYPE', async () => {
    const ring = square(B, 0.003)
      .map((p) => p.join(','))
      .join(' ');
    const kml = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
  <Placemark><name>易涝区</name><ExtendedData><Data name="等级"><value>3</value></Data></ExtendedData>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>${ring}</coordinates></LinearRing></outerBoundaryIs></Polygon>
  </Placemark>
  <Placemark><name>点</name><Point><coordinates>${A[0]},${A[1]},0</coordinates></Point></Placemark>
</Document></kml>`;
    const r = await run(Buffer.from(kml), { kind: 'flood_zone', mode: 'commit' });
    expect(r.format).toBe('kml');
    expect(codes(r)).toEqual([[2, 'CENSUS_GEOMETRY_TYPE']]);
    expect(r.imported).toBe(0);
    expect(readKml(kml)[0]).toMatchObject({ props: { name: '易涝区', 等级: '3' }, geometry: { type: 'Polygon' } });
    const doctype = `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x "y">]><kml><Document/></kml>`;
    expect((await refusal(svc.readUpload({ name: 'x.kml', data: Buffer.from(doctype) }))).code).toBe('CENSUS_DOCTYPE');
  });

  it('reads a zipped Shapefile of polygons', async () => {
    const zip = await shapefileZip([
      { name: 'zone one', ring: [...square(B, 0.004)].reverse() },
      { name: 'far', ring: [...square([100, 30], 0.01)].reverse() },
    ]);
    const r = await run(zip, { kind: 'forest_fire_zone' });
    expect(r.format).toBe('shapefile');
    expect(codes(r)).toEqual([[2, 'CENSUS_OUTSIDE_REGION']]);
    expect(r.accepted).toBe(1);
  });

  it('parses WKT of every type', () => {
    expect(parseWkt('POINT (1 2)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(parseWkt('SRID=4326;MULTIPOINT ((1 2), (3 4))')).toEqual({
      type: 'MultiPoint',
      coordinates: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(parseWkt('LINESTRING Z (1 2 3, 4 5 6)')).toEqual({
      type: 'LineString',
      coordinates: [
        [1, 2],
        [4, 5],
      ],
    });
    expect(parseWkt('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))')?.type).toBe('MultiPolygon');
    expect(parseWkt('POLYGON ((0 0, 1 0')).toBeNull();
    expect(parseWkt('CIRCLE (1 2)')).toBeNull();
  });
});

describe('nearby', () => {
  let layer: string;
  beforeAll(async () => {
    const east = (m: number): [number, number] => [A[0] + m / (111_320 * Math.cos((A[1] * Math.PI) / 180)), A[1]];
    const r = await run(
      fc([pt(east(3000), { name: '3 km' }), pt(east(500), { name: '500 m' }), pt(east(8000), { name: '8 km' })]),
      { kind: 'school', mode: 'commit' },
    );
    layer = r.layerId as string;
    const z = await run(
      fc([
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: [square(A, 0.002)] },
          properties: { name: '区内' },
        },
      ]),
      { kind: 'flood_zone', mode: 'commit' },
    );
    expect(z.imported).toBe(1);
  });
  afterAll(async () => {
    await svc.deleteLayer(deps, cmd, layer);
  });

  it('lists what lies within the radius, nearest first, with geodesic metres (0 inside a zone)', async () => {
    const r = await svc.nearbyQuery(deps, cmd, { near: `${A[0]},${A[1]}`, radiusM: 5000 });
    expect(r.items.map((i) => i.name)).toEqual(['区内', '500 m', '3 km']);
    expect(r.total).toBe(3);
    expect(r.items[0].meters).toBe(0);
    expect(r.items[1].meters).toBeGreaterThan(495);
    expect(r.items[1].meters).toBeLessThan(505);
    expect(r.items[2]).toMatchObject({ kind: 'school', role: 'exposure', layer });
    const only = await svc.nearbyQuery(deps, cmd, {
      near: `${A[0]},${A[1]}`,
      radiusM: 5000,
      kinds: 'school',
      limit: 1,
    });
    expect(only.items.map((i) => i.name)).toEqual(['500 m']);
    expect(only.total).toBe(2);
    // the door answers the same
    const door = await t.module<RisksInternal>('risks').nearby(cmd, { lon: A[0], lat: A[1], radiusM: 10_000 });
    expect(door.items.map((i) => i.name)).toEqual(['区内', '500 m', '3 km', '8 km']);
  });

  it('refuses a bad point, a radius above 50 km and an unknown kind, naming the field', async () => {
    expect(await refusal(svc.nearbyQuery(deps, cmd, { near: '200,37' }))).toMatchObject({
      code: 'VALIDATION',
      field: 'near',
    });
    expect(await refusal(svc.nearbyQuery(deps, cmd, { near: 'a,b' }))).toMatchObject({ field: 'near' });
    expect(await refusal(svc.nearby(deps, cmd, { lon: A[0], lat: A[1], radiusM: 50_001 }))).toMatchObject({
      code: 'VALIDATION',
      status: 400,
      field: 'radiusM',
    });
    expect(
      await refusal(svc.nearbyQuery(deps, cmd, { near: `${A[0]},${A[1]}`, kinds: 'population_grid' })),
    ).toMatchObject({
      code: 'UNKNOWN_KIND',
      field: 'kinds',
    });
  });
});
