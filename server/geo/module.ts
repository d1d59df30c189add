/**
 * The geo module: district boundaries, the road network in service and its engine, closures, the basemap's
 * tiles, and the one map's basemap layers and place/road search.
 */
import { existsSync, mkdirSync, openAsBlob, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type as T } from 'typebox';
import { ROAD_CLASS_STYLE } from '../../contracts/geo.ts';
import { systemCtx } from '../platform/core/context.ts';
import type { SearchProvider } from '../platform/map-catalogue.ts';
import { defineModule, type Platform } from '../platform/module.ts';
import { getSetting } from '../platform/settings.ts';
import * as boundaryRepo from './boundaries.repository.ts';
import { BoundaryCache, importBoundaries, loadSharedBoundaries, NEIGHBOUR_NAMES_EN } from './boundaries.service.ts';
import { type ClosureDeps, ClosureIndex, redactClosure, reResolveClosures } from './closures/closures.service.ts';
import { installDemoRoads } from './demo-roads.ts';
import { GEO_ERRORS } from './geo.errors.ts';
import { geoRoutes } from './geo.routes.ts';
import * as geoService from './geo.service.ts';
import { ImportTracker, searchRoads } from './geo.service.ts';
import { removeStaleUploads } from './import-upload.ts';
import type { GeoApi } from './index.ts';
import { type ImportJob, RoadNetworks } from './network.service.ts';
import { importReportLines } from './osm/import-report.ts';
import type { OsmImportStats } from './osm/osm-import.ts';
import { loadPlaceDemo } from './places/places.demo.ts';
import { ensureAdminPlaces } from './places/places.repository.ts';
import { placeRoutes } from './places/places.routes.ts';
import { PLACES_MANAGE, PlaceCache, type PlaceDeps, placeHit, placeSubtitle } from './places/places.service.ts';
import * as seaRepo from './sea-areas.repository.ts';
import { loadDemoSeaAreas, seaAreasGeojson } from './sea-areas.ts';
import {
  BASEMAP_COLORS,
  BASEMAP_COLORS_DARK,
  createTileService,
  type TileDeps,
  type TileService,
  tileRoutes,
} from './tiles/index.ts';

/** What the geo module keeps; other modules see only `GeoApi`. */
export interface GeoInternal extends GeoApi {
  networks: RoadNetworks;
  /** the demo's hand-drawn sea areas (the demo step; tests of incidents at sea load them too) */
  loadDemoSeaAreas(): Promise<string>;
  closures: ClosureIndex;
  /** what the closure service functions are given */
  closureDeps: ClosureDeps;
  /** imports started through the API, until each has ended (and its upload is removed) */
  imports: ImportTracker;
  /** the folder JSON imports may name files in (ANLAN_IMPORT_DIR), and where uploads wait for their import */
  importDir: string;
  uploadDir: string;
  boundaries: BoundaryCache;
  tiles: TileDeps & { service: TileService };
  /** unit code → English name, for the English map's district labels (the boundaries table has Chinese only) */
  namesEn: Record<string, string>;
  /** the gazetteer's search index of this instance */
  places: PlaceCache;
  placeDeps: PlaceDeps;
}

