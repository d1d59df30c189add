/**
 * Risks (风险普查与风险一张图): census layers (hazard sources, exposed objects, shelters, prevention works), the H3
 * risk grid computed from them, "what is near this point", and the disaster-prevention projects (防灾减灾工程项目).
 * Shared by the server (route schemas) and the web (types, names, colours).
 *
 * Routes (all under the risks module):
 * - census: `GET /api/v1/census/kinds` → CensusKindList; `GET /api/v1/census/layers?kind&role&q&limit&offset` →
 *   ListOf(CensusLayer); `GET /api/v1/census/layers/{id}` → CensusLayer; `DELETE /api/v1/census/layers/{id}` → 204;
 *   `GET /api/v1/census/layers/{id}/features?bbox&limit` → CensusFeatureCollection;
 *   `GET /api/v1/census/features?kind&bbox&limit` → CensusFeatureCollection (every layer of a kind: the map layers);
 *   `POST /api/v1/census/layers/import?mode&kind&name&source&datum` (multipart, field `file`: GeoJSON, zipped
 *   Shapefile, KML, CSV, xlsx) → 202 Job whose result is CensusImportReport (a small file is answered done).
 * - grid: `GET /api/v1/risks/grid?bbox&format=compact|geojson&minClass` → RiskGridReply (compact) or a
 *   FeatureCollection of the cells' polygons (geojson); `GET /api/v1/risks/grid/status` → RiskGridStatus;
 *   `GET /api/v1/risks/grid/districts` → RiskDistrictsReply; `GET /api/v1/risks/grid/{h3}` → RiskCellDetail;
 *   `POST /api/v1/risks/grid/recompute` → 202 Job (result RiskGridStatus);
 *   `GET /api/v1/risks/settings` / `PUT /api/v1/risks/settings` (RiskSettingsPut) → RiskSettingsReply.
 * - nearby: `GET /api/v1/risks/nearby?near=lon,lat&radiusM&limit&kinds` → NearbyReply.
 * - projects: `GET /api/v1/prevention-projects?type&district&status&q&limit&offset` → ListOf(PreventionProject);
 *   `POST /api/v1/prevention-projects` (ProjectInput) → 201 PreventionProject; `GET …/{id}` → ProjectDetail;
 *   `PATCH …/{id}` (ProjectPatch) → PreventionProject; `DELETE …/{id}` → 204;
 *   `POST …/{id}/progress` (ProgressInput) → 201 ProjectDetail; `GET /api/v1/prevention-projects/summary` →
 *   ProjectSummaryReply; `GET /api/v1/prevention-projects/export` → xlsx;
 *   `GET /api/v1/prevention-projects/import/template`, `POST /api/v1/prevention-projects/import` (platform import).
 */
import { type Static, Type as T } from 'typebox';
import { Count, ListOf, paging, Version } from './common.ts';
import { ENTRY_DATUMS } from './coordinates.ts';
import { IMPORT_MODES, ImportRowError } from './imports.ts';
import { Job } from './jobs.ts';

interface Words {
  zh: string;
  en: string;
}

// ── census kinds ─────────────────────────────────────────────────────────────

/** What a census kind stands for in the risk grid. */
export const CENSUS_ROLES = ['hazard', 'exposure', 'shelter', 'work'] as const;
export type CensusRole = (typeof CENSUS_ROLES)[number];
export const CENSUS_ROLE_INFO: Record<CensusRole, Words> = {
  hazard: { zh: '致灾危险源', en: 'Hazard source' },
  exposure: { zh: '承灾体', en: 'Exposed object' },
  shelter: { zh: '避难场所', en: 'Shelter' },
  work: { zh: '防灾减灾工程', en: 'Prevention work' },
};

export const CENSUS_KINDS = [
  'geohazard_point',
  'flood_zone',
  'forest_fire_zone',
  'hazardous_enterprise',
  'school',
  'hospital',
  'nursing_home',
  'residential_area',
  'population_grid',
  'shelter',
  'prevention_work',
] as const;
export type CensusKind = (typeof CENSUS_KINDS)[number];

export const GEOMETRY_CLASSES = ['point', 'line', 'polygon'] as const;
export type GeometryClass = (typeof GEOMETRY_CLASSES)[number];

