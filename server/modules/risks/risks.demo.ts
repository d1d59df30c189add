/**
 * The demo's census layers and prevention projects: Weihai-like but invented (every name says 示例), flagged demo.
 * Points are drawn inside the districts' polygons the geo module holds (its demo boundary is DataV's GCJ-02 outline
 * converted to WGS-84), from a fixed seed so every demo install looks the same. The projects split the work plan's
 * task 9 targets (178 water-storage facilities, 101 km of fire roads, 2 geological hazard works by the end of 2022)
 * over the districts, with some progress reported.
 */
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js';
import type { CensusKind, ProjectInput } from '../../../contracts/risks.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import * as crepo from './census.repository.ts';
import { type Checked, writeLayer } from './census.service.ts';
import { type Geom, inPolygons, type Position, polygonsOf } from './geometry.ts';
import * as prepo from './projects.repository.ts';
import { insertProject, reportProgress } from './projects.service.ts';
import { districtAreas, type RisksDeps } from './risks.deps.ts';

/** mulberry32: a small seeded generator (the demo is the same on every install) */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** district seats (approximate, WGS-84): where towns, schools and people are */
const SEATS: Record<string, { at: Position; name: string; people: number }> = {
  '371002': { at: [122.116, 37.505], name: '环翠', people: 9000 },
  '371003': { at: [122.058, 37.194], name: '文登', people: 6000 },
  '371082': { at: [122.486, 37.165], name: '荣成', people: 5500 },
  '371083': { at: [121.539, 36.917], name: '乳山', people: 5000 },
};

interface Land {
  polys: Position[][][];
  byDistrict: Map<string, Position[][][]>;
}

function inside(land: Land, p: Position, district?: string): boolean {
  return inPolygons(p, district ? (land.byDistrict.get(district) ?? []) : land.polys);
}

/** a point near `at` (within `km`) on the district's land */
function near(land: Land, r: () => number, at: Position, km: number, district?: string): Position {
  for (let i = 0; i < 500; i++) {
    const a = r() * 2 * Math.PI;
    const d = Math.sqrt(r()) * km;
    const p: Position = [
      Math.round((at[0] + (d / (111.32 * Math.cos((at[1] * Math.PI) / 180))) * Math.cos(a)) * 1e6) / 1e6,
      Math.round((at[1] + (d / 111.32) * Math.sin(a)) * 1e6) / 1e6,
    ];
    if (inside(land, p, district)) return p;
  }
  return at;
}

/** a rough polygon of radius `km` around `at`, every vertex on land (smaller until it is) */
function blob(land: Land, r: () => number, at: Position, km: number): Geom | null {
  for (let k = km; k > 0.2; k *= 0.8) {
    const ring: Position[] = [];
    for (let i = 0; i < 10; i++) {
      const a = (i / 10) * 2 * Math.PI;
      const d = k * (0.7 + 0.3 * r());
      ring.push([
        Math.round((at[0] + (d / (111.32 * Math.cos((at[1] * Math.PI) / 180))) * Math.cos(a)) * 1e6) / 1e6,
        Math.round((at[1] + (d / 111.32) * Math.sin(a)) * 1e6) / 1e6,
      ]);
    }
    if (ring.every((p) => inside(land, p))) return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
  }
  return null;
}

const point = (p: Position): Geom => ({ type: 'Point', coordinates: p });

function feature(
  geometry: Geom,
  kind: CensusKind,
  name: string,
  o: { population?: number; capacity?: number; level?: number; props?: Record<string, unknown> } = {},
): Checked {
  return {
    row: 0,
    geometry,
    write: {
      kind,
      name,
      properties: { 说明: '演示数据，虚构', ...(o.props ?? {}) },
      population: o.population ?? null,
      capacity: o.capacity ?? null,
      hazardLevel: o.level ?? null,
    },
  };
}

const LEVEL = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4];

