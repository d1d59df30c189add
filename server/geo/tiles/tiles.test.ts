import { VectorTile } from '@mapbox/vector-tile';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../platform/core/ids.ts';
import { type Db, openDb } from '../../platform/db/index.ts';
import { registerErrorHandler } from '../../platform/http/errors.plugin.ts';
import { freshDatabase } from '../../test/template.ts';
import { SYNTHETIC_ATTRIBUTION } from './map-style.ts';
import { tileRoutes } from './tiles.routes.ts';
import { createTileService, type TileNetwork } from './tiles.service.ts';

/** The tile of zoom z holding a point. */
function tileAt(lon: number, lat: number, z: number): [number, number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n)];
}

function decode(bytes: Buffer) {
  return new VectorTile(new PbfReader(bytes));
}

function featuresOf(bytes: Buffer, layer: string) {
  const l = decode(bytes).layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
}

interface Glyph {
  id: number;
  bitmap?: Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
  advance: number;
}

/** glyphs.proto as MapLibre reads it: stacks (1) of name (1), range (2), glyphs (3). */
function decodeGlyphs(bytes: Buffer) {
  const stacks: { name?: string; range?: string; glyphs: Glyph[] }[] = [];
  new PbfReader(bytes).readFields((tag, _, pbf) => {
    if (tag !== 1) return;
    const stack = pbf.readMessage(
      (t, s: (typeof stacks)[number], p) => {
        if (t === 1) s.name = p.readString();
        else if (t === 2) s.range = p.readString();
        else if (t === 3) {
          s.glyphs.push(
            p.readMessage(
              (gt, g: Glyph, gp) => {
                if (gt === 1) g.id = gp.readVarint();
                else if (gt === 2) g.bitmap = gp.readBytes();
                else if (gt === 3) g.width = gp.readVarint();
                else if (gt === 4) g.height = gp.readVarint();
                else if (gt === 5) g.left = gp.readSVarint();
                else if (gt === 6) g.top = gp.readSVarint();
                else if (gt === 7) g.advance = gp.readVarint();
              },
              { id: 0, width: 0, height: 0, left: 0, top: 0, advance: 0 },
            ),
          );
        }
      },
      { glyphs: [] },
    );
    stacks.push(stack);
  }, null);
  return stacks;
}

// A few roads in Huancui (环翠区), Weihai: one of each drawn class, two named in English too.
const ROADS: { name: string | null; nameEn: string | null; cls: string; oneway: string; line: [number, number][] }[] = [
  {
    name: '威青高速',
    nameEn: 'Weiqing Expressway',
    cls: 'motorway',
    oneway: 'forward',
    line: [
      [122.08, 37.49],
      [122.16, 37.5],
    ],
  },
  {
    name: '世昌大道',
    nameEn: 'Shichang Avenue',
    cls: 'primary',
    oneway: 'both',
    line: [
      [122.1, 37.5],
      [122.12, 37.505],
      [122.14, 37.51],
    ],
  },
  {
    name: '统一路',
    nameEn: null,
    cls: 'secondary_link',
    oneway: 'both',
    line: [
      [122.118, 37.5],
      [122.12, 37.51],
    ],
  },
  {
    name: '小巷',
    nameEn: null,
    cls: 'residential',
    oneway: 'both',
    line: [
      [122.119, 37.504],
      [122.121, 37.506],
    ],
  },
  {
    name: null,
    nameEn: null,
    cls: 'service',
    oneway: 'backward',
    line: [
      [122.1195, 37.5045],
      [122.1205, 37.5055],
    ],
  },
];

const POINT: [number, number] = [122.12, 37.505];