export interface CensusKindInfo extends Words {
  role: CensusRole;
  /** the geometries a feature of this kind may have (Multi* of the same class included) */
  geometries: readonly GeometryClass[];
  /** default weight in the grid's score (a setting overrides it); for exposure: person-equivalents per object */
  weight: number;
  /** hazards: the distance (m) over which a feature's hazard decays linearly to 0 outside it (default; a setting) */
  radiusM: number;
  /** schools, hospitals, nursing homes: counted in the vulnerability V */
  vulnerable: boolean;
  /** the map colour */
  color: string;
}

/**
 * The census kinds. Weights and radii are Anlan's assumptions (labelled so in the UI), not from a standard; the
 * settings `risks.grid` override them.
 */
export const CENSUS_KIND_INFO: Record<CensusKind, CensusKindInfo> = {
  geohazard_point: {
    zh: '地质灾害隐患点',
    en: 'Geological hazard site',
    role: 'hazard',
    geometries: ['point', 'polygon'],
    weight: 1,
    radiusM: 500,
    vulnerable: false,
    color: '#8c4a16',
  },
  flood_zone: {
    zh: '洪涝风险区',
    en: 'Flood risk zone',
    role: 'hazard',
    geometries: ['polygon'],
    weight: 1,
    radiusM: 300,
    vulnerable: false,
    color: '#1d6fd6',
  },
  forest_fire_zone: {
    zh: '森林火险区',
    en: 'Forest fire risk zone',
    role: 'hazard',
    geometries: ['polygon'],
    weight: 0.8,
    radiusM: 1000,
    vulnerable: false,
    color: '#d4380d',
  },
  hazardous_enterprise: {
    zh: '危险化学品企业',
    en: 'Hazardous chemicals enterprise',
    role: 'hazard',
    geometries: ['point', 'polygon'],
    weight: 1.2,
    radiusM: 1000,
    vulnerable: false,
    color: '#722ed1',
  },
  school: {
    zh: '学校',
    en: 'School',
    role: 'exposure',
    geometries: ['point', 'polygon'],
    weight: 500,
    radiusM: 0,
    vulnerable: true,
    color: '#13a8a8',
  },
  hospital: {
    zh: '医院',
    en: 'Hospital',
    role: 'exposure',
    geometries: ['point', 'polygon'],
    weight: 300,
    radiusM: 0,
    vulnerable: true,
    color: '#eb2f96',
  },
  nursing_home: {
    zh: '养老机构',
    en: 'Nursing home',
    role: 'exposure',
    geometries: ['point', 'polygon'],
    weight: 200,
    radiusM: 0,
    vulnerable: true,
    color: '#fa8c16',
  },
  residential_area: {
    zh: '居民区',
    en: 'Residential area',
    role: 'exposure',
    geometries: ['point', 'polygon'],
    weight: 300,
    radiusM: 0,
    vulnerable: false,
    color: '#a0d911',
  },
  population_grid: {
    zh: '人口网格',
    en: 'Population grid',
    role: 'exposure',
    geometries: ['point', 'polygon'],
    weight: 1,
    radiusM: 0,
    vulnerable: false,
    color: '#bfbfbf',
  },
  shelter: {
    zh: '避难场所',
    en: 'Emergency shelter',
    role: 'shelter',
    geometries: ['point', 'polygon'],
    weight: 1,
    radiusM: 1000,
    vulnerable: false,
    color: '#52c41a',
  },
  prevention_work: {
    zh: '防灾减灾工程',
    en: 'Prevention work',
    role: 'work',
    geometries: ['point', 'line', 'polygon'],
    weight: 0,
    radiusM: 0,
    vulnerable: false,
    color: '#2f54eb',
  },
};

/** `GET /api/v1/census/kinds`: the fixed list with their rules (the settings' weights in force). */
export const CensusKindItem = T.Object({
  kind: T.Enum(CENSUS_KINDS),
  zh: T.String(),
  en: T.String(),
  role: T.Enum(CENSUS_ROLES),
  geometries: T.Array(T.Enum(GEOMETRY_CLASSES)),
  weight: T.Number(),
  radiusM: T.Number(),
  vulnerable: T.Boolean(),
  color: T.String(),
  /** features of this kind in all layers */
  featureCount: T.Integer(),
  layerCount: T.Integer(),
});
export type CensusKindItem = Static<typeof CensusKindItem>;
export const CensusKindList = ListOf(CensusKindItem);
export type CensusKindList = Static<typeof CensusKindList>;

