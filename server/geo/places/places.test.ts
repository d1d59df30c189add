/**
 * The gazetteer: places read from a real OSM extract, junctions of named roads, the administrative units, the demo's
 * towns found by characters, pinyin, initials and English; ranking; the place list's import and its scope.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { SHARED_DATA } from '../../test/template.ts';
import type { GeoInternal } from '../module.ts';
import { NetworkBuilder } from '../network-builder.ts';
import { readOsmNetwork } from '../osm/osm-import.ts';
import { junctionPlaces } from './junctions.ts';
import { type PlaceEntry, PlaceIndex } from './place-index.ts';
import { loadPlaceDemo, WEIHAI_TOWNS } from './places.demo.ts';
import { placeImport } from './places.import.ts';
import { ensureAdminPlaces } from './places.repository.ts';
import * as svc from './places.service.ts';

let tp: TestPlatform;
let geo: GeoInternal;
let duty: RequestCtx;

beforeAll(async () => {
  tp = await startTestPlatform();
  geo = tp.module<GeoInternal>('geo');
  duty = await ctxAs(tp.platform, 'duty_officer', 'yjj', 'city');
});
afterAll(() => tp.stop());

const search = async (q: string, near?: string, ctx = duty) =>
  (await svc.searchPlaces(geo.placeDeps, ctx, { q, near, limit: 10 })).items;

/** Two crossing streets (one of them a dual carriageway: two crossings 30 m apart) and a third road far away. */
function crossingNetwork(names: { a: string; b: string; c: string }) {
  const b = new NetworkBuilder(() => 30);
  const road = (pts: [number, number][], name: string) => {
    const v = pts.map(([x, y]) => b.vertex(x, y));
    for (let i = 0; i + 1 < v.length; i++) b.add(v[i], v[i + 1], 'secondary', name);
  };
  // a: west–east through 37.500; b: two carriageways north–south at 122.1200 and 122.12034 (≈30 m apart)
  road(
    [
      [122.11, 37.5],
      [122.12, 37.5],
      [122.12034, 37.5],
      [122.13, 37.5],
    ],
    names.a,
  );
  road(
    [
      [122.12, 37.49],
      [122.12, 37.5],
      [122.12, 37.51],
    ],
    names.b,
  );
  road(
    [
      [122.12034, 37.49],
      [122.12034, 37.5],
      [122.12034, 37.51],
    ],
    names.b,
  );
  // c meets a again 1 km east: another junction of another pair
  road(
    [
      [122.13, 37.49],
      [122.13, 37.5],
    ],
    names.c,
  );
  return b.build();
}

