// The forces register at the service level: teams with their rules, scope, status history and flags, members, the
// analyses' areas; and the fire, forest and chemical-park analyses on a hand-made road network whose answer is known.
import { cellArea, cellToLatLng, latLngToCell, polygonToCells } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamInput } from '../../../contracts/forces.ts';
import { type GeoApi, NetworkBuilder } from '../../geo/index.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { ctxAs, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { shapefileZip } from '../../test/shapefile.ts';
import * as an from './analyses.service.ts';
import * as svc from './forces.service.ts';
import type { ForcesInternal } from './module.ts';

// a straight road eastwards through 文登区 (inland all the way), 60 km/h: one kilometre a minute
const LAT = 37.15;
const LON = 121.95;
const KM_LON = 1 / (111.32 * Math.cos((LAT * Math.PI) / 180));
const KM_LAT = 1 / 111.32;
const east = (km: number): [number, number] => [LON + km * KM_LON, LAT];

function straightRoad(km: number) {
  const b = new NetworkBuilder(() => 60);
  const v: number[] = [];
  for (let i = 0; i <= km * 4; i++) v.push(b.vertex(...east(i / 4)));
  for (let i = 0; i < km * 4; i++) b.add(v[i], v[i + 1], 'primary', '测试东路', false, 60);
  return b.build();
}

/** a box from x0 to x1 km along the road, h km high, centred on it */
function strip(x0: number, x1: number, h = 0.5) {
  const [a] = east(x0);
  const [b] = east(x1);
  const dy = (h / 2) * KM_LAT;
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [a, LAT - dy],
        [b, LAT - dy],
        [b, LAT + dy],
        [a, LAT + dy],
        [a, LAT - dy],
      ],
    ],
  };
}

const point = (p: [number, number]) => ({ type: 'Point' as const, coordinates: p });

