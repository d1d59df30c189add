// Aviation coverage against an independent computation: PostGIS intersects each of Weihai's real district polygons
// (the DataV boundaries the platform seeds, converted to WGS-84) with the bases' geodesic circles (720 vertices) and
// measures areas on the spheroid; the H3 answer must agree per district and overall. Pure properties (the
// prefilters change no cell's verdict, the first zone owns a shared cell, the circle's vertices lie at the radius)
// are checked without the database.
import { cellArea, cellToLatLng } from 'h3-js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import {
  type AviationBase,
  type AviationCoverage,
  aviationCoverage,
  geodesicCircle,
  geodesicKm,
  greatCircleKm,
  reachBox,
  SPHERE_MARGIN,
  type Zone,
  zoneCells,
} from './aviation-coverage.ts';

/**
 * Allowed gap between a share from cells and the exact one, absolute. At resolution 8 a cell is ~0.9 km across; the
 * error comes from the cells along the districts' coasts and along each circle, where a cell counts whole or not at
 * all by its centre, and it largely cancels. Measured on these cases: at most 0.0014 at resolutions 8 and 9 (0.013
 * at resolution 7, which is why 8 is the default); 0.005 leaves a margin over that and is still a tenth of a
 * percentage point a planner would round away.
 */
const SHARE_TOLERANCE = 0.005;

const base = (id: string, lon: number, lat: number, radiusKm: number): AviationBase => ({
  id,
  name: id,
  location: [lon, lat],
  radiusKm,
});

interface Reference {
  code: string;
  areaKm2: number;
  coveredKm2: number;
}

