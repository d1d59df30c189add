import { type Static, Type as T } from 'typebox';
import { paging } from './common.ts';

/** Routing profiles: `car` (ordinary traffic) and `emergency` (fire engines, ambulances: faster, fewer limits). */
export const ROUTE_PROFILES = ['car', 'emergency'] as const;
export type RouteProfile = (typeof ROUTE_PROFILES)[number];

/** WGS-84 [longitude, latitude]. */
export const LonLatSchema = T.Tuple([
  T.Number({ minimum: -180, maximum: 180 }),
  T.Number({ minimum: -90, maximum: 90 }),
]);

const Profile = T.Optional(T.Enum(ROUTE_PROFILES, { default: 'car' }));
const Minutes = T.Number({ exclusiveMinimum: 0, maximum: 720, description: 'travel time budget in minutes' });
const Points = (max: number) => T.Array(LonLatSchema, { minItems: 1, maxItems: max });

export const RouteRequest = T.Object({
  from: LonLatSchema,
  to: LonLatSchema,
  profile: Profile,
  metric: T.Optional(T.Enum(['time', 'distance'] as const, { default: 'time' })),
});
export type RouteRequest = Static<typeof RouteRequest>;

export const LineStringSchema = T.Object({ type: T.Literal('LineString'), coordinates: T.Array(LonLatSchema) });

/** The manoeuvre at the start of a route step (OSRM's guidance vocabulary, right-hand traffic). */
export const ROUTE_MANEUVERS = [
  'depart',
  'turn_left',
  'turn_right',
  'slight_left',
  'slight_right',
  'sharp_left',
  'sharp_right',
  'straight',
  'keep_left',
  'keep_right',
  'uturn',
  'roundabout',
  'ferry',
  'arrive',
] as const;
export type RouteManeuver = (typeof ROUTE_MANEUVERS)[number];

export const RouteStep = T.Object(
  {
    name: T.String({ description: 'the road driven in this step; an unnamed road is named by its class (支路 …)' }),
    nameEn: T.String({ description: 'name:en where tagged, else the name; the class in English when unnamed' }),
    meters: T.Number(),
    seconds: T.Number(),
    maneuver: T.Enum(ROUTE_MANEUVERS, {
      description:
        'the manoeuvre at the start of the step: straight ≤ 10° < slight ≤ 40° < turn ≤ 120° < sharp (OSRM); keep_* at forks',
    }),
    exit: T.Optional(T.Integer({ minimum: 1, description: 'roundabout: the number of the exit taken' })),
  },
  { description: 'one instruction: the turn at its start, then the road, its length and time' },
);
export type RouteStep = Static<typeof RouteStep>;

export const SnappedEnd = T.Object({
  roadId: T.Integer({ description: 'the road segment the point was matched to (as in roadIds)' }),
  name: T.String({ description: 'its name, or its class when unnamed' }),
  nameEn: T.String(),
  meters: T.Number({ description: 'how far the given point lies from that road' }),
});
export type SnappedEnd = Static<typeof SnappedEnd>;

export const RouteReply = T.Object({
  seconds: T.Number(),
  meters: T.Number(),
  geometry: LineStringSchema,
  roadIds: T.Array(T.Integer(), { description: 'the road segments driven (a piece of each), in order' }),
  steps: T.Array(RouteStep, { description: 'turn-by-turn directions: depart … arrive' }),
  ferry: T.Boolean({ description: 'true when the route takes a ferry' }),
  snapped: T.Object(
    { from: SnappedEnd, to: SnappedEnd },
    { description: 'where each end met the road network, and how far from the given point' },
  ),
  network: T.Object({ name: T.String(), synthetic: T.Boolean() }),
});
export type RouteReply = Static<typeof RouteReply>;

export const IsochroneRequest = T.Object({ origins: Points(200), minutes: Minutes, profile: Profile });
export type IsochroneRequest = Static<typeof IsochroneRequest>;