describe('rescue forces', () => {
  let t: TestPlatform;
  let deps: an.AnalysesDeps;
  let commander: RequestCtx;
  let viewer: RequestCtx;
  beforeAll(async () => {
    t = await startTestPlatform();
    deps = t.module<ForcesInternal>('forces').deps;
    commander = await seededCtx(t.platform, 'commander');
    viewer = await seededCtx(t.platform, 'viewer');
    await t.module<GeoApi>('geo').installNetwork(systemCtx(), straightRoad(10), {
      name: 'east road',
      synthetic: true,
      source: 'test',
      attribution: 'test',
    });
  });
  afterAll(() => t?.stop());

  const station = (name: string, km: number, extra: Partial<TeamInput> = {}): TeamInput => ({
    name,
    type: 'fire_rescue',
    stationClass: 'class2',
    location: point(east(km)),
    ...extra,
  });

  describe('register', () => {
    it('keeps a team with its district, owner and first status, and refuses what breaks a rule by field', async () => {
      const team = await svc.createTeam(
        deps,
        commander,
        station('一号站', 0, { headcount: 20, equipment: [{ code: '2010205', quantity: 10 }] }),
      );
      expect(team.district?.code).toBe('371003');
      expect(team.status).toBe('available');
      expect(team.dispatchable).toBe(true);
      expect(team.flags).toEqual({ staleStatus: false, expiringCertificates: 0, expiredCertificates: 0 });
      expect(
        await refusal(svc.createTeam(deps, commander, { name: 'x', type: 'fire_rescue', location: point(east(1)) })),
      ).toMatchObject({
        code: 'STATION_CLASS_REQUIRED',
        status: 400,
        field: 'stationClass',
      });
      expect(
        await refusal(
          svc.createTeam(deps, commander, {
            name: 'x',
            type: 'volunteer',
            stationClass: 'class1',
            location: point(east(1)),
          }),
        ),
      ).toMatchObject({ code: 'STATION_CLASS_NOT_FIRE', field: 'stationClass' });
      const bad = await refusal(
        svc.createTeam(
          deps,
          commander,
          station('x', 1, {
            equipment: [
              { code: '2010205', quantity: 1 },
              { code: '9999999', quantity: 1 },
            ],
          }),
        ),
        'en',
      );
      expect(bad).toMatchObject({ code: 'UNKNOWN_SUPPLY_CODE', field: 'equipment.1.code' });
      expect(bad.message).toContain('9999999');
      expect(await refusal(svc.createTeam(deps, viewer, station('x', 1)))).toMatchObject({ status: 403 });
      expect(
        await refusal(
          svc.createTeam(deps, commander, { name: '', type: 'fire_rescue', location: point(east(1)) } as TeamInput),
        ),
      ).toMatchObject({
        status: 400,
        field: 'name',
      });
    });

    it('changes status with its history, and a version conflict on a stale edit', async () => {
      const team = await svc.createTeam(deps, commander, station('二号站', 2));
      const out = await svc.changeStatus(deps, commander, team.id, { status: 'deployed', note: '出动至火场' });
      expect(out.status).toBe('deployed');
      expect(out.dispatchable).toBe(false);
      const ids = async (dispatchable: boolean) =>
        (await svc.listTeams(deps, commander, { dispatchable, limit: 500 })).items.map((x) => x.id);
      expect(await ids(false)).toContain(team.id);
      expect(await ids(true)).not.toContain(team.id);
      await svc.changeStatus(deps, commander, team.id, { status: 'available' });
      const h = await svc.statusHistory(deps, commander, team.id, {});
      expect(h.items.map((e) => [e.status, e.previous])).toEqual([
        ['available', 'deployed'],
        ['deployed', 'available'],
        ['available', null],
      ]);
      expect(h.items[1].note).toBe('出动至火场');
      const edited = await svc.updateTeam(deps, commander, team.id, { headcount: 18, version: out.version + 1 });
      expect(edited.headcount).toBe(18);
      expect(
        await refusal(svc.updateTeam(deps, commander, team.id, { headcount: 1, version: out.version })),
      ).toMatchObject({
        code: 'VERSION_CONFLICT',
        status: 409,
      });
    });

    it('flags a status nobody confirmed and certificates that expire, and filters by them', async () => {
      const clock = t.platform.clock as { now: () => Date };
      const real = clock.now;
      const team = await svc.createTeam(deps, commander, station('三号站', 3));
      const today = real.call(clock);
      const inDays = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
      const m = await svc.addMember(deps, commander, team.id, {
        name: '王五',
        role: '驾驶员',
        phone: '13800001111',
        certificates: [
          { name: '驾驶资格', expiresOn: inDays(10) },
          { name: '旧证', expiresOn: inDays(-3) },
          { name: '长期证', expiresOn: inDays(900) },
        ],
        training: [
          { course: '应急驾驶', hours: 8, date: inDays(-30) },
          { course: '水域救援', hours: 12.5, date: inDays(-5) },
        ],
      });
      expect(m.certificates.map((c) => c.state)).toEqual(['expiring', 'expired', 'valid']);
      expect(m.trainingHours).toBe(20.5);
      expect((await svc.getTeam(deps, commander, team.id)).flags).toMatchObject({
        expiringCertificates: 1,
        expiredCertificates: 1,
      });
      // a viewer without personal.read sees the phone masked
      const seen = await svc.listMembers(deps, viewer, team.id);
      expect(seen.items[0].phone).not.toBe('13800001111');
      const expiring = await svc.listTeams(deps, commander, { flag: 'expiring' });
      expect(expiring.items.map((x) => x.id)).toContain(team.id);
      // eight days later the status is stale (the default 7 days) until someone confirms it
      clock.now = () => new Date(today.getTime() + 8 * 86_400_000);
      try {
        expect((await svc.getTeam(deps, commander, team.id)).flags.staleStatus).toBe(true);
        expect((await svc.listTeams(deps, commander, { flag: 'stale' })).items.map((x) => x.id)).toContain(team.id);
        await svc.changeStatus(deps, commander, team.id, { status: 'available' });
        expect((await svc.getTeam(deps, commander, team.id)).flags.staleStatus).toBe(false);
      } finally {
        clock.now = real;
      }
    });

    it('scopes teams to the district of the base and the owning unit', async () => {
      const huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
      const team = await svc.createTeam(deps, commander, station('文登四号站', 4));
      expect(await refusal(svc.getTeam(deps, huancui, team.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
      expect((await svc.listTeams(deps, huancui, {})).items.map((x) => x.id)).not.toContain(team.id);
      expect(await refusal(svc.createTeam(deps, huancui, station('越界站', 5, { ownerUnit: 'yjj' })))).toMatchObject({
        code: 'OUT_OF_SCOPE',
        field: 'location',
      });
      // its own unit's team based elsewhere is its own: the scope is the base's district plus the owning unit
      const own = await svc.createTeam(deps, huancui, station('环翠驻文登站', 5));
      expect(own.ownerUnit?.code).toBe('371002');
      expect((await svc.getTeam(deps, huancui, own.id)).id).toBe(own.id);
    });

    it('refuses an invalid polygon with the reason PostGIS gives, and writes none of a bad collection', async () => {
      const bow = {
        type: 'Polygon' as const,
        coordinates: [
          [
            [122.1, 37.5],
            [122.11, 37.51],
            [122.11, 37.5],
            [122.1, 37.51],
            [122.1, 37.5],
          ],
        ],
      };
      const r = await refusal(
        svc.createAreas(deps, commander, [{ kind: 'forest', name: '蝴蝶', geometry: bow }]),
        'en',
      );
      expect(r).toMatchObject({ code: 'INVALID_GEOMETRY', field: 'geometry' });
      expect(r.message).toMatch(/Self-intersection/i);
      const before = (await svc.listAreas(deps, commander, {})).total;
      const bad = await refusal(
        svc.importAreas(deps, commander, {
          kind: 'forest',
          collection: {
            type: 'FeatureCollection',
            features: [
              { type: 'Feature', properties: { name: '好' }, geometry: strip(0, 1) },
              { type: 'Feature', properties: { name: '坏' }, geometry: bow },
            ],
          },
        }),
      );
      expect(bad).toMatchObject({ code: 'INVALID_GEOMETRY', field: 'collection.features.1.geometry' });
      expect((await svc.listAreas(deps, commander, {})).total).toBe(before);
    });
  });

  describe('areas from a Shapefile', () => {
    it('reads a zipped Shapefile into areas with their names, and refuses a zip without one', async () => {
      const square = (x: number, y: number): [number, number][] => {
        const [a, b] = [LON + x * KM_LON, LAT + y * KM_LAT];
        // clockwise, closed
        return [
          [a, b],
          [a, b + KM_LAT],
          [a + KM_LON, b + KM_LAT],
          [a + KM_LON, b],
          [a, b],
        ];
      };
      const zip = await shapefileZip([
        { name: '林区甲', ring: square(1, 2) },
        { name: '林区乙', ring: square(4, 2) },
      ]);
      const areas = await svc.importAreasShapefile(deps, commander, { kind: 'forest', approximate: true }, zip);
      expect(areas.map((a) => a.name).sort()).toEqual(['林区乙', '林区甲'].sort());
      expect(areas.every((a) => a.kind === 'forest' && a.approximate && a.district?.code === '371003')).toBe(true);
      // one square kilometre each, measured on the spheroid by PostGIS
      for (const a of areas) expect(a.areaKm2).toBeCloseTo(1, 2);
      for (const a of areas) await svc.deleteArea(deps, commander, a.id);
      const notZip = await refusal(
        svc.importAreasShapefile(deps, commander, { kind: 'forest' }, Buffer.from('not a zip')),
      );
      expect(notZip).toMatchObject({ code: 'VALIDATION', field: 'file', status: 400 });
      expect(
        (await refusal(svc.importAreasShapefile(deps, commander, { kind: 'forest' }, Buffer.from('x')), 'en')).message,
      ).toContain('not a zip file');
      expect(await refusal(svc.importAreasShapefile(deps, viewer, { kind: 'forest' }, zip))).toMatchObject({
        status: 403,
      });
    });
  });

  describe('fire coverage on a known road', () => {
    it('covers the built-up cells a station drives to within minutes − turnout, and splits districts by first arrival', async () => {
      const a = await svc.createTeam(deps, commander, station('西站', 0.5, { stationClass: 'small' }));
      const b = await svc.createTeam(deps, commander, station('东站', 8.5, { stationClass: 'class1' }));
      const area = strip(-1, 12);
      const r = await an.fireCoverage(deps, commander, {
        minutes: 4,
        turnoutMinutes: 1,
        areas: area,
        teamIds: [a.id, b.id],
      });
      expect(r.driveMinutes).toBe(3);
      // independently: the cells a point of the road reached within 3 km of a station lies in
      const all = polygonToCells(area.coordinates, 9, true);
      const reached = new Set<string>();
      for (let m = 0; m <= 10_000; m += 5) {
        const x = m / 1000;
        if (Math.abs(x - 0.5) <= 3 || Math.abs(x - 8.5) <= 3) reached.add(latLngToCell(LAT, east(x)[0], 9));
      }
      const km2 = (cells: string[]) => cells.reduce((s, c) => s + cellArea(c, 'km2'), 0);
      const expected = km2(all.filter((c) => reached.has(c))) / km2(all);
      // the engine samples every 40 m; the check every 5 m: a cell the road only grazes may differ
      expect(Math.abs(r.coveredShare - expected)).toBeLessThan(0.03);
      expect(r.areaKm2).toBeCloseTo(km2(all), 2);
      const named = (n: string) => r.stations.find((s) => s.name === n) ?? r.stations[-1];
      const west = named('西站');
      const eastSt = named('东站');
      expect(west.offNetwork).toBe(false);
      // each reaches 3 km either way (the west one only 0.5 km west: the road starts there); no overlap: each keeps
      // what it reaches
      const reachedBetween = (from: number, to: number) => {
        const cells = new Set<string>();
        for (let m = from * 1000; m <= to * 1000; m += 5) cells.add(latLngToCell(LAT, east(m / 1000)[0], 9));
        return km2(all.filter((c) => cells.has(c)));
      };
      expect(Math.abs(west.districtKm2 - reachedBetween(0, 3.5))).toBeLessThan(0.1);
      expect(Math.abs(eastSt.districtKm2 - reachedBetween(5.5, 10))).toBeLessThan(0.1);
      expect(west.districtKm2 + eastSt.districtKm2).toBeCloseTo(r.coveredKm2, 3);
      expect(west.limitKm2).toBe(2);
      expect(eastSt.limitKm2).toBe(7);
      expect(west.withinLimit).toBe(west.districtKm2 <= 2);
      // per district: the strip lies in 文登区; districts without a boundary are null
      const hc = r.districts.find((d) => d.code === '371003');
      expect(hc?.areaKm2).toBeCloseTo(r.areaKm2, 3);
      expect(hc?.coveredShare).toBeCloseTo(r.coveredShare, 3);
      expect(r.districts.find((d) => d.code === 'gaoqu')?.coveredShare ?? null).toBeNull();
      // uncovered cells: what is not covered
      expect(
        (r.uncovered as { features: unknown[] }).features.length +
          (r.covered as { features: unknown[] }).features.length,
      ).toBe(all.length);
    });

    it('gives a contested cell to the station that drives to it first', async () => {
      const a = await svc.createTeam(deps, commander, station('甲', 2));
      const b = await svc.createTeam(deps, commander, station('乙', 6));
      const r = await an.fireCoverage(deps, commander, {
        minutes: 6,
        turnoutMinutes: 1,
        areas: strip(0, 10),
        teamIds: [a.id, b.id],
      });
      const sa = r.stations.find((s) => s.name === '甲') ?? r.stations[-1];
      const sb = r.stations.find((s) => s.name === '乙') ?? r.stations[-1];
      // 5 km of driving: 甲 (km 2) reaches km 0–7, 乙 (km 6) km 1–10; each keeps the cells nearer to it: 甲 km 0–4,
      // 乙 km 4–10 — four tenths and six tenths of the road's cells, within a cell or two
      expect(sa.districtKm2 + sb.districtKm2).toBeCloseTo(r.coveredKm2, 3);
      expect(sa.districtKm2 / r.coveredKm2).toBeCloseTo(0.4, 1);
      expect(sb.districtKm2 / r.coveredKm2).toBeCloseTo(0.6, 1);
      const covered = (r.covered as { features: { properties: { h3: string } }[] }).features;
      expect(covered.length).toBeGreaterThan(10);
      const centreX = (h3: string) => (cellToLatLng(h3)[1] - LON) / KM_LON;
      expect(covered.every((f) => centreX(f.properties.h3) > -0.5)).toBe(true);
    });

    it('leaves out stations that are not dispatchable and support stations, and says why', async () => {
      const s = await svc.createTeam(deps, commander, station('保障站', 1, { stationClass: 'support' }));
      const d = await svc.createTeam(deps, commander, station('出动站', 1));
      await svc.changeStatus(deps, commander, d.id, { status: 'deployed' });
      const r = await an.fireCoverage(deps, commander, { areas: strip(0, 3), teamIds: [s.id, d.id] });
      expect(r.coveredShare).toBe(0);
      expect(r.stations).toEqual([]);
      expect(r.excluded.map((e) => `${e.reason} ${e.status}`).sort()).toEqual([
        'not_dispatchable deployed',
        'support_station available',
      ]);
      expect(
        await refusal(an.fireCoverage(deps, commander, { minutes: 2, turnoutMinutes: 2, areas: strip(0, 3) })),
      ).toMatchObject({
        field: 'turnoutMinutes',
      });
      const other = await svc.createTeam(deps, commander, {
        name: '志愿队',
        type: 'volunteer',
        location: point(east(1)),
      });
      expect(
        await refusal(an.fireCoverage(deps, commander, { areas: strip(0, 3), teamIds: [other.id] })),
      ).toMatchObject({
        field: 'teamIds.0',
      });
    });
  });

  describe('forest coverage and chemical parks', () => {
    it('says which forest areas a team reaches, per district', async () => {
      const team = await svc.createTeam(deps, commander, {
        name: '森林队',
        type: 'forest_fire',
        location: point(east(0)),
      });
      const areas = await svc.createAreas(deps, commander, [
        { kind: 'forest', name: '近林', geometry: strip(2, 3, 1) },
        { kind: 'forest', name: '远林', geometry: strip(8, 9.5, 1) },
        // north of the road, nowhere near it
        {
          kind: 'forest',
          name: '山林',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [east(2)[0], LAT + 3 * KM_LAT],
                [east(3)[0], LAT + 3 * KM_LAT],
                [east(3)[0], LAT + 4 * KM_LAT],
                [east(2)[0], LAT + 4 * KM_LAT],
                [east(2)[0], LAT + 3 * KM_LAT],
              ],
            ],
          },
        },
      ]);
      expect(areas.map((a) => a.district?.code)).toEqual(['371003', '371003', '371003']);
      const r = await an.forestCoverage(deps, commander, { minutes: 5, teamIds: [team.id] });
      const byName = new Map(r.areas.map((a) => [a.name, a]));
      expect(byName.get('近林')?.reached).toBe(true);
      expect(byName.get('远林')?.reached).toBe(false);
      expect(byName.get('山林')?.reached).toBe(false);
      const hc = r.districts.find((d) => d.code === '371003');
      expect(hc?.covered).toBe(false);
      expect(hc?.missing.sort()).toEqual(expect.arrayContaining(['远林', '山林']));
      expect(r.districts.find((d) => d.code === '371002')?.covered).toBeNull();
      const longer = await an.forestCoverage(deps, commander, { minutes: 10, teamIds: [team.id] });
      expect(new Map(longer.areas.map((a) => [a.name, a.reached])).get('远林')).toBe(true);
      expect(longer.coveredShare).toBeGreaterThan(r.coveredShare);
    });

    it('finds a park compliant with a team inside it or near enough, and not otherwise', async () => {
      await svc.createAreas(deps, commander, [
        { kind: 'chemical_park', name: '东园', geometry: strip(9, 10, 0.6) },
        { kind: 'chemical_park', name: '西园', geometry: strip(0, 1, 0.6) },
      ]);
      const inside = await svc.createTeam(deps, commander, {
        name: '企业队',
        type: 'enterprise',
        location: point(east(9.5)),
      });
      const hazmat = await svc.createTeam(deps, commander, {
        name: '危化队',
        type: 'professional',
        specialties: ['hazardous_chemicals'],
        location: point(east(4)),
      });
      const r = await an.chemicalParks(deps, commander, { minutes: 2, teamIds: [inside.id, hazmat.id] });
      const park = (n: string) => r.items.find((p) => p.name === n);
      expect(park('东园')?.compliant).toBe(true);
      expect(park('东园')?.teams[0]).toMatchObject({ name: '企业队', inside: true, minutes: 0 });
      // the west park's centre is 3.5 km from the hazmat team: 3.5 minutes, more than 2
      expect(park('西园')?.compliant).toBe(false);
      const relaxed = await an.chemicalParks(deps, commander, { minutes: 4, teamIds: [inside.id, hazmat.id] });
      const west = relaxed.items.find((p) => p.name === '西园');
      expect(west?.compliant).toBe(true);
      expect(west?.teams[0].minutes).toBeCloseTo(3.5, 0);
    });
  });

  describe('station siting', () => {
    it('chooses the k sites an enumeration finds best, proven optimal, with the greedy plan and the least count', async () => {
      const area = strip(0, 10);
      const candidates = [1, 3, 5, 7, 9].map(east);
      const minutes = 3;
      const turnoutMinutes = 1;
      const r = await an.stationSiting(deps, commander, {
        k: 2,
        minutes,
        turnoutMinutes,
        candidates,
        areas: area,
        teamIds: [],
        targetShare: 0.5,
      });
      // independently: each candidate's cells (the geo door), every pair's covered area
      const sets = await deps.geo().coverageSets(commander, {
        origins: candidates,
        minutes: minutes - turnoutMinutes,
        area,
        profile: 'emergency',
      });
      const km2 = (idx: Iterable<number>) => [...new Set(idx)].reduce((a, i) => a + cellArea(sets.cells[i], 'km2'), 0);
      const total = sets.cells.reduce((a, c) => a + cellArea(c, 'km2'), 0);
      let best = 0;
      for (let i = 0; i < 5; i++)
        for (let j = i + 1; j < 5; j++) best = Math.max(best, km2([...(sets.sets[i] ?? []), ...(sets.sets[j] ?? [])]));
      expect(r.optimal).toBe(true);
      expect(r.gap).toBe(0);
      expect(r.objective).toBeCloseTo(best, 4);
      expect(r.coveredShareBefore).toBe(0);
      expect(r.coveredShareAfter).toBeCloseTo(best / total, 3);
      // km 3 and km 7 reach km 1–9: the best pair
      expect(r.sites.map((x) => x.location).sort()).toEqual([east(3), east(7)].sort());
      expect(r.sites.reduce((a, x) => a + x.marginalGain, 0)).toBeCloseTo(r.objective, 4);
      expect(r.greedy.objective).toBeLessThanOrEqual(r.objective + 1e-9);
      // the least number of sites for half the land, by enumeration of every subset
      let least = 99;
      for (let m = 1; m < 32; m++) {
        const chosen = [0, 1, 2, 3, 4].filter((b) => m & (1 << b));
        if (km2(chosen.flatMap((c) => [...(sets.sets[c] ?? [])])) >= 0.5 * total - 1e-9)
          least = Math.min(least, chosen.length);
      }
      expect(r.minSites).toMatchObject({ feasible: true, count: least, optimal: true });
      expect((r.reach as { features: unknown[] }).features).toHaveLength(r.sites.length);
    });

    it('counts what existing stations cover as covered before, and weighs demand points', async () => {
      const existing = await svc.createTeam(deps, commander, station('现有站', 1));
      const r = await an.stationSiting(deps, commander, {
        k: 1,
        minutes: 3,
        turnoutMinutes: 1,
        candidates: [east(2), east(8)],
        demand: [
          { location: east(1.2), weight: 100 },
          { location: east(8.1), weight: 30 },
          { location: east(2.2), weight: 10 },
        ],
        teamIds: [existing.id],
      });
      expect(r.demandSource).toBe('request');
      expect(r.coveredShareBefore).toBeCloseTo(110 / 140, 3);
      expect(r.sites.map((x) => x.location)).toEqual([east(8)]);
      expect(r.coveredShareAfter).toBe(1);
    });
  });
});