describe('places from a road network', () => {
  it('the OSM import of a real extract reads named places with their kinds and English names', async () => {
    const monaco = await readOsmNetwork(join(SHARED_DATA, 'osm/monaco.osm.pbf'));
    const kinds = new Set(monaco.places.map((p) => p.kind));
    for (const k of ['hospital', 'school', 'police', 'station', 'suburb', 'ferry_terminal']) expect(kinds).toContain(k);
    expect(monaco.places.every((p) => p.name.length > 0 && Number.isFinite(p.lon) && Number.isFinite(p.lat))).toBe(
      true,
    );
    // ways (hospital grounds, stadiums) at a point inside Monaco, not at 0,0
    const ways = monaco.places.filter((p) => p.ref.startsWith('w'));
    expect(ways.length).toBeGreaterThan(0);
    for (const w of ways) {
      expect(w.lon).toBeGreaterThan(7.3);
      expect(w.lat).toBeGreaterThan(43.6);
    }
    expect(monaco.stats.places).toBe(monaco.places.length);
    // Shanghai: a metro station with its Chinese name and its English one
    const sh = await readOsmNetwork(join(SHARED_DATA, 'osm/shanghai_center.osm'));
    expect(sh.places).toContainEqual(
      expect.objectContaining({ kind: 'station', name: '江苏路', nameEn: 'Jiangsu Road' }),
    );
  });

  it('an import (in its child process) brings the extract’s places; the next network replaces them', async () => {
    const { wait } = await geo.networks.startOsmImport(systemCtx(), join(SHARED_DATA, 'osm/shanghai_center.osm'), {});
    const job = await wait;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect((job.stats as { places: number }).places).toBeGreaterThan(0);
    const [station] = await search('Jiangsu Road');
    expect(station).toMatchObject({ name: '江苏路', nameEn: 'Jiangsu Road', kind: 'station', source: 'osm' });
    // and junctions of its named roads, in both languages where OSM has both
    const junctions = (await search('交叉口')).filter((h) => h.source === 'junction');
    expect(junctions.length).toBeGreaterThan(0);
    expect((await search('Rd &')).length + (await search('Road &')).length).toBeGreaterThan(0);
    const other = crossingNetwork({ a: '海滨路', b: '新威路', c: '统一路' });
    await geo.networks.installNetwork(systemCtx(), other, [], {
      name: 'x',
      synthetic: true,
      source: 't',
      attribution: 't',
    });
    expect(await search('Jiangsu Road')).toEqual([]);
  });

  it('junctions of named roads: one per pair of names within 100 m, English only when both roads have it', () => {
    const net = crossingNetwork({ a: '文化路', b: '青岛路', c: '海港路' });
    net.namesEn = net.names.map((n) => ({ 文化路: 'Wenhua Rd', 青岛路: 'Qingdao Rd' })[n] ?? null);
    const j = junctionPlaces(net);
    // roads of one class in the order of their names' pinyin
    expect(j.map((p) => p.name).sort()).toEqual(['海港路与文化路交叉口', '青岛路与文化路交叉口']);
    expect(j.find((p) => p.name === '青岛路与文化路交叉口')?.nameEn).toBe('Qingdao Rd & Wenhua Rd');
    expect(j.find((p) => p.name === '海港路与文化路交叉口')?.nameEn).toBeNull();
  });

  it('a network brings its places; replacing it replaces them', async () => {
    const first = crossingNetwork({ a: '文化路', b: '青岛路', c: '海港路' });
    await geo.networks.installNetwork(systemCtx(), first, [], {
      name: 'one',
      synthetic: true,
      source: 't',
      attribution: 't',
    });
    const hit = (await search('青岛路与文化路'))[0];
    expect(hit).toMatchObject({
      name: '青岛路与文化路交叉口',
      kind: 'junction',
      source: 'junction',
      districtCode: '371002',
    });
    expect(hit.point[0]).toBeCloseTo(122.12, 3);
    // a synthetic network's junctions are demo data
    expect(hit.demo).toBe(true);
    // with the roads in the other order, and by the pinyin initials
    expect((await search('文化路与青岛路'))[0]?.name).toBe('青岛路与文化路交叉口');
    expect((await search('qdlywhl')).map((h) => h.name)).toContain('青岛路与文化路交叉口');

    const second = crossingNetwork({ a: '统一路', b: '新威路', c: '海滨路' });
    await geo.networks.installNetwork(systemCtx(), second, [], {
      name: 'two',
      synthetic: true,
      source: 't',
      attribution: 't',
    });
    expect(await search('青岛路与文化路')).toEqual([]);
    expect((await search('统一路与新威路'))[0]?.name).toBe('统一路与新威路交叉口');
  });
});