/** `area` is a GeoJSON Feature (MultiPolygon) and `roads` a Feature (MultiLineString). */
export const IsochroneReply = T.Object({
  areaKm2: T.Number(),
  area: T.Unknown(),
  roads: T.Unknown(),
  network: T.Object({ name: T.String(), synthetic: T.Boolean() }),
});
export type IsochroneReply = Static<typeof IsochroneReply>;

export const MatrixRequest = T.Object({ sources: Points(500), targets: Points(500), profile: Profile });
export type MatrixRequest = Static<typeof MatrixRequest>;

const Cells = T.Array(T.Array(T.Union([T.Number(), T.Null()])));
export const MatrixReply = T.Object({ seconds: Cells, meters: Cells });
export type MatrixReply = Static<typeof MatrixReply>;

export const CoverageRequest = T.Object({
  origins: Points(500),
  minutes: Minutes,
  /** a GeoJSON Polygon / MultiPolygon (or a Feature of one), or a district code such as "371002" */
  area: T.Union([
    T.String({ minLength: 1, maxLength: 64 }),
    // free GeoJSON: its members (properties, bbox, crs …) are the drawing tool's, checked in the service
    T.Object({}, { additionalProperties: true }),
  ]),
  profile: Profile,
});
export type CoverageRequest = Static<typeof CoverageRequest>;

export const CoverageReply = T.Object({
  coveredShare: T.Number({ minimum: 0, maximum: 1 }),
  cellCount: T.Integer(),
  h3Resolution: T.Integer(),
  covered: T.Unknown(),
  uncovered: T.Unknown(),
});
export type CoverageReply = Static<typeof CoverageReply>;

export const Road = T.Object({
  id: T.Integer(),
  name: T.Union([T.String(), T.Null()]),
  nameEn: T.Union([T.String(), T.Null()]),
  class: T.String(),
  oneway: T.Enum(['both', 'forward', 'backward'] as const),
  meters: T.Number(),
  distanceM: T.Optional(T.Number()),
  closed: T.Boolean(),
  geometry: LineStringSchema,
});
export type Road = Static<typeof Road>;

export const RoadsQuery = T.Object({
  near: T.Optional(T.String({ pattern: '^-?[0-9.]+,-?[0-9.]+$', description: 'lon,lat' })),
  radiusM: T.Optional(T.Number({ minimum: 1, maximum: 5000, default: 100 })),
  q: T.Optional(T.String({ maxLength: 100, description: 'road name contains' })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const MapSearchQuery = T.Object({
  q: T.String({ maxLength: 100 }),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 20, default: 5 })),
  near: T.Optional(
    T.String({ pattern: '^-?[0-9.]+,-?[0-9.]+$', description: 'lon,lat of the view: nearer places rank higher' }),
  ),
});

/** scheduled (starts later), active, overdue (past its expected end, still closed until someone clears it), cleared */
export const CLOSURE_STATES = ['scheduled', 'active', 'overdue', 'cleared'] as const;
export type ClosureState = (typeof CLOSURE_STATES)[number];

export const ClosureInput = T.Object({
  roadIds: T.Optional(T.Array(T.Integer({ minimum: 0, maximum: 2_147_483_647 }), { maxItems: 5000 })),
  geometry: T.Optional(LineStringSchema),
  cause: T.String({ minLength: 1, maxLength: 500 }),
  startsAt: T.Optional(T.String({ format: 'date-time' })),
  expectedEndAt: T.Optional(T.String({ format: 'date-time' })),
  incidentId: T.Optional(T.String({ format: 'uuid', description: 'an incident the user may see' })),
});
export type ClosureInput = Static<typeof ClosureInput>;

export const ClosureListQuery = T.Object({
  state: T.Optional(T.Enum([...CLOSURE_STATES, 'open', 'all'] as const, { default: 'open' })),
  ...paging(),
});
export type ClosureListQuery = Static<typeof ClosureListQuery>;