export async function loadRisksDemo(deps: RisksDeps): Promise<string | undefined> {
  if (await crepo.hasDemoLayers(deps.db.kysely)) return undefined;
  const areas = await districtAreas(deps).catch(() => []);
  if (!areas.length) return undefined;
  const land: Land = { polys: [], byDistrict: new Map() };
  for (const a of areas) {
    const ps = polygonsOf(a.geometry);
    land.polys.push(...ps);
    land.byDistrict.set(a.code, ps);
  }
  const seats = Object.entries(SEATS).filter(([code]) => land.byDistrict.has(code));
  if (!seats.length) return undefined;
  const r = rng(20210907);
  const ctx = systemCtx();
  const layers: { name: string; kind: CensusKind; features: Checked[] }[] = [];

  // hazards: geohazard sites in the hills away from the seats, flood zones by the coast and rivers, fire zones
  const geo: Checked[] = [];
  for (let i = 0; i < 30; i++) {
    const [code, s] = seats[i % seats.length];
    const p = near(land, r, s.at, 25, code);
    geo.push(
      feature(
        point(p),
        'geohazard_point',
        `${s.name}${['崩塌', '滑坡', '泥石流', '地面塌陷'][i % 4]}隐患点${i + 1}（示例）`,
        {
          level: LEVEL[Math.floor(r() * LEVEL.length)],
          population: Math.round(20 + r() * 300),
        },
      ),
    );
  }
  layers.push({ name: '地质灾害隐患点（示例）', kind: 'geohazard_point', features: geo });
  const floods: Checked[] = [];
  for (const [i, [, s]] of seats.slice(0, 3).entries()) {
    const g = blob(land, r, near(land, r, s.at, 3), 1.2);
    if (g) floods.push(feature(g, 'flood_zone', `${s.name}城区低洼易涝区（示例）`, { level: i + 2 }));
  }
  layers.push({ name: '洪涝风险区（示例）', kind: 'flood_zone', features: floods });
  const fires: Checked[] = [];
  for (const [i, [, s]] of seats.slice(0, 2).entries()) {
    const g = blob(land, r, near(land, r, s.at, 12), 3);
    if (g) fires.push(feature(g, 'forest_fire_zone', `${s.name}重点林区（示例）`, { level: i + 1 }));
  }
  layers.push({ name: '森林火险区（示例）', kind: 'forest_fire_zone', features: fires });
  const chem: Checked[] = [];
  for (let i = 0; i < 6; i++) {
    const [code, s] = seats[i % seats.length];
    chem.push(
      feature(point(near(land, r, s.at, 8, code)), 'hazardous_enterprise', `${s.name}化工企业${i + 1}（示例）`, {
        level: 2 + (i % 3),
      }),
    );
  }
  layers.push({ name: '危险化学品企业（示例）', kind: 'hazardous_enterprise', features: chem });

  // exposure: schools, hospitals, nursing homes near the seats; people on H3 res 8 cells around them
  const sites = (kind: CensusKind, n: number, label: string, km: number) => {
    const out: Checked[] = [];
    for (let i = 0; i < n; i++) {
      const [code, s] = seats[i % seats.length];
      out.push(
        feature(
          point(near(land, r, s.at, km, code)),
          kind,
          `${s.name}${label}${Math.floor(i / seats.length) + 1}（示例）`,
        ),
      );
    }
    return out;
  };
  layers.push({ name: '学校（示例）', kind: 'school', features: sites('school', 24, '第一中小学', 6) });
  layers.push({ name: '医院（示例）', kind: 'hospital', features: sites('hospital', 10, '人民医院', 5) });
  layers.push({ name: '养老机构（示例）', kind: 'nursing_home', features: sites('nursing_home', 12, '颐养院', 7) });
  const grid: Checked[] = [];
  for (const [code, s] of seats) {
    for (const h of gridDisk(latLngToCell(s.at[1], s.at[0], 8), 5)) {
      const ring = cellToBoundary(h, true).map(
        ([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6] as Position,
      );
      if (!ring.every((p) => inside(land, p, code))) continue;
      const c = ring.reduce((a, p) => [a[0] + p[0] / ring.length, a[1] + p[1] / ring.length], [0, 0]);
      const km = Math.hypot((c[0] - s.at[0]) * 88, (c[1] - s.at[1]) * 111);
      const people = Math.round(s.people * Math.exp(-km / 1.8) * (0.6 + 0.8 * r()) + 50);
      grid.push(
        feature({ type: 'Polygon', coordinates: [[...ring, ring[0]]] }, 'population_grid', `${s.name} ${h}`, {
          population: people,
          props: { h3: h },
        }),
      );
    }
  }
  layers.push({ name: '人口网格 H3-8（示例）', kind: 'population_grid', features: grid });

  // shelters and prevention works
  const shelters: Checked[] = [];
  for (let i = 0; i < 10; i++) {
    const [code, s] = seats[i % seats.length];
    shelters.push(
      feature(
        point(near(land, r, s.at, 5, code)),
        'shelter',
        `${s.name}应急避难场所${Math.floor(i / seats.length) + 1}（示例）`,
        {
          capacity: 1000 + Math.round(r() * 9) * 500,
          props: { 设施: '供水、供电、厕所、医疗点' },
        },
      ),
    );
  }
  layers.push({ name: '应急避难场所（示例）', kind: 'shelter', features: shelters });
  const works: Checked[] = [];
  for (let i = 0; i < 20; i++) {
    const [code, s] = seats[i % seats.length];
    works.push(
      feature(
        point(near(land, r, s.at, 20, code)),
        'prevention_work',
        `${s.name}${['护坡', '排洪渠', '防火隔离带', '蓄水池'][i % 4]}工程${i + 1}（示例）`,
      ),
    );
  }
  layers.push({ name: '防灾减灾工程（示例）', kind: 'prevention_work', features: works });

  let n = 0;
  for (const l of layers) {
    if (!l.features.length) continue;
    await writeLayer(
      deps,
      ctx,
      {
        kind: l.kind,
        name: l.name,
        source: '演示数据（虚构）',
        datum: 'wgs84',
        demo: true,
        format: 'geojson',
        file: null,
      },
      l.features,
    );
    n += l.features.length;
  }
  const projects = await loadProjectsDemo(
    deps,
    ctx,
    seats.map(([code]) => code),
    r,
  );
  return `census: ${layers.length} demo layers, ${n} features; ${projects} prevention projects`;
}

/** The task 9 targets split over the districts, with cumulative progress reported (the demo's "today"). */
async function loadProjectsDemo(
  deps: RisksDeps,
  ctx: RequestCtx,
  districts: string[],
  r: () => number,
): Promise<number> {
  if (await prepo.hasDemoProjects(deps.db.kysely)) return 0;
  const split = (total: number, parts: number) => {
    const base = Math.floor(total / parts);
    return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
  };
  const today = cityDate(deps.clock.now());
  const inputs: (ProjectInput & { done: number })[] = [];
  const names: Record<string, string> = {
    '371002': '环翠区',
    '371003': '文登区',
    '371082': '荣成市',
    '371083': '乳山市',
  };
  for (const [i, q] of split(178, districts.length).entries())
    inputs.push({
      name: `${names[districts[i]] ?? districts[i]}森林防火储水设施建设（示例）`,
      type: 'water_storage',
      district: districts[i],
      targetQuantity: q,
      unit: '处',
      responsibleUnit: '市林业局（示例）',
      startDate: '2021-03-01',
      endDate: '2023-12-31',
      notes: '威海市应急体系建设规划任务 9：新建储水设施 178 处（按区市分解，示例）',
      done: Math.round(q * (0.5 + 0.5 * r())),
    });
  for (const [i, q] of split(101, districts.length).entries())
    inputs.push({
      name: `${names[districts[i]] ?? districts[i]}森林防火通道新建改造（示例）`,
      type: 'fire_road',
      district: districts[i],
      targetQuantity: q,
      unit: '公里',
      responsibleUnit: '市林业局（示例）',
      startDate: '2021-03-01',
      endDate: '2023-12-31',
      notes: '任务 9：新建改造森林防火通道 101 公里（按区市分解，示例）',
      done: Math.round(q * (0.3 + 0.7 * r()) * 10) / 10,
    });
  for (const [i, d] of districts.slice(0, 2).entries())
    inputs.push({
      name: `${names[d] ?? d}地质灾害综合治理工程（示例）`,
      type: 'geohazard_works',
      district: d,
      targetQuantity: 1,
      unit: '处',
      responsibleUnit: '市自然资源和规划局（示例）',
      startDate: '2021-06-01',
      endDate: '2022-12-31',
      notes: '任务 9：2022 年底前完成 2 处地质灾害综合治理工程（示例）',
      done: i === 0 ? 1 : 0,
    });
  const now = deps.clock.now();
  for (const { done, ...input } of inputs) {
    const id = await deps.db.transaction((trx) => insertProject(deps, trx, ctx, input, now, { demo: true }));
    if (done <= 0) continue;
    // two reports: about half by the first anniversary, the rest by the latest day the plan allows
    const mid = `${Number(input.startDate.slice(0, 4)) + 1}-03-31`;
    if (mid < today)
      await reportProgress(
        deps,
        ctx,
        id,
        { date: mid, quantity: Math.floor(done / 2), note: '示例进度' },
        { quiet: true },
      );
    const last = [today, input.endDate].sort()[0];
    await reportProgress(deps, ctx, id, { date: last, quantity: done, note: '示例进度' }, { quiet: true });
  }
  return inputs.length;
}