describe('search', () => {
  it('finds the administrative units, in both languages', async () => {
    const [h] = await search('环翠');
    expect(h).toMatchObject({ name: '环翠区', kind: 'district', source: 'admin', districtCode: '371002' });
    expect(h.nameEn).toMatch(/Huancui/);
    expect((await search('rongcheng')).map((x) => x.name)).toContain('荣成市');
    expect((await search('济南')).map((x) => x.kind)).toContain('city');
  });

  it('an installation whose boundaries came before the gazetteer gets its districts as places at the next start', async () => {
    const db = tp.platform.db.kysely;
    await db.deleteFrom('places').where('source', '=', 'admin').execute();
    expect(await ensureAdminPlaces(db, () => tp.platform.ids.next(), new Date())).toBeGreaterThanOrEqual(4);
    expect(await ensureAdminPlaces(db, () => tp.platform.ids.next(), new Date())).toBe(0);
    geo.places.invalidate();
    expect((await search('乳山'))[0]).toMatchObject({ name: '乳山市', source: 'admin' });
  });

  it('sd, shidao, 石岛 and Shidao find 石岛 on the demo list, marked demo and approximate', async () => {
    await loadPlaceDemo(geo.placeDeps, systemCtx());
    for (const q of ['sd', 'shidao', '石岛', 'Shidao', 'SHIDAO']) {
      const [h] = await search(q, '122.43,36.9');
      expect(h, q).toMatchObject({
        name: '石岛管理区',
        source: 'list',
        demo: true,
        approximate: true,
        districtCode: '371082',
      });
      expect(h.nameEn).toBe('Shidao Administrative Area');
    }
    expect((await search('Huancuilou Subdistrict'))[0]?.name).toBe('环翠楼街道');
    // each town's approximate seat lies in its own district, on land
    for (const [code, towns] of Object.entries(WEIHAI_TOWNS)) {
      for (const [name, lon, lat] of towns) expect((await geo.districtAt(lon, lat))?.code, name).toBe(code);
    }
    // loaded once
    expect(await loadPlaceDemo(geo.placeDeps, systemCtx())).toMatch(/already/);
  });

  it('ranks an exact town above a POI holding its name, and nearer first among equals', () => {
    const at = (id: string, name: string, kind: string, lon: number, lat = 37.0): PlaceEntry => ({
      id,
      name,
      nameEn: null,
      kind,
      source: 'osm',
      districtCode: null,
      lon,
      lat,
      demo: false,
      approximate: false,
    });
    const index = new PlaceIndex([
      at('hospital', '青山镇卫生院', 'hospital', 122.0),
      at('junction', '青山镇路与海滨路交叉口', 'junction', 122.0),
      at('far', '人民医院', 'hospital', 122.5),
      at('town', '青山镇', 'town', 122.3),
      at('near', '人民医院', 'hospital', 122.01),
    ]);
    const names = (q: string) => index.search(q, { near: [122.0, 37.0] }).map((m) => m.entry.id);
    expect(names('青山镇')).toEqual(['town', 'hospital', 'junction']);
    expect(names('qsz')).toEqual(['town', 'hospital', 'junction']);
    expect(index.search('青山镇', { near: [122.0, 37.0] })[0].match).toBe('exact');
    expect(names('人民医院')).toEqual(['near', 'far']);
    expect(names('医院')).toEqual(['near', 'far']);
    expect(names('卫生院')).toEqual(['hospital']);
  });

  it('the map search box finds places, with their kind and nearer ones first', async () => {
    const hits = await tp.platform.map.search(duty.actor, '石岛', 5, { near: [122.43, 36.9] });
    const place = hits.find((h) => h.kind === 'place');
    expect(place).toMatchObject({ name: '石岛管理区', placeKind: 'area' });
    expect(place?.subtitle).toContain('示例数据');
    expect(place?.subtitleEn).toContain('demo data');
  });
});