export const Closure = T.Object({
  id: T.String(),
  number: T.String(),
  cause: T.String(),
  state: T.Enum(CLOSURE_STATES),
  roadIds: T.Array(T.Integer()),
  roadNames: T.Array(T.String()),
  geometry: T.Unknown({ description: 'GeoJSON MultiLineString' }),
  startsAt: T.String(),
  expectedEndAt: T.Union([T.String(), T.Null()]),
  clearedAt: T.Union([T.String(), T.Null()]),
  clearedBy: T.Union([T.String(), T.Null()]),
  incidentId: T.Union([T.String(), T.Null()]),
  /** the district the closed stretch lies in (most); null outside every district */
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  createdBy: T.String(),
  createdByUnit: T.Union([T.String(), T.Null()]),
  createdAt: T.String(),
  version: T.Integer(),
});
export type Closure = Static<typeof Closure>;

/**
 * A feature of the closures map layer (`GET /api/v1/closures/geojson`). Every user sees every open closure's line
 * and state (a driver must know the road is shut, wherever it lies); the cause, incident and creator only when the
 * closure is in the user's data scope (`inScope`), as its record is.
 */
export interface ClosureFeatureProps {
  /** in scope only: the record (`GET /closures/{id}`) is theirs to open */
  id?: string;
  number?: string;
  cause?: string;
  incidentId?: string | null;
  createdBy?: string;
  inScope: boolean;
  state: ClosureState;
  startsAt: string;
  expectedEndAt: string | null;
  roadNames: string;
  district: { code: string; name: string } | null;
}

export const NetworkSummary = T.Object({
  id: T.String(),
  name: T.String(),
  source: T.String(),
  attribution: T.String(),
  synthetic: T.Boolean(),
  status: T.String(),
  nodeCount: T.Integer(),
  segmentCount: T.Integer(),
  bbox: T.Union([T.Array(T.Number()), T.Null()]),
  createdAt: T.String(),
  readyAt: T.Union([T.String(), T.Null()]),
  current: T.Boolean(),
  message: T.Union([T.String(), T.Null()]),
});
export type NetworkSummary = Static<typeof NetworkSummary>;

const Bbox = T.Tuple([T.Number(), T.Number(), T.Number(), T.Number()], { description: 'west, south, east, north' });

/** `GET /api/v1/geo/network`: the road network the engine answers from (503 NO_ROAD_NETWORK before an import). */
export const NetworkInfo = T.Object({
  id: T.String(),
  name: T.String(),
  synthetic: T.Boolean(),
  source: T.String(),
  attribution: T.String(),
  segmentCount: T.Integer(),
  nodeCount: T.Integer(),
  bbox: Bbox,
  builtAt: T.String(),
});
export type NetworkInfo = Static<typeof NetworkInfo>;

export const DATUMS = ['wgs84', 'gcj02'] as const;
export type Datum = (typeof DATUMS)[number];

/**
 * `POST /api/v1/geo/networks/import` as JSON: `file` names a file in the server's import folder (see
 * `GET /api/v1/geo/networks/import-files`). As `multipart/form-data` the same fields come as form fields, `file`
 * being the uploaded .osm.pbf / .osm itself.
 */
export const NetworkImportRequest = T.Object({
  file: T.String({
    minLength: 1,
    maxLength: 255,
    description:
      'JSON: a file name in the import folder (no folders, no ..); multipart: the extract (.osm.pbf or .osm)',
  }),
  name: T.Optional(T.String({ maxLength: 200 })),
  datum: T.Optional(T.Enum(DATUMS)),
});
export type NetworkImportRequest = Static<typeof NetworkImportRequest>;

/** An import (202 of the import, then `GET /api/v1/geo/imports/{id}` until `state` is no longer `running`). */
export const ImportJob = T.Object({
  id: T.String(),
  file: T.String(),
  name: T.String(),
  state: T.Enum(['running', 'done', 'failed'] as const),
  phase: T.String(),
  done: T.Number(),
  total: T.Number(),
  startedAt: T.String(),
  finishedAt: T.Union([T.String(), T.Null()]),
  networkId: T.Union([T.String(), T.Null()]),
  error: T.Union([T.Object({ code: T.String(), message: T.String(), field: T.Optional(T.String()) }), T.Null()]),
  stats: T.Unknown(),
});
export type ImportJob = Static<typeof ImportJob>;