function createGeo(p: Platform): GeoInternal {
  const log = (msg: string, err?: unknown) => p.log.error(msg, err);
  const deps = {
    db: p.db,
    clock: p.clock,
    ids: p.ids,
    jobs: p.jobs,
    dataDir: p.config.dataDir,
    snapMaxMeters: p.config.snapMaxMeters,
    snapToleranceMeters: p.config.snapToleranceMeters,
    afterCommit: () => p.afterCommit(),
    log,
  };
  const networks = new RoadNetworks(deps);
  const closureDeps: ClosureDeps = { ...deps, networks, entities: p.entities };
  const closures = new ClosureIndex(closureDeps);
  networks.onSwap(reResolveClosures);
  networks.onChange(() => closures.invalidate());
  const boundaries = new BoundaryCache(p.db);
  const tileDeps: TileDeps = {
    db: p.db,
    network: () => {
      const c = networks.current();
      return c ? { id: c.id, name: c.meta.name, synthetic: c.meta.synthetic, attribution: c.meta.attribution } : null;
    },
    // tiles change with the network and the boundaries (closures are a layer of their own)
    version: () => `${networks.current()?.id ?? '-'}.${boundaries.version()}`,
    boundaryNamesEn: () => namesEn,
  };
  const namesEn: Record<string, string> = {};
  const districtAt = (lng: number, lat: number) => boundaryRepo.districtAt(p.db.kysely, lng, lat);
  // the gazetteer searches the current network's places: a swap (here or loaded from another instance) rebuilds it
  const places = new PlaceCache(
    p.db,
    () => networks.current()?.id ?? null,
    () => namesEn,
  );
  networks.onChange(() => places.invalidate());
  const travelDeps = () => ({
    db: p.db,
    networks,
    closures,
    coverageMaxCells: p.config.coverageMaxCells,
    workers: p.workers,
  });
  return {
    namesEn,
    places,
    placeDeps: {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      places,
      districtAt,
      afterCommit: () => p.afterCommit(),
      workers: p.workers,
    },
    networks,
    closures,
    closureDeps,
    imports: new ImportTracker(),
    importDir: p.config.importDir,
    uploadDir: join(p.config.dataDir, 'uploads'),
    boundaries,
    tiles: { ...tileDeps, service: createTileService(tileDeps) },
    engine: () => networks.engine(),
    closedNow: () => closures.closedNow(),
    districtAt,
    seaAreaAt: (lng, lat) => seaRepo.seaAreaAt(p.db.kysely, lng, lat),
    loadDemoSeaAreas: () => loadDemoSeaAreas(p.db),
    boundaryCodes: () => boundaries.codes(),
    districtArea: (code) => boundaries.area(code),
    districtsOf: (points) => boundaryRepo.districtsOf(p.db.kysely, points),
    installNetwork: (ctx, net, meta) => networks.installNetwork(ctx, net, [], meta),
    coverageSets: (ctx, q, signal) => geoService.coverageBy(travelDeps(), ctx, 'coverage-sets', q, signal),
    coverageFirst: (ctx, q, signal) => geoService.coverageBy(travelDeps(), ctx, 'coverage-first', q, signal),
    matrix: (ctx, q, signal) => geoService.travelTimes(travelDeps(), ctx, q, signal),
    seaAreas: async () =>
      (await seaRepo.listSeaAreas(p.db.kysely)).map((r) => ({
        code: r.code,
        name: r.name,
        districtCode: r.district_code,
        geometry: JSON.parse(r.geojson) as { type: string; coordinates: unknown },
      })),
  };
}