// ── census layers and features ───────────────────────────────────────────────

/** the datums a layer may be imported in: CGCS2000 is treated as WGS-84 (within a metre), GCJ-02 is converted */
export const CENSUS_DATUMS = ENTRY_DATUMS;
export type CensusDatum = (typeof CENSUS_DATUMS)[number];

export const CENSUS_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type CensusFormat = (typeof CENSUS_FORMATS)[number];

/** A GeoJSON geometry (WGS-84). */
export const Geometry = T.Object(
  { type: T.String(), coordinates: T.Unknown() },
  { description: 'a GeoJSON geometry, WGS-84 [lon, lat]' },
);
export type Geometry = { type: string; coordinates: unknown };

export const CensusLayer = T.Object({
  id: T.String({ format: 'uuid' }),
  name: T.String(),
  kind: T.Enum(CENSUS_KINDS),
  role: T.Enum(CENSUS_ROLES),
  /** where the data came from (普查成果, 部门名录 …) */
  source: T.Union([T.String(), T.Null()]),
  /** the datum the file was in (stored converted to WGS-84) */
  datum: T.Enum(CENSUS_DATUMS),
  format: T.Enum(CENSUS_FORMATS),
  fileName: T.Union([T.String(), T.Null()]),
  importedAt: T.String(),
  importedBy: T.Union([T.String(), T.Null()]),
  featureCount: T.Integer(),
  ownerUnit: T.String(),
  /** [minLon, minLat, maxLon, maxLat] of its features */
  bbox: T.Union([T.Tuple([T.Number(), T.Number(), T.Number(), T.Number()]), T.Null()]),
  demo: T.Boolean(),
});
export type CensusLayer = Static<typeof CensusLayer>;

export const CensusLayerListQuery = T.Object({
  kind: T.Optional(T.Enum(CENSUS_KINDS)),
  role: T.Optional(T.Enum(CENSUS_ROLES)),
  q: T.Optional(T.String({ maxLength: 100, description: 'name contains' })),
  ...paging({ maxLimit: 200 }),
});
export type CensusLayerListQuery = Static<typeof CensusLayerListQuery>;

const BBOX_PATTERN = '^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$';
const BboxParam = T.String({ pattern: BBOX_PATTERN, description: 'minLon,minLat,maxLon,maxLat (WGS-84)' });

export const CensusFeaturesQuery = T.Object({
  bbox: T.Optional(BboxParam),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 20_000, default: 5000 })),
});
export type CensusFeaturesQuery = Static<typeof CensusFeaturesQuery>;

export const CensusKindFeaturesQuery = T.Object({
  kind: T.Enum(CENSUS_KINDS),
  bbox: T.Optional(BboxParam),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 20_000, default: 5000 })),
});
export type CensusKindFeaturesQuery = Static<typeof CensusKindFeaturesQuery>;

/** A feature's properties as the map and the lists read them. */
export const CensusFeatureProperties = T.Object({
  id: T.String({ format: 'uuid' }),
  layerId: T.String({ format: 'uuid' }),
  kind: T.Enum(CENSUS_KINDS),
  name: T.Union([T.String(), T.Null()]),
  /** residents (population_grid, residential_area) or people on site */
  population: T.Union([T.Number(), T.Null()]),
  /** shelters: people it takes */
  capacity: T.Union([T.Number(), T.Null()]),
  /** 1 (most severe, I级/特大) … 4 (least, IV级/小型), where the source gives one */
  hazardLevel: T.Union([T.Integer({ minimum: 1, maximum: 4 }), T.Null()]),
  /** the other columns of the file, as given */
  attributes: T.Record(T.String(), T.Unknown()),
  demo: T.Boolean(),
});
export type CensusFeatureProperties = Static<typeof CensusFeatureProperties>;