/** A file in the server's import folder. */
export const ImportFile = T.Object({ name: T.String(), bytes: T.Integer(), modifiedAt: T.String() });
export type ImportFile = Static<typeof ImportFile>;
/** `GET /api/v1/geo/networks/import-files`: the files and the folder they are in (as the server sees it). */
export const ImportFileList = T.Object({ items: T.Array(ImportFile), total: T.Integer(), folder: T.String() });
export type ImportFileList = Static<typeof ImportFileList>;

/**
 * A hit of `GET /api/v1/map/search`. `kind` names the provider (`place`, `road`, `incident` today); modules add
 * providers, so it is an open string.
 */
export const SearchHit = T.Object({
  kind: T.String(),
  id: T.String(),
  name: T.String(),
  subtitle: T.String(),
  /** the subtitle in English, where the provider has one (the web shows it in English mode) */
  subtitleEn: T.Optional(T.String()),
  point: LonLatSchema,
  bbox: T.Optional(Bbox),
  /** a gazetteer hit's kind of place (contracts/places.ts PLACE_KINDS) */
  placeKind: T.Optional(T.String()),
});
export type SearchHit = Static<typeof SearchHit>;

/**
 * The one map's layer catalogue. Modules register layers; the map lists those the user may see.
 * `source.kind`: `vector` (Anlan's tiles, `sourceLayer` names the layer in them) or `geojson` (a URL answering a
 * FeatureCollection). `legend` lists the symbols shown in the legend.
 */
export const MapLayer = T.Object({
  id: T.String(),
  name: T.String(),
  nameEn: T.String(),
  group: T.String(),
  source: T.Object({
    kind: T.Enum(['vector', 'geojson'] as const),
    url: T.String(),
    sourceLayer: T.Optional(T.String()),
  }),
  geometry: T.Enum(['point', 'line', 'polygon'] as const),
  defaultOn: T.Boolean(),
  legend: T.Array(
    T.Object({
      label: T.String(),
      labelEn: T.String(),
      color: T.String(),
      /** the symbol's colour on the dark basemap, where it differs */
      colorDark: T.Optional(T.String()),
    }),
  ),
  attribution: T.Optional(T.String()),
  note: T.Optional(T.String({ description: 'e.g. 示例路网 / synthetic' })),
});
export type MapLayer = Static<typeof MapLayer>;

/** Road classes as the map draws them: colour, width at z14, and the Chinese / English name of the class. */
export const ROAD_CLASS_STYLE: Record<
  string,
  { color: string; colorDark: string; width: number; zh: string; en: string; minzoom: number }
> = {
  // colorDark: the dark basemap's (night duty, wall screen): the same hues dimmed, white streets grey
  motorway: { color: '#e8743b', colorDark: '#b8612f', width: 4, zh: '高速公路', en: 'Motorway', minzoom: 5 },
  trunk: { color: '#f29b4b', colorDark: '#a86d36', width: 3.5, zh: '快速路/国道', en: 'Trunk', minzoom: 6 },
  primary: { color: '#f7c35f', colorDark: '#8f7640', width: 3, zh: '主干道', en: 'Primary', minzoom: 8 },
  secondary: { color: '#fbe08a', colorDark: '#6e6648', width: 2.5, zh: '次干道', en: 'Secondary', minzoom: 9 },
  tertiary: { color: '#ffffff', colorDark: '#5b6574', width: 2, zh: '支路', en: 'Tertiary', minzoom: 11 },
  minor: { color: '#ffffff', colorDark: '#4a5361', width: 1.2, zh: '街巷', en: 'Minor road', minzoom: 13 },
  ferry: { color: '#3f7fbf', colorDark: '#3f7fbf', width: 1.5, zh: '轮渡航线', en: 'Ferry route', minzoom: 9 },
};

/** The road class drawn for each imported class (links drawn as their road). */
export function roadStyleClass(cls: string): keyof typeof ROAD_CLASS_STYLE {
  const base = cls.replace(/_link$/, '');
  return base in ROAD_CLASS_STYLE ? (base as keyof typeof ROAD_CLASS_STYLE) : 'minor';
}
