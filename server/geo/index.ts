/**
 * The geo module's door: the road network in service and its engine, closures, the map's layer catalogue and
 * search. Other modules ask travel questions with `geo.engine()` and `await geo.closedNow()`, never over HTTP.
 */
import { ROAD_CLASS_STYLE } from '../../contracts/geo.ts';
import type { Clock, Ids } from '../platform/core/ids.ts';
import type { Db } from '../platform/db/index.ts';
import type { EventBus } from '../platform/events/events.ts';
import { boundariesVersion } from './boundaries.service.ts';
import { ClosureIndex, reResolveClosures } from './closures/closures.service.ts';
import { searchPlaces, searchRoads } from './geo.service.ts';
import { MapCatalogue } from './layers.ts';
import { RoadNetworks } from './network.service.ts';
import { createTileService, type TileDeps, type TileService } from './tiles/index.ts';

export { geoRoutes } from './geo.routes.ts';
export type { RoadEngine } from './road/engine.ts';

export interface GeoModule {
  networks: RoadNetworks;
  closures: ClosureIndex;
  catalogue: MapCatalogue;
  /** the vector basemap: tiles of the current network and the boundaries */
  tiles: TileDeps & { service: TileService };
}

export function createGeo(deps: {
  db: Db;
  clock: Clock;
  ids: Ids;
  dataDir: string;
  snapMaxMeters?: number;
  boundaryNamesEn?: Record<string, string>;
  afterCommit?: () => void;
  log?: (msg: string, err?: unknown) => void;
}): GeoModule {
  const networks = new RoadNetworks(deps);
  const closures = new ClosureIndex({ ...deps, networks });
  networks.onSwap(reResolveClosures);
  networks.onChange(() => closures.invalidate());
  const catalogue = new MapCatalogue();
  const geoDeps = { db: deps.db, networks, closures };

  catalogue.registerLayer(
    () => {
      const c = networks.current();
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
        })),
        attribution: c?.meta.attribution,
        note: c?.meta.synthetic ? '示例路网（合成，非真实道路）/ synthetic demo network, not real roads' : undefined,
      };
    },
    'geo.read',
    10,
  );
  catalogue.registerLayer(
    {
      id: 'boundaries',
      name: '行政区划',
      nameEn: 'District boundaries',
      group: 'basemap',
      source: { kind: 'vector', url: '/map/style.json', sourceLayer: 'boundaries' },
      geometry: 'polygon',
      defaultOn: true,
      legend: [{ label: '区市界', labelEn: 'District boundary', color: '#5f6f82' }],
    },
    'geo.read',
    5,
  );
  catalogue.registerLayer(
    {
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
    'geo.read',
    30,
  );
  catalogue.registerSearch('place', 'geo.read', (_a, q, limit) => searchPlaces(geoDeps, q, limit));
  catalogue.registerSearch('road', 'geo.read', (_a, q, limit) => searchRoads(geoDeps, q, limit));

  const namesEn = deps.boundaryNamesEn ?? {};
  const tileDeps: TileDeps = {
    db: deps.db,
    network: () => {
      const c = networks.current();
      return c ? { id: c.id, name: c.meta.name, synthetic: c.meta.synthetic, attribution: c.meta.attribution } : null;
    },
    // tiles change with the network and the boundaries (closures are a layer of their own)
    version: () => `${networks.current()?.id ?? '-'}.${boundariesVersion()}`,
    boundaryNamesEn: () => namesEn,
  };
  return { networks, closures, catalogue, tiles: { ...tileDeps, service: createTileService(tileDeps) } };
}

/** Follows other processes' changes: an import by the CLI, closures made on another instance. */
export function followGeoEvents(geo: GeoModule, bus: EventBus, log: (msg: string, err?: unknown) => void): void {
  bus.subscribe('network.swapped', async () => {
    try {
      await geo.networks.loadCurrent();
    } catch (err) {
      log('could not load the new road network', err);
    }
  });
  bus.subscribe('closure.added', () => geo.closures.invalidate());
  bus.subscribe('closure.cleared', () => geo.closures.invalidate());
}