export const CensusFeature = T.Object({
  type: T.Literal('Feature'),
  id: T.String(),
  geometry: Geometry,
  properties: CensusFeatureProperties,
});
export type CensusFeature = Static<typeof CensusFeature>;

export const CensusFeatureCollection = T.Object({
  type: T.Literal('FeatureCollection'),
  features: T.Array(CensusFeature),
  /** features matching (before the limit) */
  total: T.Integer(),
  truncated: T.Boolean(),
});
export type CensusFeatureCollection = Static<typeof CensusFeatureCollection>;

export const CensusImportQuery = T.Object({
  mode: T.Optional(T.Enum(IMPORT_MODES, { default: 'dry-run', description: 'dry-run writes nothing' })),
  kind: T.Enum(CENSUS_KINDS),
  name: T.String({ minLength: 1, maxLength: 200, description: 'the layer name' }),
  source: T.Optional(T.String({ maxLength: 200 })),
  datum: T.Optional(
    T.Enum(CENSUS_DATUMS, {
      default: 'wgs84',
      description: 'datum of the coordinates in the file: cgcs2000 is taken as WGS-84; gcj02 is converted',
    }),
  ),
});
export type CensusImportQuery = Static<typeof CensusImportQuery>;

/**
 * A census import's report (the job's result). Row errors name the row (sheet row, CSV record with the header as 1,
 * GeoJSON/KML/Shapefile feature from 1), the column (or `geometry`), a code and the reason in the reader's language.
 * Codes: CENSUS_GEOMETRY_EMPTY, CENSUS_GEOMETRY_INVALID (with the reason, e.g. self-intersection),
 * CENSUS_GEOMETRY_TYPE (not allowed for the kind), CENSUS_AXIS_SWAPPED (lat,lon given: swapping puts it in Weihai),
 * CENSUS_OUTSIDE_REGION (beyond the city's boundary + buffer), CENSUS_BAD_NUMBER, CENSUS_NO_COORDINATES,
 * CENSUS_BAD_WKT, CENSUS_BAD_LEVEL.
 */
export const CensusImportReport = T.Object({
  mode: T.Enum(IMPORT_MODES),
  format: T.Enum(CENSUS_FORMATS),
  kind: T.Enum(CENSUS_KINDS),
  datum: T.Enum(CENSUS_DATUMS),
  file: T.Object({ name: T.String(), size: T.Integer(), sha256: T.String() }),
  rows: T.Integer(),
  accepted: T.Integer(),
  /** features written (0 in a dry run, and 0 when any row failed: all or none) */
  imported: T.Integer(),
  errors: T.Array(ImportRowError),
  errorCount: T.Integer(),
  /** the layer made by a commit */
  layerId: T.Union([T.String(), T.Null()]),
  /** a note on the datum (CGCS2000 taken as WGS-84; GCJ-02 converted) in the reader's language */
  datumNote: T.String(),
});
export type CensusImportReport = Static<typeof CensusImportReport>;

// ── risk grid ────────────────────────────────────────────────────────────────

/** Risk classes, most severe first: 重大 red, 较大 orange, 一般 yellow, 低 blue (the four warning colours). */
export const RISK_CLASSES = ['major', 'large', 'general', 'low'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];
export const RISK_CLASS_INFO: Record<
  RiskClass,
  Words & { colour: 'red' | 'orange' | 'yellow' | 'blue'; color: string }
> = {
  major: { zh: '重大风险', en: 'Major risk', colour: 'red', color: '#d4380d' },
  large: { zh: '较大风险', en: 'Considerable risk', colour: 'orange', color: '#fa8c16' },
  general: { zh: '一般风险', en: 'Moderate risk', colour: 'yellow', color: '#fadb14' },
  low: { zh: '低风险', en: 'Low risk', colour: 'blue', color: '#1677ff' },
};

/** Per-kind parameters of the score. */
export const KindParams = T.Object({
  weight: T.Number({ minimum: 0, maximum: 100_000 }),
  /** hazards: decay radius (m); shelters: the distance within which a shelter's capacity covers a cell */
  radiusM: T.Number({ minimum: 0, maximum: 20_000 }),
});
export type KindParams = Static<typeof KindParams>;