describe('aviation coverage of Weihai against PostGIS', () => {
  let t: TestPlatform;
  let zones: Zone[];
  let centre: [number, number];

  beforeAll(async () => {
    t = await startTestPlatform();
    // the full polygons (the geo door's districtArea gives the basemap's, simplified to ~50 m)
    const rows = await sql<{ code: string; name: string; geojson: string }>`
      select code, name, st_asgeojson(geom, 7) as geojson from boundaries where kind = 'district' order by code`.execute(
      t.platform.db.kysely,
    );
    zones = rows.rows.map((r) => ({ code: r.code, name: r.name, geometry: JSON.parse(r.geojson) }));
    const c = await sql<{ lon: number; lat: number }>`
      select st_x(p) as lon, st_y(p) as lat
      from (select st_centroid(st_union(geom)) as p from boundaries where kind = 'district') s`.execute(
      t.platform.db.kysely,
    );
    centre = [c.rows[0].lon, c.rows[0].lat];
  });
  afterAll(() => t?.stop());

  /** Each district's exact area and the part of it inside the union of the bases' circles, km², by PostGIS. */
  async function reference(bases: AviationBase[]): Promise<Reference[]> {
    const circles = JSON.stringify(bases.map((b) => geodesicCircle(b.location, b.radiusKm, 720)));
    const r = await sql<{ code: string; area: number; covered: number }>`
      with reach as (
        select st_union(st_setsrid(st_geomfromgeojson(c), 4326)) as g from jsonb_array_elements(${circles}::jsonb) c
      )
      select code,
        st_area(geom::geography) / 1e6 as area,
        coalesce(st_area(st_intersection(geom, reach.g)::geography) / 1e6, 0) as covered
      from boundaries, reach where kind = 'district' order by code`.execute(t.platform.db.kysely);
    return r.rows.map((x) => ({ code: x.code, areaKm2: Number(x.area), coveredKm2: Number(x.covered) }));
  }

  /** The answer agrees with PostGIS district by district and overall; returns the largest gap in a share. */
  function expectAgreement(got: AviationCoverage, ref: Reference[]): number {
    expect(got.districts.map((d) => d.code)).toEqual(ref.map((r) => r.code));
    let worst = 0;
    ref.forEach((r, i) => {
      const d = got.districts[i];
      // the cells' area is the district's within 1 %: the coastline's cells count whole or not at all
      expect(Math.abs(d.areaKm2 - r.areaKm2) / r.areaKm2).toBeLessThan(0.01);
      worst = Math.max(worst, Math.abs(d.coveredShare - r.coveredKm2 / r.areaKm2));
    });
    const total = ref.reduce((s, r) => s + r.areaKm2, 0);
    const covered = ref.reduce((s, r) => s + r.coveredKm2, 0);
    worst = Math.max(worst, Math.abs(got.coveredShare - covered / total));
    expect(worst).toBeLessThanOrEqual(SHARE_TOLERANCE);
    return worst;
  }

  /** Area of the uncovered MultiPolygon on the spheroid, km², and whether PostGIS finds it valid. */
  async function uncoveredArea(got: AviationCoverage): Promise<{ km2: number; valid: boolean }> {
    const r = await sql<{ km2: number; valid: boolean }>`
      select st_area(g::geography) / 1e6 as km2, st_isvalid(g) as valid
      from (select st_setsrid(st_geomfromgeojson(${JSON.stringify(got.uncovered)}), 4326) as g) s`.execute(
      t.platform.db.kysely,
    );
    return { km2: Number(r.rows[0].km2), valid: r.rows[0].valid };
  }

  it('one base at the city centre: the shares match PostGIS at resolutions 8 and 9', async () => {
    // 80 km (the default aircraft) reaches all of Weihai from its centroid; 40 km leaves three districts partly out
    for (const [radiusKm, least, most] of [
      [80, 1, 1],
      [40, 0.3, 0.8],
    ]) {
      const bases = [base('centre', centre[0], centre[1], radiusKm)];
      const ref = await reference(bases);
      for (const resolution of [8, 9]) {
        const got = aviationCoverage(zones, bases, { resolution });
        expect(got.h3Resolution).toBe(resolution);
        expectAgreement(got, ref);
        expect(got.coveredShare).toBeGreaterThanOrEqual(least);
        expect(got.coveredShare).toBeLessThanOrEqual(most);
      }
    }
  });

  it('two bases of 30 km each: partial districts match, and the uncovered part is valid and the right size', async () => {
    // the seats of Huancui 环翠 and Rushan 乳山: more than 60 km apart, the circles do not overlap
    const bases = [base('huancui', 122.116, 37.51, 30), base('rushan', 121.536, 36.92, 30)];
    const ref = await reference(bases);
    const got = aviationCoverage(zones, bases);
    expectAgreement(got, ref);
    expect(got.coveredShare).toBeGreaterThan(0.2);
    expect(got.coveredShare).toBeLessThan(0.8);
    const shares = got.districts.map((d) => d.coveredShare);
    expect(Math.min(...shares)).toBeLessThan(0.5);
    expect(Math.max(...shares)).toBeGreaterThan(0.5);
    const u = await uncoveredArea(got);
    expect(u.valid).toBe(true);
    expect(Math.abs(u.km2 - (got.areaKm2 - got.coveredKm2)) / u.km2).toBeLessThan(0.01);
    expect(got.coveredKm2).toBeCloseTo(
      got.districts.reduce((s, d) => s + d.coveredKm2, 0),
      6,
    );
  });

  it('a base outside the city reaches only the districts near it', async () => {
    // Yantai 烟台, west of the city: 50 km reaches into Rushan and Wendeng, not Rongcheng at the eastern tip
    const bases = [base('yantai', 121.45, 37.46, 50)];
    const ref = await reference(bases);
    const got = aviationCoverage(zones, bases);
    expectAgreement(got, ref);
    expect(got.coveredShare).toBeGreaterThan(0.01);
    expect(got.coveredShare).toBeLessThan(0.5);
    expect(got.districts.find((d) => d.code === '371082')?.coveredShare).toBe(0);
  });

  it('radius 0 covers nothing, and the uncovered part is the whole city', async () => {
    const got = aviationCoverage(zones, [base('pad', centre[0], centre[1], 0)]);
    expect(got.coveredShare).toBe(0);
    expect(got.coveredKm2).toBe(0);
    expect(got.districts.every((d) => d.coveredShare === 0)).toBe(true);
    const u = await uncoveredArea(got);
    expect(Math.abs(u.km2 - got.areaKm2) / got.areaKm2).toBeLessThan(0.01);
  });

  it('a base reaching everything covers all of it, with nothing left uncovered', async () => {
    const bases = [base('far', centre[0], centre[1], 300)];
    const ref = await reference(bases);
    expect(ref.every((r) => Math.abs(r.coveredKm2 - r.areaKm2) < 1e-6 * r.areaKm2)).toBe(true);
    const got = aviationCoverage(zones, bases);
    expect(got.coveredShare).toBe(1);
    expect(got.districts.every((d) => d.coveredShare === 1)).toBe(true);
    expect(got.uncovered.coordinates).toEqual([]);
  });

  it('draws a circle whose every vertex PostGIS measures at the radius, counter-clockwise', async () => {
    const circle = geodesicCircle(centre, 80, 720);
    const ring = circle.coordinates[0];
    expect(ring).toHaveLength(721);
    expect(ring[720]).toEqual(ring[0]);
    const r = await sql<{ lo: number; hi: number; ccw: boolean }>`
      with c as (select st_setsrid(st_geomfromgeojson(${JSON.stringify(circle)}), 4326) as g),
      v as (select (st_dumppoints(g)).geom as p from c)
      select min(st_distance(p::geography, st_makepoint(${centre[0]}, ${centre[1]})::geography, true)) as lo,
             max(st_distance(p::geography, st_makepoint(${centre[0]}, ${centre[1]})::geography, true)) as hi,
             (select st_ispolygonccw(g) from c) as ccw
      from v`.execute(t.platform.db.kysely);
    expect(Number(r.rows[0].lo)).toBeGreaterThan(80_000 - 0.01);
    expect(Number(r.rows[0].hi)).toBeLessThan(80_000 + 0.01);
    expect(r.rows[0].ccw).toBe(true);
  });
});