describe('offline vector basemap', () => {
  let fresh: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  let app: FastifyInstance;
  let queries = 0;
  let version = 'v1';
  const network: TileNetwork = { id: uuidv7(), name: '示例路网', synthetic: true, attribution: 'generated' };
  let service: ReturnType<typeof createTileService>;

  async function addRoad(seg: number, r: (typeof ROADS)[number]) {
    const wkt = `LINESTRING(${r.line.map((p) => p.join(' ')).join(',')})`;
    await sql`insert into roads (network_id, seg, name, name_en, class, oneway, meters, geom)
      values (${network.id}, ${seg}, ${r.name}, ${r.nameEn}, ${r.cls}, ${r.oneway}, 100,
              st_geomfromtext(${wkt}, 4326))`.execute(db.kysely);
  }

  beforeAll(async () => {
    // the template database: migrated, with Weihai's districts and Shandong's other cities
    fresh = await freshDatabase();
    db = await openDb(fresh);
    await db.kysely
      .insertInto('road_networks')
      .values({
        id: network.id,
        name: network.name,
        source: 'test',
        attribution: network.attribution,
        synthetic: true,
        status: 'ready',
        created_at: new Date(),
      })
      .execute();
    for (const [i, r] of ROADS.entries()) await addRoad(i, r);
    await sql`insert into map_areas (network_id, id, kind, name, geom) values (${network.id}, 7, 'water', '里口山水库',
      st_geomfromtext('POLYGON((122.117 37.503, 122.123 37.503, 122.123 37.507, 122.117 37.507, 122.117 37.503))', 4326))`.execute(
      db.kysely,
    );
    const counted = db.kysely.withPlugin({
      transformQuery: (a) => {
        queries++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const deps = {
      db: { ...db, kysely: counted } as Db,
      network: () => network,
      version: () => version,
      boundaryNamesEn: () => ({ '371002': 'Huancui District' }),
    };
    service = createTileService(deps);
    app = Fastify();
    registerErrorHandler(app);
    tileRoutes(app, { ...deps, service });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await fresh?.drop();
  });

  it('draws the districts, their labels and the roads of a tile over Weihai', async () => {
    const [z, x, y] = tileAt(...POINT, 14);
    const r = await app.inject({ url: `/tiles/${z}/${x}/${y}.mvt` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const bytes = r.rawPayload;
    const district = featuresOf(bytes, 'boundaries').find((f) => f.properties.code === '371002');
    expect(district?.properties).toMatchObject({ kind: 'district', name: '环翠区', name_en: 'Huancui District' });
    expect(district?.type).toBe(3);

    const roads = featuresOf(bytes, 'roads');
    const byName = new Map(roads.map((f) => [f.properties.name, f.properties]));
    expect(byName.get('威青高速')).toMatchObject({
      class: 'motorway',
      name_en: 'Weiqing Expressway',
      oneway: 'forward',
      synthetic: true,
    });
    expect(byName.get('世昌大道')).toMatchObject({ class: 'primary', name_en: 'Shichang Avenue', oneway: 'both' });
    // links are drawn as their road, residential and service streets as minor roads
    expect(byName.get('统一路')?.class).toBe('secondary');
    expect(byName.get('小巷')?.class).toBe('minor');
    expect(roads.find((f) => f.properties.oneway === 'backward')?.properties.class).toBe('minor');
    expect(roads.every((f) => f.type === 2)).toBe(true);
    expect(new Set(roads.map((f) => f.id))).toEqual(new Set([0, 1, 2, 3, 4]));

    const [water] = featuresOf(bytes, 'water');
    expect(water).toMatchObject({ id: 7, type: 3, properties: { name: '里口山水库', synthetic: true } });
  });

  it('draws districts alone before any road network is imported', async () => {
    const none = createTileService({ db, network: () => null, version: () => version });
    const tile = decode(await none.tile(...tileAt(...POINT, 14)));
    // (this tile also holds 环翠区's label: it stands at the seat of government, in the city where POINT is)
    expect(Object.keys(tile.layers)).toContain('boundaries');
    expect(Object.keys(tile.layers)).not.toContain('roads');
    await none.prepare();
    const style = none.style('zh', 'http://x') as { sources: { anlan: { attribution: string } } };
    expect(style.sources.anlan.attribution).not.toContain(SYNTHETIC_ATTRIBUTION);
    expect(style.sources.anlan.attribution).toContain('DataV.GeoAtlas');
  });

  it('leaves minor roads out of low zooms and puts each district label in one tile', async () => {
    const bytes = await service.tile(...tileAt(...POINT, 10));
    const classes = featuresOf(bytes, 'roads').map((f) => f.properties.class);
    expect(classes.sort()).toEqual(['motorway', 'primary', 'secondary']);
    const low = featuresOf(await service.tile(...tileAt(...POINT, 7)), 'roads').map((f) => f.properties.class);
    expect(low).toEqual(['motorway']);
    // no road class is drawn below zoom 5: the world tile holds the districts alone
    const world = decode(await service.tile(0, 0, 0));
    expect(Object.keys(world.layers).sort()).toEqual(['boundaries', 'boundary_labels']);
    // zoom 5: the whole of Shandong in one tile, every label once
    const labels = featuresOf(await service.tile(...tileAt(...POINT, 5)), 'boundary_labels');
    const names = labels.map((f) => f.properties.name);
    expect(names).toContain('环翠区');
    expect(names).toContain('烟台市');
    expect(new Set(names).size).toBe(names.length);
    expect(labels.every((f) => f.type === 1)).toBe(true);
  });

  it('answers an empty tile far from any data', async () => {
    const [z, x, y] = tileAt(-30, 0, 9);
    const bytes = await service.tile(z, x, y);
    expect(Object.keys(decode(bytes).layers)).toEqual([]);
    const r = await app.inject({ url: `/tiles/${z}/${x}/${y}.mvt` });
    expect(r.statusCode).toBe(204);
    expect(r.rawPayload.length).toBe(0);
  });

  it.each([
    ['/tiles/23/0/0.mvt', 'z'],
    ['/tiles/a/0/0.mvt', 'z'],
    ['/tiles/3/8/0.mvt', 'x'],
    ['/tiles/3/-1/0.mvt', 'x'],
    ['/tiles/3/0/8.mvt', 'y'],
    ['/tiles/0/0/1.mvt', 'y'],
  ])('refuses %s naming the field %s', async (url, field) => {
    const r = await app.inject({ url, headers: { 'accept-language': 'en' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'VALIDATION', field });
  });

  it('serves a cached tile again without a query, and one query for concurrent requests', async () => {
    const [z, x, y] = tileAt(...POINT, 13);
    const before = queries;
    const first = await service.tile(z, x, y);
    expect(queries - before).toBe(1);
    const again = await service.tile(z, x, y);
    expect(again.equals(first)).toBe(true);
    expect(queries - before).toBe(1);

    const [z2, x2, y2] = tileAt(...POINT, 12);
    const mark = queries;
    const all = await Promise.all(Array.from({ length: 5 }, () => service.tile(z2, x2, y2)));
    expect(queries - mark).toBe(1);
    expect(all.every((b) => b.equals(all[0]))).toBe(true);
  });

  it('answers 304 to a browser holding the current tile', async () => {
    const url = `/tiles/${tileAt(...POINT, 14).join('/')}.mvt`;
    const first = await app.inject({ url });
    const etag = String(first.headers.etag);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('draws the new data once the version moves', async () => {
    // in Rushan, far from the tiles the other tests draw: whichever runs first, theirs stay as they expect
    const [z, x, y] = tileAt(121.5412, 36.9195, 15);
    const url = `/tiles/${z}/${x}/${y}.mvt`;
    const old = await app.inject({ url });
    await addRoad(99, {
      name: '新建路',
      nameEn: 'New Road',
      cls: 'tertiary',
      oneway: 'both',
      line: [
        [121.5405, 36.92],
        [121.542, 36.919],
      ],
    });
    // same version: the cached tile, same ETag
    const cached = await service.tile(z, x, y);
    expect(featuresOf(cached, 'roads').map((f) => f.properties.name)).not.toContain('新建路');
    version = 'v2';
    const before = queries;
    const fresh = await app.inject({ url, headers: { 'if-none-match': String(old.headers.etag) } });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).not.toBe(old.headers.etag);
    expect(queries - before).toBe(1);
    expect(featuresOf(fresh.rawPayload, 'roads').find((f) => f.properties.name === '新建路')?.properties).toMatchObject(
      {
        class: 'tertiary',
        name_en: 'New Road',
      },
    );
  });

  it('serves a valid MapLibre style that reaches only Anlan', async () => {
    const r = await app.inject({ url: '/map/style.json?lang=en', headers: { host: 'anlan.local:8080' } });
    expect(r.statusCode).toBe(200);
    const style = r.json();
    expect(validateStyleMin(style)).toEqual([]);
    const origin = 'http://anlan.local:8080';
    expect(style.sprite).toBeUndefined();
    expect(style.glyphs).toBe(`${origin}/map/glyphs/{fontstack}/{range}.pbf`);
    const urls = JSON.stringify(style).match(/[a-z]+:\/\/[^"]*/g) ?? [];
    expect(urls.length).toBeGreaterThan(1);
    for (const u of urls) expect(u.startsWith(`${origin}/`)).toBe(true);
    const source = style.sources.anlan;
    expect(source).toMatchObject({
      type: 'vector',
      tiles: [`${origin}/tiles/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: 16,
    });
    expect(source.attribution).toContain(SYNTHETIC_ATTRIBUTION);
    expect(source.attribution).toContain('DataV.GeoAtlas');
    const roadLabel = style.layers.find((l: { id: string }) => l.id === 'road-label');
    expect(roadLabel.layout['text-field']).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name']]);
    expect(roadLabel.layout['symbol-placement']).toBe('line');

    const zh = (await app.inject({ url: '/map/style.json' })).json();
    expect(validateStyleMin(zh)).toEqual([]);
    expect(zh.layers.find((l: { id: string }) => l.id === 'road-label').layout['text-field']).toEqual(['get', 'name']);
    expect(zh.layers[0]).toMatchObject({ type: 'background', paint: { 'background-color': '#a9cbe6' } });
  });

  it('serves a dark style for night duty, and refuses an unknown theme in words', async () => {
    const light = (await app.inject({ url: '/map/style.json?theme=light' })).json();
    const r = await app.inject({ url: '/map/style.json?lang=en&theme=dark' });
    expect(r.statusCode).toBe(200);
    const dark = r.json();
    expect(validateStyleMin(dark)).toEqual([]);
    expect(dark.metadata['anlan:theme']).toBe('dark');
    const luminance = (hex: string) => {
      const n = Number.parseInt(hex.slice(1), 16);
      return (0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255)) / 255;
    };
    const paint = (style: { layers: { id: string; paint: Record<string, unknown> }[] }, id: string, key: string) =>
      style.layers.find((l) => l.id === id)?.paint[key] as string;
    // a dark sea and land, light labels on dark halos; the same layers as by day
    expect(luminance(paint(dark, 'sea', 'background-color'))).toBeLessThan(0.15);
    expect(luminance(paint(dark, 'district-fill', 'fill-color'))).toBeLessThan(0.2);
    expect(luminance(paint(dark, 'district-label', 'text-color'))).toBeGreaterThan(0.8);
    expect(luminance(paint(dark, 'district-label', 'text-halo-color'))).toBeLessThan(0.2);
    expect(luminance(paint(dark, 'road-label', 'text-color'))).toBeGreaterThan(0.7);
    expect(dark.layers.map((l: { id: string }) => l.id)).toEqual(light.layers.map((l: { id: string }) => l.id));
    expect(paint(light, 'sea', 'background-color')).toBe('#a9cbe6');
    // no white street left glaring in the dark
    expect(JSON.stringify(paint(dark, 'road', 'line-color'))).not.toContain('#ffffff');

    const bad = await app.inject({ url: '/map/style.json?theme=night', headers: { 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION', field: 'theme' });
    expect(bad.json().error.message).toMatch(/theme/);
  });

  it('credits OpenStreetMap for an imported network', () => {
    const osm = createTileService({
      db,
      network: () => ({ ...network, synthetic: false, attribution: '© OpenStreetMap contributors' }),
      version: () => version,
    });
    const style = osm.style('zh', 'http://x') as { sources: { anlan: { attribution: string } } };
    expect(style.sources.anlan.attribution).toContain('© OpenStreetMap contributors');
    expect(style.sources.anlan.attribution).not.toContain(SYNTHETIC_ATTRIBUTION);
  });

  it('serves Latin glyphs as signed distance fields', async () => {
    const r = await app.inject({ url: '/map/glyphs/Noto%20Sans%20Regular,Arial%20Unicode%20MS%20Regular/0-255.pbf' });
    expect(r.statusCode).toBe(200);
    const [stack] = decodeGlyphs(r.rawPayload);
    expect(stack).toMatchObject({ name: 'Noto Sans Regular', range: '0-255' });
    const ids = new Set(stack.glyphs.map((g) => g.id));
    for (const ch of 'AZaz09 é') expect(ids.has(ch.codePointAt(0)!)).toBe(true);
    const a = stack.glyphs.find((g) => g.id === 65)!;
    expect(a.bitmap?.length).toBe((a.width + 6) * (a.height + 6));
    expect(a.width).toBeGreaterThan(10);
    expect(a.advance).toBeGreaterThan(10);
    // inside the outline above MapLibre's edge (192), the corners of the buffer far outside
    expect(Math.max(...a.bitmap!)).toBeGreaterThan(200);
    expect(a.bitmap![0]).toBeLessThan(100);
    const space = stack.glyphs.find((g) => g.id === 32)!;
    expect(space).toMatchObject({ width: 0, height: 0 });
    expect(space.advance).toBeGreaterThan(0);

    const bold = decodeGlyphs((await app.inject({ url: '/map/glyphs/Noto%20Sans%20Bold/256-511.pbf' })).rawPayload);
    expect(bold[0].name).toBe('Noto Sans Bold');
    expect(bold[0].glyphs.some((g) => g.id === 0x101)).toBe(true);
  });

  it('answers an empty glyph set for ranges it has no glyphs for, and refuses malformed ranges', async () => {
    const r = await app.inject({ url: '/map/glyphs/Noto%20Sans%20Regular/19968-20223.pbf' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeGlyphs(r.rawPayload)).toEqual([{ name: 'Noto Sans Regular', range: '19968-20223', glyphs: [] }]);
    const bad = await app.inject({ url: '/map/glyphs/Noto%20Sans%20Regular/0-100.pbf' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION', field: 'range' });
  });
});