/**
 * The grid's rules (setting `risks.grid`). The score is a weighted product:
 *   R = H^a · E^b · (f + (1 − f) · V)^c, every factor 0–1,
 * H = Σ hazard features touching or within their radius of the cell: weight × level factor × decay (1 inside or
 *     touching, falling linearly to 0 at `radiusM` from the cell's centre), normalised by the city's p-th percentile
 *     of cells with H > 0 (values above it are 1);
 * E = population in the cell + Σ exposed objects' weight (person-equivalents), normalised the same way;
 * V = (Σ vulnerable objects' weight in the cell) / (E before normalising), minus `shelterCredit` × the share of the
 *     cell's population the shelters within their radius can take, floored at 0 and capped at 1;
 * f = `vulnerabilityFloor`, so a cell without vulnerable objects is not zero-risk.
 * Classes by R: ≥ thresholds.major → 重大, ≥ large → 较大, ≥ general → 一般, else 低 (cells with H = 0 or E = 0 have
 * R = 0: 低). Defaults are Anlan's assumptions, not from a standard.
 */
export const RiskGridSettings = T.Object({
  resolution: T.Union([T.Literal(8), T.Literal(9)], { description: 'H3 resolution of the grid' }),
  exponents: T.Object({
    hazard: T.Number({ minimum: 0, maximum: 5 }),
    exposure: T.Number({ minimum: 0, maximum: 5 }),
    vulnerability: T.Number({ minimum: 0, maximum: 5 }),
  }),
  vulnerabilityFloor: T.Number({ minimum: 0, maximum: 1 }),
  shelterCredit: T.Number({ minimum: 0, maximum: 1 }),
  /** the percentile (of cells with a value > 0) that is 1 after normalising */
  percentile: T.Number({ minimum: 50, maximum: 100 }),
  /** hazard level factor: level 1 (most severe) … 4; a feature without a level counts `none` */
  levelFactors: T.Object({
    '1': T.Number({ minimum: 0, maximum: 100 }),
    '2': T.Number({ minimum: 0, maximum: 100 }),
    '3': T.Number({ minimum: 0, maximum: 100 }),
    '4': T.Number({ minimum: 0, maximum: 100 }),
    none: T.Number({ minimum: 0, maximum: 100 }),
  }),
  thresholds: T.Object({
    major: T.Number({ minimum: 0, maximum: 1 }),
    large: T.Number({ minimum: 0, maximum: 1 }),
    general: T.Number({ minimum: 0, maximum: 1 }),
  }),
  kinds: T.Record(T.String(), KindParams, { description: 'by census kind' }),
});
export type RiskGridSettings = Static<typeof RiskGridSettings>;

export const DEFAULT_RISK_GRID_SETTINGS: RiskGridSettings = {
  resolution: 8,
  exponents: { hazard: 1, exposure: 0.5, vulnerability: 0.5 },
  vulnerabilityFloor: 0.5,
  shelterCredit: 0.5,
  percentile: 95,
  levelFactors: { '1': 2, '2': 1.5, '3': 1, '4': 0.6, none: 1 },
  thresholds: { major: 0.6, large: 0.4, general: 0.2 },
  kinds: Object.fromEntries(
    CENSUS_KINDS.map((k) => [k, { weight: CENSUS_KIND_INFO[k].weight, radiusM: CENSUS_KIND_INFO[k].radiusM }]),
  ),
};

export const RiskSettingsReply = T.Object({
  value: RiskGridSettings,
  version: T.Integer(),
  /** the value is the defaults (never changed) */
  isDefault: T.Boolean(),
  updatedAt: T.Union([T.String(), T.Null()]),
});
export type RiskSettingsReply = Static<typeof RiskSettingsReply>;

export const RiskSettingsPut = T.Object({ value: RiskGridSettings, version: Version() });
export type RiskSettingsPut = Static<typeof RiskSettingsPut>;