describe('aviation coverage, pure properties', () => {
  const square = (code: string, lon: number, lat: number, d: number) => rect(code, lon, lat, d, d);
  const rect = (code: string, lon: number, lat: number, w: number, h: number): Zone => ({
    code,
    name: code,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + w, lat],
          [lon + w, lat + h],
          [lon, lat + h],
          [lon, lat],
        ],
      ],
    },
  });

  /** Covered area the slow way: every cell against every base with the geodesic inverse, no prefilter. */
  function bruteCovered(zones: Zone[], bases: AviationBase[], resolution: number): number {
    let covered = 0;
    for (const cell of zoneCells(zones, resolution).flat()) {
      const [lat, lon] = cellToLatLng(cell);
      if (bases.some((b) => geodesicKm(b.location, [lon, lat]) <= b.radiusKm)) covered += cellArea(cell, 'km2');
    }
    return covered;
  }

  it('the box and sphere prefilters change no cell’s verdict, from the equator to the Arctic', () => {
    for (const lat of [0, 37, 64]) {
      const zones = [square('z', 120, lat, 1)];
      // radii whose circles cross many cells' centres; one base outside the square reaching in
      const bases = [
        base('a', 120.7, lat + 0.7, 23.4),
        base('b', 120.2, lat + 0.2, 5.1),
        base('c', 119.5, lat - 0.3, 61),
      ];
      const got = aviationCoverage(zones, bases, { resolution: 8 });
      expect(got.coveredShare).toBeGreaterThan(0);
      expect(got.coveredShare).toBeLessThan(1);
      expect(got.coveredKm2).toBeCloseTo(bruteCovered(zones, bases, 8), 9);
    }
  });

  it('the sphere strays from the ellipsoid by less than its margin, all over the globe', () => {
    // a fixed pseudo-random walk over centres, radii up to 3,000 km and eight azimuths: the same pairs every run
    let seed = 1;
    const next = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const centre: [number, number] = [next() * 360 - 180, next() * 178 - 89];
      const r = 0.5 + next() * 3000;
      for (const p of geodesicCircle(centre, r, 8).coordinates[0]) {
        worst = Math.max(worst, Math.abs(greatCircleKm(centre, p) / r - 1));
      }
    }
    // the flattening (1/298) and the latitudes' distortion: 0.56 % at worst
    expect(worst).toBeGreaterThan(0.004);
    expect(worst).toBeLessThan(0.006);
    expect(SPHERE_MARGIN).toBeGreaterThan(worst);
  });

  it('a reach box holds every point at the radius, across the antimeridian and near a pole', () => {
    for (const [lon, lat] of [
      [122, 37],
      [0, 0],
      [179.9, -10],
      [-30, 80],
    ]) {
      for (const r of [1, 80, 500, 2000]) {
        const box = reachBox([lon, lat], r);
        for (const [x, y] of geodesicCircle([lon, lat], r, 360).coordinates[0]) {
          expect(y).toBeGreaterThanOrEqual(box.minLat);
          expect(y).toBeLessThanOrEqual(box.maxLat);
          if (!box.wholeLon) {
            expect(x).toBeGreaterThanOrEqual(box.minLon);
            expect(x).toBeLessThanOrEqual(box.maxLon);
          }
        }
      }
    }
  });

  it('a cell where zones overlap is the first zone’s, and counts once', () => {
    const a = square('a', 122, 37, 0.2);
    const b = square('b', 122.1, 37, 0.2);
    const got = aviationCoverage([a, b], [], { resolution: 8 });
    const alone = aviationCoverage([b], [], { resolution: 8 });
    const union = aviationCoverage([rect('u', 122, 37, 0.3, 0.2)], [], { resolution: 8 });
    expect(got.districts[0].areaKm2).toBeCloseTo(aviationCoverage([a], [], { resolution: 8 }).areaKm2, 9);
    // b keeps only the half a does not hold
    expect(got.districts[1].areaKm2 / alone.areaKm2).toBeGreaterThan(0.4);
    expect(got.districts[1].areaKm2 / alone.areaKm2).toBeLessThan(0.6);
    expect(Math.abs(got.areaKm2 - union.areaKm2) / union.areaKm2).toBeLessThan(0.01);
    expect(got.coveredShare).toBe(0);
  });

  it('refuses a negative radius, a bad resolution and a geometry that is not a polygon', () => {
    const z = [square('z', 122, 37, 0.1)];
    expect(() => aviationCoverage(z, [base('x', 122, 37, -1)])).toThrow(RangeError);
    expect(() => aviationCoverage(z, [], { resolution: 16 })).toThrow(RangeError);
    const broken: Zone = { code: 'x', name: 'x', geometry: { type: 'Polygon', coordinates: [[['a', 'b']]] } };
    expect(() => aviationCoverage([broken], [])).toThrow(TypeError);
  });
});