function showProgress(j: ImportJob, last: { line: string }, print: (s: string) => void) {
  const pct = j.total > 0 ? ` ${Math.floor((100 * j.done) / j.total)}%` : '';
  const line = `${j.phase}${pct}`;
  if (line === last.line) return;
  last.line = line;
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[K${line}`);
  else print(line);
}

/** The map search box's gazetteer hits (of the kinds `accept` takes), nearer to the view's centre first. */
function gazetteerSearch(api: GeoInternal, accept: (kind: string) => boolean): SearchProvider {
  return async (_actor, q, limit, opts) => {
    const index = await api.places.index();
    return index.search(q.slice(0, 100), { near: opts?.near, limit, accept: (e) => accept(e.kind) }).map((m) => {
      const h = placeHit(m);
      return {
        kind: 'place',
        id: `place:${h.id}`,
        name: h.name,
        subtitle: placeSubtitle(h, 'zh'),
        subtitleEn: placeSubtitle(h, 'en'),
        point: h.point,
        placeKind: h.kind,
      };
    });
  };
}

export const geoModule = defineModule<GeoInternal>({
  name: 'geo',
  errors: GEO_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'geo.read',
      zh: '使用地图与路网分析',
      en: 'Use the map and road analysis',
      roles: [
        'commander',
        'duty_officer',
        'department_staff',
        'district_staff',
        'field_responder',
        'enterprise_user',
        'auditor',
        'viewer',
      ],
    },
    {
      code: 'closures.manage',
      zh: '登记和解除道路封闭',
      en: 'Register and clear road closures',
      roles: ['commander', 'duty_officer', 'district_staff', 'field_responder'],
    },
    { code: 'roads.import', zh: '导入路网和行政区划', en: 'Import road networks and boundaries', roles: [] },
    {
      code: PLACES_MANAGE,
      zh: '维护地名表',
      en: 'Keep the place list',
      roles: ['duty_officer', 'district_staff'],
    },
  ],
  create: createGeo,
  async seed(_api, p) {
    const loaded = await loadSharedBoundaries(p, systemCtx(), p.config.sharedData);
    // an installation whose boundaries came before the gazetteer gets its administrative units as places once
    const synced = await ensureAdminPlaces(p.db.kysely, () => p.ids.next(), p.clock.now());
    return synced ? `${loaded}; ${synced} administrative units added to the gazetteer` : loaded;
  },
  async demo(api) {
    const sea = await api.loadDemoSeaAreas();
    return `${sea}; ${await loadPlaceDemo(api.placeDeps, systemCtx())}`;
  },
  async start(api, p) {
    Object.assign(api.namesEn, NEIGHBOUR_NAMES_EN);
    for (const u of await p.access.listUnits()) api.namesEn[u.code] = u.nameEn;
    api.places.invalidate();
    const notes: string[] = [];
    try {
      mkdirSync(api.importDir, { recursive: true });
    } catch (err) {
      // imports by name then find nothing; uploads still work
      notes.push(`import folder ${api.importDir} cannot be created: ${(err as Error).message}`);
    }
    const stale = removeStaleUploads(api.uploadDir, p.db.engine === 'pglite', p.clock.now());
    if (stale) notes.push(`road network uploads: ${stale} left by an interrupted import removed`);
    const recovered = await api.networks.recoverInterrupted(p.db.engine === 'pglite');
    if (recovered) notes.push(recovered);
    notes.push(await api.networks.loadCurrent());
    // A demo installation without roads (or whose synthetic network's file is gone) builds the synthetic network.
    if (p.config.demo && !api.networks.current()) {
      const hadNetwork = !!(await getSetting(p.db.kysely, 'roads.current'));
      if (api.networks.syntheticUnloadable || !hadNetwork) {
        notes.push(await installDemoRoads(api, systemCtx(), await boundaryRepo.districtPolygons(p.db.kysely)));
      }
    }
    // the gazetteer's index is built in the background: the first search waits for it only if it comes first
    api.places
      .index()
      .catch((err: unknown) => p.log.error('the place index could not be built (the next search tries again)', err));
    return notes.join('; ');
  },
  // import children end with the server (their jobs fail; a later start cleans up)
  stop: (api) => api.networks.stop(),
  routes: {
    prefixes: ['/api/v1/geo/', '/api/v1/closures', '/api/v1/map/', '/tiles/', '/map/'],
    async register(app, api, p) {
      await geoRoutes(app, {
        ...api.closureDeps,
        ...api,
        catalogue: p.map,
        uploadMaxBytes: p.config.uploadMaxBytes,
        coverageMaxCells: p.config.coverageMaxCells,
        workers: p.workers,
      });
      tileRoutes(app, api.tiles);
      await placeRoutes(app, api.placeDeps, p);
      app.get('/api/v1/geo/basemap', { config: { public: true }, schema: { tags: ['geo'] } }, async () =>
        api.boundaries.basemap(),
      );
      app.get(
        '/api/v1/geo/sea-areas',
        {
          config: { permission: 'geo.read' },
          schema: {
            tags: ['geo'],
            description:
              'The sea areas assigned to the city or its districts (GeoJSON; `approximate` when hand-drawn).',
          },
        },
        async () => seaAreasGeojson(p.db),
      );
      app.post(
        '/api/v1/geo/boundaries',
        {
          config: { permission: 'roads.import' },
          bodyLimit: 64 * 1024 * 1024,
          schema: {
            tags: ['geo'],
            description: 'Load district polygons (a GeoJSON FeatureCollection; properties code or adcode, name).',
            body: T.Object({
              crs: T.Enum(['wgs84', 'gcj02']),
              source: T.String({ minLength: 1, maxLength: 300 }),
              featureCollection: T.Object({ features: T.Array(T.Any()) }, { additionalProperties: true }),
            }),
          },
        },
        async (req) => {
          const b = req.body;
          const codes = await importBoundaries(p, req.ctx, b.featureCollection, {
            crs: b.crs,
            kind: 'district',
            source: b.source,
          });
          p.afterCommit();
          return { codes };
        },
      );
    },
  },
  attribution: async (api) => {
    const b = (await api.boundaries.basemap()) as { attribution: string[] };
    return b.attribution.map((a) => `行政区划边界 / District boundaries: ${a}`);
  },
  redactors: { closure: redactClosure },
  listeners: {
    // another process swapped the network (the CLI on this data directory, another instance)
    'network.swapped': async (_e, api) => {
      await api.networks.loadCurrent();
    },
    'closure.created': (_e, api) => api.closures.invalidate(),
    'closure.cleared': (_e, api) => api.closures.invalidate(),
    'boundaries.imported': (_e, api) => {
      api.boundaries.invalidate();
      api.places.invalidate();
    },
    // the place list changed (here or on another instance)
    'places.changed': (_e, api) => api.places.invalidate(),
  },
  map: (api, p) => ({
    layers: [
      {
        layer: () => {
          const c = api.networks.current();
          return {
            id: 'roads',
            name: c?.meta.synthetic ? '道路（示例路网）' : '道路',
            nameEn: c?.meta.synthetic ? 'Roads (synthetic demo network)' : 'Roads',
            group: 'basemap',
            source: { kind: 'vector', url: '/map/style.json', sourceLayer: 'roads' },
            geometry: 'line',
            defaultOn: true,
            legend: (['motorway', 'trunk', 'primary', 'secondary', 'minor'] as const).map((k) => ({
              label: ROAD_CLASS_STYLE[k].zh,
              labelEn: ROAD_CLASS_STYLE[k].en,
              color: ROAD_CLASS_STYLE[k].color,
              colorDark: ROAD_CLASS_STYLE[k].colorDark,
            })),
            attribution: c?.meta.attribution,
            note: c?.meta.synthetic
              ? '示例路网（合成，非真实道路）/ synthetic demo network, not real roads'
              : undefined,
          };
        },
        permission: 'geo.read',
        order: 10,
      },
      {
        layer: {
          id: 'boundaries',
          name: '行政区划',
          nameEn: 'District boundaries',
          group: 'basemap',
          source: { kind: 'vector', url: '/map/style.json', sourceLayer: 'boundaries' },
          geometry: 'polygon',
          defaultOn: true,
          legend: [
            {
              label: '区市界',
              labelEn: 'District boundary',
              color: BASEMAP_COLORS.districtLine,
              colorDark: BASEMAP_COLORS_DARK.districtLine,
            },
          ],
        },
        permission: 'geo.read',
        order: 5,
      },
      {
        layer: {
          id: 'sea-areas',
          name: '管辖海域',
          nameEn: 'Sea areas',
          group: 'basemap',
          source: { kind: 'geojson', url: '/api/v1/geo/sea-areas' },
          geometry: 'polygon',
          defaultOn: true,
          legend: [{ label: '区市管辖海域', labelEn: 'Sea area of a district', color: '#1d6fa5' }],
          note: '演示数据的海域为手绘示意范围，非测绘成果 / the demo’s sea areas are drawn by hand, not surveyed',
        },
        permission: 'geo.read',
        order: 6,
      },
      {
        layer: {
          id: 'closures',
          name: '道路封闭',
          nameEn: 'Road closures',
          group: 'traffic',
          source: { kind: 'geojson', url: '/api/v1/closures/geojson' },
          geometry: 'line',
          defaultOn: true,
          legend: [
            { label: '封闭中', labelEn: 'Closed', color: '#d4380d' },
            { label: '计划封闭', labelEn: 'Scheduled', color: '#fa8c16' },
          ],
        },
        permission: 'geo.read',
        order: 30,
      },
    ],
    // places first, then roads, then the junctions of roads (a road's name finds the road before its crossings)
    search: [
      { kind: 'place', permission: 'geo.read', fn: gazetteerSearch(api, (k) => k !== 'junction') },
      { kind: 'road', permission: 'geo.read', fn: (_a, q, limit) => searchRoads({ ...api, db: p.db }, q, limit) },
      { kind: 'place', permission: 'geo.read', fn: gazetteerSearch(api, (k) => k === 'junction') },
    ],
  }),
  cli: [
    {
      name: 'import boundaries',
      usage: 'import boundaries FILE [--crs wgs84|gcj02] [--source TEXT]',
      help: `Load district polygons from a GeoJSON FeatureCollection (properties: code or adcode, name).
Default --crs wgs84 (official CGCS2000 data counts as WGS-84 at map scale); gcj02 for Chinese web-map data.`,
      options: { crs: { type: 'string' }, source: { type: 'string' } },
      async run(c) {
        const file = c.args[0];
        if (!file) throw new Error('import boundaries: FILE is required');
        const crs = (c.values.crs ?? 'wgs84') as 'wgs84' | 'gcj02';
        if (crs !== 'wgs84' && crs !== 'gcj02') throw new Error('--crs must be wgs84 or gcj02');
        const fc = JSON.parse(readFileSync(file, 'utf8'));
        const source = (c.values.source as string | undefined) ?? basename(file);
        let codes: string[];
        if (c.server) {
          codes = (
            await c.server.call<{ codes: string[] }>('/api/v1/geo/boundaries', {
              method: 'POST',
              body: { crs, source, featureCollection: fc },
            })
          ).codes;
        } else {
          const { platform } = await c.local();
          codes = await importBoundaries(platform, systemCtx(), fc, { crs, kind: 'district', source });
        }
        c.print(
          `imported ${codes.length} district boundaries: ${codes.join(', ')}${c.server ? ' (through the running server)' : ''}`,
        );
        return 0;
      },
    },
    {
      name: 'import osm',
      usage: 'import osm FILE [--name NAME] [--datum wgs84|gcj02]',
      help: `Build the road network from an OpenStreetMap extract (.osm.pbf or .osm XML) and make it current. The new
network is built beside the old one and swapped in only when complete; a bad file changes nothing.
--datum gcj02 for extracts whose coordinates lie in GCJ-02 (Chinese web maps); default wgs84 (OSM).`,
      options: { name: { type: 'string' }, datum: { type: 'string' } },
      async run(c) {
        const file = c.args[0];
        if (!file) throw new Error('import osm: FILE is required');
        const datum = (c.values.datum ?? 'wgs84') as 'wgs84' | 'gcj02';
        if (datum !== 'wgs84' && datum !== 'gcj02') throw new Error('--datum must be wgs84 or gcj02');
        const name = c.values.name as string | undefined;
        const last = { line: '' };
        let job: ImportJob;
        if (c.server) {
          if (!existsSync(file)) throw new Error(`import osm: no such file ${file}`);
          // the server opens no path it is sent: the file is uploaded, streamed from disk
          const form = new FormData();
          if (name) form.append('name', name);
          form.append('datum', datum);
          form.append('file', await openAsBlob(file), basename(file));
          job = await c.server.call<ImportJob>('/api/v1/geo/networks/import', { method: 'POST', body: form });
          while (job.state === 'running') {
            await new Promise((r) => setTimeout(r, 500));
            job = await c.server.call<ImportJob>(`/api/v1/geo/imports/${job.id}`);
            showProgress(job, last, c.print);
          }
        } else {
          const { api } = await c.local();
          const ctx = systemCtx();
          const started = await api.networks.startOsmImport(ctx, file, { name, datum });
          const timer = setInterval(
            () =>
              void api.networks
                .job(ctx, started.job.id)
                .then((j) => showProgress(j, last, c.print))
                .catch(() => undefined),
            500,
          );
          try {
            job = await started.wait;
          } finally {
            clearInterval(timer);
          }
        }
        if (process.stdout.isTTY) process.stdout.write('\n');
        if (job.state !== 'done') {
          console.error(`import failed: ${job.error?.message ?? 'unknown error'}`);
          return 1;
        }
        c.print(
          `road network "${job.name}" is current (id ${job.networkId})${c.server ? ' (through the running server)' : ''}`,
        );
        if (job.stats) for (const line of importReportLines(job.stats as Partial<OsmImportStats>)) c.print(line);
        return 0;
      },
    },
  ],
});