/** The stored grid: when and how it was computed. `computedAt` null: never computed. */
export const RiskGridStatus = T.Object({
  computedAt: T.Union([T.String(), T.Null()]),
  resolution: T.Integer(),
  cellCount: T.Integer(),
  featureCount: T.Integer(),
  /** the settings' version it was computed with */
  settingsVersion: T.Integer(),
  /** layers or settings changed since (a recompute is due or running) */
  stale: T.Boolean(),
  /** the running recompute's job, if any */
  jobId: T.Union([T.String(), T.Null()]),
  /** the values that were 1 after normalising (the percentile's H and E) */
  norms: T.Object({ hazard: T.Number(), exposure: T.Number() }),
  durationMs: T.Union([T.Integer(), T.Null()]),
  counts: T.Object({ major: T.Integer(), large: T.Integer(), general: T.Integer(), low: T.Integer() }),
});
export type RiskGridStatus = Static<typeof RiskGridStatus>;

export const RiskGridQuery = T.Object({
  bbox: T.Optional(BboxParam),
  format: T.Optional(T.Enum(['compact', 'geojson'] as const, { default: 'compact' })),
  /** only cells of this class or more severe (default: all but `low`) */
  minClass: T.Optional(T.Enum(RISK_CLASSES, { default: 'general' })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200_000, default: 100_000 })),
});
export type RiskGridQuery = Static<typeof RiskGridQuery>;

/** A cell as the map reads it. */
export const RiskCell = T.Object({
  h3: T.String(),
  cls: T.Enum(RISK_CLASSES),
  score: T.Number(),
  h: T.Number(),
  e: T.Number(),
  v: T.Number(),
  district: T.Union([T.String(), T.Null()]),
});
export type RiskCell = Static<typeof RiskCell>;

export const RiskGridReply = T.Object({
  resolution: T.Integer(),
  computedAt: T.Union([T.String(), T.Null()]),
  items: T.Array(RiskCell),
  total: T.Integer(),
  truncated: T.Boolean(),
});
export type RiskGridReply = Static<typeof RiskGridReply>;

/** `format=geojson`: each cell a Polygon with the RiskCell's fields as properties (and `color`). */
export const RiskGridGeoJson = T.Object({
  type: T.Literal('FeatureCollection'),
  features: T.Array(
    T.Object({
      type: T.Literal('Feature'),
      id: T.String(),
      geometry: Geometry,
      properties: T.Object({ ...RiskCell.properties, color: T.String() }),
    }),
  ),
  total: T.Integer(),
  truncated: T.Boolean(),
});
export type RiskGridGeoJson = Static<typeof RiskGridGeoJson>;

export const H3Params = T.Object({ h3: T.String({ pattern: '^[0-9a-f]{15}$', description: 'H3 cell index' }) });

export const CONTRIBUTION_PARTS = ['hazard', 'exposure', 'vulnerability', 'shelter'] as const;
export type ContributionPart = (typeof CONTRIBUTION_PARTS)[number];

/** A feature's part of a cell's raw H, E, V (before normalising) — the raw parts of one kind add up to the raw total. */
export const Contribution = T.Object({
  featureId: T.String(),
  layerId: T.String(),
  kind: T.Enum(CENSUS_KINDS),
  name: T.Union([T.String(), T.Null()]),
  part: T.Enum(CONTRIBUTION_PARTS),
  value: T.Number(),
  /** hazards: distance from the cell's centre to the feature (0 when it touches the cell) */
  meters: T.Union([T.Number(), T.Null()]),
});
export type Contribution = Static<typeof Contribution>;

export const RiskCellDetail = T.Object({
  ...RiskCell.properties,
  districtName: T.Union([T.String(), T.Null()]),
  /** raw (before normalising): H sum, E in person-equivalents, population, vulnerable weight, shelter capacity */
  raw: T.Object({
    hazard: T.Number(),
    exposure: T.Number(),
    population: T.Number(),
    vulnerable: T.Number(),
    shelterCapacity: T.Number(),
  }),
  /** the top contributors (at most 20 per part), largest first */
  contributions: T.Array(Contribution),
  computedAt: T.String(),
  resolution: T.Integer(),
});
export type RiskCellDetail = Static<typeof RiskCellDetail>;