describe('the place list', () => {
  async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  async function run(data: Buffer, mode: 'dry-run' | 'commit', ctx = duty): Promise<ImportReport> {
    const { done } = await startImport(
      tp.platform,
      placeImport(geo.placeDeps),
      ctx,
      { name: 'places.xlsx', data },
      {
        mode,
        datum: 'wgs84',
      },
    );
    const job = await done;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    return job.result as ImportReport;
  }
  const countList = async () => (await svc.listListPlaces(geo.placeDeps, duty, { limit: 1 })).total;

  it('an Excel import reports every bad row and writes none of a failed batch', async () => {
    const header = ['名称', '英文名称', '类别', '经度', '纬度', '位置近似', '备注'];
    const bad = await xlsxOf([
      header,
      ['威海港客运站', 'Weihai Port Passenger Terminal', 'ferry_terminal', 122.12, 37.505, '否', null],
      [null, null, 'town', 122.1, 37.5, null, null],
      ['某地', null, '火星', 122.1, 37.5, null, null],
      ['某地二', null, 'town', 122.1, 95, null, null],
    ]);
    const before = await countList();
    for (const mode of ['dry-run', 'commit'] as const) {
      const r = await run(bad, mode);
      expect(r).toMatchObject({ rows: 4, accepted: 1, imported: 0 });
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, '名称', 'IMPORT_REQUIRED'],
        [4, '类别', 'IMPORT_NOT_IN_LIST'],
        [5, '纬度', 'IMPORT_OUT_OF_RANGE'],
      ]);
      expect(await countList()).toBe(before);
    }
    const good = await xlsxOf([
      header,
      ['威海港客运站', 'Weihai Port Passenger Terminal', '客运码头', 122.12, 37.505, '否', null],
    ]);
    expect(await run(good, 'commit')).toMatchObject({ rows: 1, imported: 1 });
    expect(await countList()).toBe(before + 1);
    expect((await search('weihai port'))[0]).toMatchObject({
      name: '威海港客运站',
      kind: 'ferry_terminal',
      districtCode: '371002',
    });
  });

  it('is kept by those allowed, each district its own places', async () => {
    const viewer = await ctxAs(tp.platform, 'viewer', 'yjj', 'city');
    const huancui = await ctxAs(tp.platform, 'district_staff', '371002', 'district');
    const wendeng = await ctxAs(tp.platform, 'district_staff', '371003', 'district');
    const input = { name: '环翠区应急避难场所', kind: 'shelter' as const, point: [122.12, 37.5] as [number, number] };
    expect((await refusal(svc.createListPlace(geo.placeDeps, viewer, input))).code).toBe('FORBIDDEN');
    expect((await refusal(svc.listListPlaces(geo.placeDeps, viewer, {}))).code).toBe('FORBIDDEN');
    // the viewer still finds places
    expect((await search('环翠', undefined, viewer)).length).toBeGreaterThan(0);

    const p = await svc.createListPlace(geo.placeDeps, huancui, input);
    expect(p).toMatchObject({ districtCode: '371002', version: 1, demo: false });
    expect((await search('环翠区应急避难'))[0]?.id).toBe(p.id);
    const change = { ...input, name: '文登改名', version: p.version };
    expect((await refusal(svc.updateListPlace(geo.placeDeps, wendeng, p.id, change))).code).toBe('OUT_OF_SCOPE');
    expect((await refusal(svc.deleteListPlace(geo.placeDeps, wendeng, p.id))).code).toBe('OUT_OF_SCOPE');
    // the city's duty officer may; a stale version is refused
    const renamed = await svc.updateListPlace(geo.placeDeps, duty, p.id, {
      ...input,
      name: '环翠避难场所',
      version: 1,
    });
    expect(renamed.version).toBe(2);
    expect((await refusal(svc.updateListPlace(geo.placeDeps, huancui, p.id, { ...input, version: 1 }))).code).toBe(
      'VERSION_CONFLICT',
    );
    await svc.deleteListPlace(geo.placeDeps, huancui, p.id);
    expect(await search('环翠避难场所')).toEqual([]);
  });

  it('exports the list as a workbook that names its demo places', async () => {
    const { file, rows } = await svc.exportListPlaces(geo.placeDeps, duty, { q: '石岛' });
    expect(rows).toBe(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toContain('名称');
    expect(ws.getRow(2).values).toContain('石岛管理区');
  });
});