export const RiskDistrictRow = T.Object({
  district: T.String(),
  districtName: T.String(),
  districtNameEn: T.String(),
  cells: T.Integer(),
  counts: T.Object({ major: T.Integer(), large: T.Integer(), general: T.Integer(), low: T.Integer() }),
  meanScore: T.Number(),
  maxScore: T.Number(),
  population: T.Number(),
  /** population living in red (重大) and orange (较大) cells */
  populationMajor: T.Number(),
  populationLarge: T.Number(),
});
export type RiskDistrictRow = Static<typeof RiskDistrictRow>;
export const RiskDistrictsReply = T.Object({
  items: T.Array(RiskDistrictRow),
  total: T.Integer(),
  computedAt: T.Union([T.String(), T.Null()]),
});
export type RiskDistrictsReply = Static<typeof RiskDistrictsReply>;

export const RecomputeReply = Job;

// ── nearby ───────────────────────────────────────────────────────────────────

/** the largest radius of `nearby` (m) */
export const NEARBY_MAX_RADIUS_M = 50_000;

export const NearbyQuery = T.Object({
  near: T.String({ pattern: '^-?[0-9.]+,-?[0-9.]+$', description: 'lon,lat (WGS-84)' }),
  radiusM: T.Optional(T.Number({ minimum: 1, maximum: NEARBY_MAX_RADIUS_M, default: 5000 })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
  /** comma-separated census kinds (default: all but population_grid) */
  kinds: T.Optional(T.String({ maxLength: 400 })),
});
export type NearbyQuery = Static<typeof NearbyQuery>;

export const NearbyRisk = T.Object({
  id: T.String(),
  layer: T.String({ description: 'the layer id' }),
  layerName: T.String(),
  kind: T.Enum(CENSUS_KINDS),
  role: T.Enum(CENSUS_ROLES),
  name: T.Union([T.String(), T.Null()]),
  /** geodesic distance to the nearest point of the geometry (0 inside it) */
  meters: T.Number(),
  hazardLevel: T.Union([T.Integer(), T.Null()]),
  population: T.Union([T.Number(), T.Null()]),
  capacity: T.Union([T.Number(), T.Null()]),
  geometry: Geometry,
});
export type NearbyRisk = Static<typeof NearbyRisk>;
export const NearbyReply = T.Object({ items: T.Array(NearbyRisk), total: T.Integer() });
export type NearbyReply = Static<typeof NearbyReply>;

// ── prevention projects ──────────────────────────────────────────────────────

export const PROJECT_TYPES = [
  'water_storage',
  'fire_road',
  'geohazard_works',
  'flood_control',
  'shelter_construction',
  'other',
] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export const PROJECT_TYPE_INFO: Record<ProjectType, Words & { unit: string; unitEn: string }> = {
  water_storage: { zh: '蓄水设施', en: 'Water storage facilities', unit: '处', unitEn: 'facilities' },
  fire_road: { zh: '防火道路', en: 'Fire roads', unit: '公里', unitEn: 'km' },
  geohazard_works: { zh: '地质灾害治理工程', en: 'Geological hazard works', unit: '处', unitEn: 'sites' },
  flood_control: { zh: '防洪排涝工程', en: 'Flood control works', unit: '处', unitEn: 'sites' },
  shelter_construction: { zh: '避难场所建设', en: 'Shelter construction', unit: '个', unitEn: 'shelters' },
  other: { zh: '其他', en: 'Other', unit: '项', unitEn: 'items' },
};

/**
 * A project's status on a day: `done` when the reported quantity reaches the target; `behind` when its share is
 * below the share of its time elapsed by more than `PROJECT_BEHIND_TOLERANCE` (or its end date passed undone);
 * `on_track` otherwise (also before its start).
 */
export const PROJECT_STATUSES = ['behind', 'on_track', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_STATUS_INFO: Record<ProjectStatus, Words & { color: string }> = {
  behind: { zh: '滞后', en: 'Behind', color: '#d4380d' },
  on_track: { zh: '正常推进', en: 'On track', color: '#1677ff' },
  done: { zh: '已完成', en: 'Done', color: '#52c41a' },
};
export const PROJECT_BEHIND_TOLERANCE = 0.1;

const Day = T.String({ format: 'date', description: 'YYYY-MM-DD (Beijing)' });

export const ProjectInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  type: T.Enum(PROJECT_TYPES),
  /** district code (371002 …) */
  district: T.String({ minLength: 1, maxLength: 40 }),
  /** a point, line or polygon (WGS-84), optional */
  location: T.Optional(T.Union([Geometry, T.Null()])),
  targetQuantity: T.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  unit: T.String({ minLength: 1, maxLength: 20, description: '个, 公里, 处 …' }),
  responsibleUnit: T.String({ minLength: 1, maxLength: 200 }),
  startDate: Day,
  endDate: Day,
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type ProjectInput = Static<typeof ProjectInput>;

export const ProjectPatch = T.Object({
  ...T.Partial(ProjectInput).properties,
  version: Version(),
});
export type ProjectPatch = Static<typeof ProjectPatch>;

export const PreventionProject = T.Object({
  id: T.String({ format: 'uuid' }),
  name: T.String(),
  type: T.Enum(PROJECT_TYPES),
  district: T.String(),
  districtName: T.String(),
  location: T.Union([Geometry, T.Null()]),
  targetQuantity: T.Number(),
  unit: T.String(),
  responsibleUnit: T.String(),
  startDate: T.String(),
  endDate: T.String(),
  notes: T.Union([T.String(), T.Null()]),
  /** the latest cumulative quantity reported */
  doneQuantity: T.Number(),
  /** doneQuantity / targetQuantity, capped at 1 */
  share: T.Number(),
  /** the share of the time from start to end elapsed today (0–1) */
  expectedShare: T.Number(),
  status: T.Enum(PROJECT_STATUSES),
  lastReportDate: T.Union([T.String(), T.Null()]),
  ownerUnit: T.String(),
  version: T.Integer(),
  demo: T.Boolean(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type PreventionProject = Static<typeof PreventionProject>;

/**
 * A progress report states the **cumulative** quantity done by its date (not an increment): a repeated or late report
 * cannot double-count. The increment is derived from the report before it.
 */
export const ProgressInput = T.Object({
  date: Day,
  quantity: T.Number({ minimum: 0, maximum: 10_000_000, description: 'cumulative quantity done by this date' }),
  note: T.Optional(T.String({ maxLength: 1000 })),
  reporter: T.Optional(T.String({ maxLength: 100, description: 'default: the signed-in user' })),
});
export type ProgressInput = Static<typeof ProgressInput>;

export const ProgressReport = T.Object({
  id: T.String(),
  date: T.String(),
  quantity: T.Number(),
  /** quantity minus the previous report's (by date) */
  increment: T.Number(),
  share: T.Number(),
  note: T.Union([T.String(), T.Null()]),
  reporter: T.String(),
  createdAt: T.String(),
});
export type ProgressReport = Static<typeof ProgressReport>;

export const ProjectDetail = T.Object({ ...PreventionProject.properties, reports: T.Array(ProgressReport) });
export type ProjectDetail = Static<typeof ProjectDetail>;

export const ProjectListQuery = T.Object({
  type: T.Optional(T.Enum(PROJECT_TYPES)),
  district: T.Optional(T.String({ maxLength: 40 })),
  status: T.Optional(T.Enum(PROJECT_STATUSES)),
  q: T.Optional(T.String({ maxLength: 100 })),
  ...paging({ maxLimit: 500 }),
});
export type ProjectListQuery = Static<typeof ProjectListQuery>;

export const ProjectExportQuery = T.Object({
  type: T.Optional(T.Enum(PROJECT_TYPES)),
  district: T.Optional(T.String({ maxLength: 40 })),
  status: T.Optional(T.Enum(PROJECT_STATUSES)),
});
export type ProjectExportQuery = Static<typeof ProjectExportQuery>;

/** Per type: target and done (in its unit), projects by status — and per district within each type. */
export const ProjectSummaryRow = T.Object({
  type: T.Enum(PROJECT_TYPES),
  district: T.Union([T.String(), T.Null()]),
  districtName: T.Union([T.String(), T.Null()]),
  unit: T.String(),
  target: T.Number(),
  done: T.Number(),
  share: T.Number(),
  projects: Count(),
  behind: Count(),
  onTrack: Count(),
  finished: Count(),
});
export type ProjectSummaryRow = Static<typeof ProjectSummaryRow>;
export const ProjectSummaryReply = T.Object({ items: T.Array(ProjectSummaryRow), total: T.Integer() });
export type ProjectSummaryReply = Static<typeof ProjectSummaryReply>;
