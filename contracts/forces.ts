/**
 * Rescue forces (救援力量): teams of every kind with their members, equipment, vehicles and status, the areas the
 * coverage analyses measure (built-up land, forests, chemical parks), and the analyses' questions and answers.
 * Shared by the server (schemas) and the web (types, names, colours).
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { Point } from './incidents.ts';

export const TEAM_TYPES = [
  'fire_rescue',
  'forest_fire',
  'professional',
  'enterprise',
  'volunteer',
  'aviation',
  'communications',
  'transport',
] as const;
export type TeamType = (typeof TEAM_TYPES)[number];
export const TEAM_TYPE_INFO: Record<TeamType, { zh: string; en: string; color: string }> = {
  fire_rescue: { zh: '综合性消防救援队伍', en: 'Fire and rescue', color: '#cf1322' },
  forest_fire: { zh: '森林消防队伍', en: 'Forest firefighting', color: '#389e0d' },
  professional: { zh: '专业救援队伍', en: 'Professional rescue', color: '#d46b08' },
  enterprise: { zh: '企业救援队伍', en: 'Enterprise rescue', color: '#7c3aed' },
  volunteer: { zh: '社会救援力量', en: 'Volunteer rescue', color: '#0891b2' },
  aviation: { zh: '航空救援力量', en: 'Aviation rescue', color: '#1d39c4' },
  communications: { zh: '通信保障队伍', en: 'Communications support', color: '#595959' },
  transport: { zh: '运输保障队伍', en: 'Transport convoy', color: '#8c6d1f' },
};

/**
 * Fire station classes and the most built-up area a station's district may hold (建标152-2017 第十四条,
 * `shared/reference/standards-facts.md` §6): 一级 ≤ 7 km², 二级 ≤ 4, 小型 ≤ 2, 特勤 as 一级, a station in the near
 * suburbs ≤ 15; 战勤保障站 has no district and does not count toward coverage.
 */
export const STATION_CLASSES = ['class1', 'class2', 'small', 'special', 'support'] as const;
export type StationClass = (typeof STATION_CLASSES)[number];
export const STATION_CLASS_INFO: Record<StationClass, { zh: string; en: string; limitKm2: number | null }> = {
  class1: { zh: '一级普通消防站', en: 'Class 1 station', limitKm2: 7 },
  class2: { zh: '二级普通消防站', en: 'Class 2 station', limitKm2: 4 },
  small: { zh: '小型普通消防站', en: 'Small station', limitKm2: 2 },
  special: { zh: '特勤消防站', en: 'Special service station', limitKm2: 7 },
  support: { zh: '战勤保障消防站', en: 'Logistics support station', limitKm2: null },
};
/** the district limit of a station in the near suburbs (近郊区普通站) */
export const SUBURBAN_LIMIT_KM2 = 15;

export const SPECIALTIES = [
  'hazardous_chemicals',
  'mine',
  'tunnel',
  'maritime',
  'flood',
  'geological',
  'road',
  'medical',
  'epidemic',
  'accident',
  'power',
  'building_collapse',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];
export const SPECIALTY_INFO: Record<Specialty, { zh: string; en: string }> = {
  hazardous_chemicals: { zh: '危险化学品', en: 'Hazardous chemicals' },
  mine: { zh: '矿山', en: 'Mine' },
  tunnel: { zh: '隧道', en: 'Tunnel' },
  maritime: { zh: '海上', en: 'Maritime' },
  flood: { zh: '防汛抗洪', en: 'Flood' },
  geological: { zh: '地质灾害', en: 'Geological hazards' },
  road: { zh: '道路抢通', en: 'Road clearance' },
  medical: { zh: '医疗救护', en: 'Medical' },
  epidemic: { zh: '防疫', en: 'Epidemic' },
  accident: { zh: '事故救援', en: 'Accident rescue' },
  power: { zh: '电力抢修', en: 'Power repair' },
  building_collapse: { zh: '建筑坍塌', en: 'Building collapse' },
};

export const TEAM_STATUSES = ['available', 'on_duty', 'deployed', 'resting', 'maintenance'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];
export const TEAM_STATUS_INFO: Record<TeamStatus, { zh: string; en: string; color: string; dispatchable: boolean }> = {
  available: { zh: '待命', en: 'Available', color: '#389e0d', dispatchable: true },
  on_duty: { zh: '执勤', en: 'On duty', color: '#1677ff', dispatchable: true },
  deployed: { zh: '已出动', en: 'Deployed', color: '#d4380d', dispatchable: false },
  resting: { zh: '休整', en: 'Resting', color: '#8c8c8c', dispatchable: false },
  maintenance: { zh: '装备维护', en: 'Maintenance', color: '#faad14', dispatchable: false },
};
/** Teams in these statuses can be dispatched and count in the coverage analyses. */
export const DISPATCHABLE: readonly TeamStatus[] = TEAM_STATUSES.filter((s) => TEAM_STATUS_INFO[s].dispatchable);

export const VEHICLE_KINDS = ['vehicle', 'aircraft', 'vessel'] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];
export const VEHICLE_KIND_INFO: Record<VehicleKind, { zh: string; en: string }> = {
  vehicle: { zh: '车辆', en: 'Vehicle' },
  aircraft: { zh: '航空器', en: 'Aircraft' },
  vessel: { zh: '船艇', en: 'Vessel' },
};

/** the default operating radius of an aviation base (work plan: 80 km flight radius) */
export const DEFAULT_AVIATION_RADIUS_KM = 80;

const Day = T.String({ format: 'date', description: 'YYYY-MM-DD' });

export const Equipment = T.Object({
  /** a GB/T 38565-2020 emergency supplies code (7 digits) */
  code: T.String({ pattern: '^[0-9]{7}$', description: 'GB/T 38565-2020 code' }),
  quantity: T.Integer({ minimum: 0, maximum: 1_000_000 }),
  note: T.Optional(T.String({ maxLength: 200 })),
});
export type Equipment = Static<typeof Equipment>;

export const Vehicle = T.Object({
  kind: T.Enum(VEHICLE_KINDS),
  /** model or type: 水罐消防车, H-135 … */
  model: T.String({ minLength: 1, maxLength: 100 }),
  /** plate, tail number or hull number */
  registration: T.Optional(T.String({ maxLength: 50 })),
  quantity: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })),
  /** an aircraft's operating radius */
  radiusKm: T.Optional(T.Number({ minimum: 0, maximum: 2000 })),
});
export type Vehicle = Static<typeof Vehicle>;

export const Contact = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  role: T.Optional(T.String({ maxLength: 100 })),
  phone: T.String({ minLength: 3, maxLength: 40 }),
});
export type Contact = Static<typeof Contact>;

export const TeamInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 200 }),
  type: T.Enum(TEAM_TYPES),
  location: Point,
  /** fire stations only */
  stationClass: T.Optional(T.Enum(STATION_CLASSES)),
  /** a station in the near suburbs: its district may hold up to 15 km² */
  suburban: T.Optional(T.Boolean()),
  specialties: T.Optional(T.Array(T.Enum(SPECIALTIES), { maxItems: SPECIALTIES.length, uniqueItems: true })),
  /** an aviation base's operating radius (default 80 km) */
  radiusKm: T.Optional(T.Number({ minimum: 0, maximum: 2000 })),
  /** the owning organisation (org unit code); default the creator's unit */
  ownerUnit: T.Optional(T.String({ maxLength: 64 })),
  /** an owner outside the bureau's units (an enterprise, an association), by name */
  organisation: T.Optional(T.String({ maxLength: 200 })),
  headcount: T.Optional(T.Integer({ minimum: 0, maximum: 100_000 })),
  capabilities: T.Optional(
    T.Array(T.String({ minLength: 1, maxLength: 40 }), { maxItems: 30, uniqueItems: true, description: 'free tags' }),
  ),
  equipment: T.Optional(T.Array(Equipment, { maxItems: 500 })),
  vehicles: T.Optional(T.Array(Vehicle, { maxItems: 200 })),
  contacts: T.Optional(T.Array(Contact, { maxItems: 20 })),
  status: T.Optional(T.Enum(TEAM_STATUSES)),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type TeamInput = Static<typeof TeamInput>;

export const TeamPatch = T.Object({ ...T.Partial(TeamInput).properties, version: Version() });
export type TeamPatch = Static<typeof TeamPatch>;

export const TeamFlags = T.Object({
  /** status not confirmed for more than the configured days */
  staleStatus: T.Boolean(),
  /** members' certificates expiring within 30 days, and already expired */
  expiringCertificates: T.Integer(),
  expiredCertificates: T.Integer(),
});
export type TeamFlags = Static<typeof TeamFlags>;

export const Team = T.Object({
  id: T.String(),
  name: T.String(),
  type: T.Enum(TEAM_TYPES),
  location: Point,
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  ownerUnit: T.Union([T.Object({ code: T.String(), name: T.String(), nameEn: T.String() }), T.Null()]),
  organisation: T.String(),
  stationClass: T.Union([T.Enum(STATION_CLASSES), T.Null()]),
  suburban: T.Boolean(),
  specialties: T.Array(T.Enum(SPECIALTIES)),
  radiusKm: T.Union([T.Number(), T.Null()]),
  headcount: T.Integer(),
  memberCount: T.Integer(),
  capabilities: T.Array(T.String()),
  equipment: T.Array(Equipment),
  vehicles: T.Array(Vehicle),
  contacts: T.Array(Contact),
  status: T.Enum(TEAM_STATUSES),
  statusNote: T.String(),
  statusConfirmedAt: T.String(),
  dispatchable: T.Boolean(),
  flags: TeamFlags,
  notes: T.String(),
  demo: T.Boolean(),
  version: T.Integer(),
  createdAt: T.String(),
  updatedAt: T.String(),
});
export type Team = Static<typeof Team>;

export const TEAM_FLAGS = ['stale', 'expiring'] as const;
export type TeamFlag = (typeof TEAM_FLAGS)[number];

export const TeamListQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100, description: 'name or organisation contains' })),
  type: T.Optional(T.Enum(TEAM_TYPES)),
  status: T.Optional(T.Enum(TEAM_STATUSES)),
  district: T.Optional(T.String({ maxLength: 64 })),
  capability: T.Optional(T.String({ maxLength: 40, description: 'a capability tag or a specialty' })),
  stationClass: T.Optional(T.Enum(STATION_CLASSES)),
  dispatchable: T.Optional(T.Boolean()),
  flag: T.Optional(T.Enum(TEAM_FLAGS, { description: 'stale: status not confirmed; expiring: certificates' })),
  ...paging({ maxLimit: 2000, defaultLimit: 50 }),
});
export type TeamListQuery = Static<typeof TeamListQuery>;

export const StatusChange = T.Object({
  status: T.Enum(TEAM_STATUSES),
  note: T.Optional(T.String({ maxLength: 500 })),
});
export type StatusChange = Static<typeof StatusChange>;

export const StatusEntry = T.Object({
  id: T.String(),
  status: T.Enum(TEAM_STATUSES),
  previous: T.Union([T.Enum(TEAM_STATUSES), T.Null()]),
  note: T.String(),
  by: T.Union([T.String(), T.Null()]),
  at: T.String(),
});
export type StatusEntry = Static<typeof StatusEntry>;

export const Certificate = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  number: T.Optional(T.String({ maxLength: 100 })),
  expiresOn: T.Optional(Day),
});
export type Certificate = Static<typeof Certificate>;

export const Training = T.Object({
  course: T.String({ minLength: 1, maxLength: 200 }),
  hours: T.Number({ minimum: 0, maximum: 10_000 }),
  date: Day,
});
export type Training = Static<typeof Training>;

export const MemberInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  role: T.Optional(T.String({ maxLength: 100 })),
  phone: T.Optional(T.String({ maxLength: 40 })),
  certificates: T.Optional(T.Array(Certificate, { maxItems: 50 })),
  training: T.Optional(T.Array(Training, { maxItems: 500 })),
});
export type MemberInput = Static<typeof MemberInput>;
export const MemberPatch = T.Object({ ...T.Partial(MemberInput).properties, version: Version() });
export type MemberPatch = Static<typeof MemberPatch>;

export const Member = T.Object({
  id: T.String(),
  teamId: T.String(),
  name: T.String(),
  role: T.String(),
  phone: T.String(),
  certificates: T.Array(T.Object({ ...Certificate.properties, state: T.Enum(['valid', 'expiring', 'expired']) })),
  training: T.Array(Training),
  trainingHours: T.Number(),
  version: T.Integer(),
});
export type Member = Static<typeof Member>;

/** The commanders' board: dispatchable strength by type and district. */
export const ForcesSummary = T.Object({
  byType: T.Array(
    T.Object({
      type: T.Enum(TEAM_TYPES),
      teams: T.Integer(),
      headcount: T.Integer(),
      byStatus: T.Record(T.String(), T.Integer()),
    }),
  ),
  byDistrict: T.Array(T.Object({ code: T.String(), name: T.String(), teams: T.Integer(), dispatchable: T.Integer() })),
  flagged: T.Object({ stale: T.Integer(), expiring: T.Integer() }),
  staleAfterDays: T.Integer(),
});
export type ForcesSummary = Static<typeof ForcesSummary>;

// ————— areas the analyses measure —————

export const AREA_KINDS = ['built_up', 'forest', 'chemical_park'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];
export const AREA_KIND_INFO: Record<AreaKind, { zh: string; en: string; color: string }> = {
  built_up: { zh: '建成区', en: 'Built-up area', color: '#fa8c16' },
  forest: { zh: '林区', en: 'Forest', color: '#237804' },
  chemical_park: { zh: '化工园区', en: 'Chemical park', color: '#9254de' },
};

/** a GeoJSON Polygon or MultiPolygon (WGS-84); checked by the service */
export const AreaGeometry = T.Object(
  { type: T.Union([T.Literal('Polygon'), T.Literal('MultiPolygon')]), coordinates: T.Array(T.Unknown()) },
  { description: 'GeoJSON Polygon or MultiPolygon, WGS-84' },
);
export type AreaGeometry = Static<typeof AreaGeometry>;

export const ForceAreaInput = T.Object({
  kind: T.Enum(AREA_KINDS),
  name: T.String({ minLength: 1, maxLength: 200 }),
  geometry: AreaGeometry,
  /** drawn roughly, not surveyed */
  approximate: T.Optional(T.Boolean()),
  notes: T.Optional(T.String({ maxLength: 2000 })),
});
export type ForceAreaInput = Static<typeof ForceAreaInput>;

export const ForceArea = T.Object({
  id: T.String(),
  kind: T.Enum(AREA_KINDS),
  name: T.String(),
  district: T.Union([T.Object({ code: T.String(), name: T.String() }), T.Null()]),
  geometry: AreaGeometry,
  areaKm2: T.Number(),
  approximate: T.Boolean(),
  notes: T.String(),
  demo: T.Boolean(),
  createdAt: T.String(),
});
export type ForceArea = Static<typeof ForceArea>;

export const ForceAreaListQuery = T.Object({
  kind: T.Optional(T.Enum(AREA_KINDS)),
  ...paging({ maxLimit: 1000, defaultLimit: 200 }),
});

/** A GeoJSON FeatureCollection of Polygons / MultiPolygons to add as areas of one kind (names from `name`). */
export const ForceAreaImport = T.Object({
  kind: T.Enum(AREA_KINDS),
  approximate: T.Optional(T.Boolean()),
  collection: T.Object({ type: T.Literal('FeatureCollection'), features: T.Array(T.Unknown(), { maxItems: 5000 }) }),
});
export type ForceAreaImport = Static<typeof ForceAreaImport>;

// ————— analyses —————

const TeamIds = T.Optional(
  T.Array(T.String({ format: 'uuid' }), {
    maxItems: 2000,
    uniqueItems: true,
    description: 'what-if: these teams only (default: every dispatchable team of the type)',
  }),
);

/** the `format` of an analysis: the answer as JSON (default), an Excel workbook or GeoJSON */
export const AnalysisQuery = T.Object({
  format: T.Optional(T.Enum(['json', 'xlsx', 'geojson'])),
});

export const DistrictShare = T.Object({
  code: T.String(),
  name: T.String(),
  /** null: the zone has no boundary loaded, or nothing of what is measured lies in it */
  coveredShare: T.Union([T.Number({ minimum: 0, maximum: 1 }), T.Null()]),
  hasBoundary: T.Boolean(),
  areaKm2: T.Number(),
  coveredKm2: T.Number(),
});
export type DistrictShare = Static<typeof DistrictShare>;

export const AnalysisTeamRef = T.Object({ id: T.String(), name: T.String(), type: T.Enum(TEAM_TYPES) });

export const FireCoverageRequest = T.Object({
  minutes: T.Optional(T.Number({ minimum: 1, maximum: 60, default: 5 })),
  turnoutMinutes: T.Optional(T.Number({ minimum: 0, maximum: 30, default: 1 })),
  /** built-up land to measure (default: the registered built-up areas) */
  areas: T.Optional(AreaGeometry),
  teamIds: TeamIds,
});
export type FireCoverageRequest = Static<typeof FireCoverageRequest>;

export const StationDistrict = T.Object({
  id: T.String(),
  name: T.String(),
  stationClass: T.Union([T.Enum(STATION_CLASSES), T.Null()]),
  suburban: T.Boolean(),
  location: T.Array(T.Number()),
  /** built-up area this station reaches first (km²) */
  districtKm2: T.Number(),
  limitKm2: T.Union([T.Number(), T.Null()]),
  withinLimit: T.Union([T.Boolean(), T.Null()]),
  /** farther than the snapping distance from every road: not counted */
  offNetwork: T.Boolean(),
});
export type StationDistrict = Static<typeof StationDistrict>;

/** why a team of the analysed type does not count */
export const EXCLUSION_REASONS = ['not_dispatchable', 'support_station'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

const Cells = T.Unknown({ description: 'GeoJSON FeatureCollection of H3 cells' });

export const FireCoverageReply = T.Object({
  coveredShare: T.Number({ minimum: 0, maximum: 1 }),
  minutes: T.Number(),
  turnoutMinutes: T.Number(),
  driveMinutes: T.Number(),
  areaKm2: T.Number(),
  coveredKm2: T.Number(),
  districts: T.Array(DistrictShare),
  stations: T.Array(StationDistrict),
  /** support stations and teams not dispatchable were left out: named here */
  excluded: T.Array(
    T.Object({
      id: T.String(),
      name: T.String(),
      /** not_dispatchable: its status (given) keeps it out; support_station: 战勤保障站 have no district */
      reason: T.Enum(EXCLUSION_REASONS),
      status: T.Enum(TEAM_STATUSES),
    }),
  ),
  uncovered: Cells,
  covered: Cells,
  areaSource: T.Enum(['request', 'register']),
  h3Resolution: T.Integer(),
  network: T.Object({ name: T.String(), synthetic: T.Boolean() }),
});
export type FireCoverageReply = Static<typeof FireCoverageReply>;

export const ForestCoverageRequest = T.Object({
  minutes: T.Optional(T.Number({ minimum: 1, maximum: 240, default: 30 })),
  turnoutMinutes: T.Optional(T.Number({ minimum: 0, maximum: 60, default: 0 })),
  /** forest polygons to measure (default: the registered forest areas) */
  areas: T.Optional(AreaGeometry),
  teamIds: TeamIds,
});
export type ForestCoverageRequest = Static<typeof ForestCoverageRequest>;

export const ForestAreaResult = T.Object({
  id: T.Union([T.String(), T.Null()]),
  name: T.String(),
  district: T.Union([T.String(), T.Null()]),
  areaKm2: T.Number(),
  coveredShare: T.Number(),
  reached: T.Boolean(),
  approximate: T.Boolean(),
});
export const ForestCoverageReply = T.Object({
  coveredShare: T.Number({ minimum: 0, maximum: 1 }),
  minutes: T.Number(),
  areaKm2: T.Number(),
  coveredKm2: T.Number(),
  districts: T.Array(
    T.Object({
      ...DistrictShare.properties,
      /** every forest area of the district is reached; null: the district has none */
      covered: T.Union([T.Boolean(), T.Null()]),
      missing: T.Array(T.String()),
    }),
  ),
  areas: T.Array(ForestAreaResult),
  teams: T.Array(T.Object({ ...AnalysisTeamRef.properties, offNetwork: T.Boolean(), reachedKm2: T.Number() })),
  uncovered: Cells,
  covered: Cells,
  areaSource: T.Enum(['request', 'register']),
  h3Resolution: T.Integer(),
});
export type ForestCoverageReply = Static<typeof ForestCoverageReply>;

export const AviationCoverageRequest = T.Object({
  /** radius for bases that give none (default 80 km) */
  radiusKm: T.Optional(T.Number({ minimum: 0, maximum: 2000 })),
  includeSea: T.Optional(T.Boolean({ default: false })),
  teamIds: TeamIds,
});
export type AviationCoverageRequest = Static<typeof AviationCoverageRequest>;

export const AviationCoverageReply = T.Object({
  coveredShare: T.Number({ minimum: 0, maximum: 1 }),
  areaKm2: T.Number(),
  coveredKm2: T.Number(),
  districts: T.Array(DistrictShare),
  bases: T.Array(T.Object({ ...AnalysisTeamRef.properties, location: T.Array(T.Number()), radiusKm: T.Number() })),
  /** the bases' reach, geodesic circles as polygons */
  reach: T.Unknown(),
  uncovered: T.Unknown({ description: 'GeoJSON MultiPolygon' }),
  includeSea: T.Boolean(),
  h3Resolution: T.Integer(),
});
export type AviationCoverageReply = Static<typeof AviationCoverageReply>;

export const ChemicalParksRequest = T.Object({
  /** a team based outside the park counts when it drives there within this time */
  minutes: T.Optional(T.Number({ minimum: 0, maximum: 120, default: 10 })),
  teamIds: TeamIds,
});
export type ChemicalParksRequest = Static<typeof ChemicalParksRequest>;

export const ParkCompliance = T.Object({
  id: T.String(),
  name: T.String(),
  district: T.Union([T.String(), T.Null()]),
  compliant: T.Boolean(),
  teams: T.Array(
    T.Object({
      ...AnalysisTeamRef.properties,
      inside: T.Boolean(),
      /** drive time to the park (its centre) in minutes; null when it cannot be driven */
      minutes: T.Union([T.Number(), T.Null()]),
    }),
  ),
});
export type ParkCompliance = Static<typeof ParkCompliance>;

export const ChemicalParksReply = T.Object({
  minutes: T.Number(),
  items: T.Array(ParkCompliance),
  compliant: T.Integer(),
  total: T.Integer(),
});
export type ChemicalParksReply = Static<typeof ChemicalParksReply>;

const LonLat = T.Tuple([T.Number({ minimum: -180, maximum: 180 }), T.Number({ minimum: -90, maximum: 90 })]);

export const StationSitingRequest = T.Object({
  k: T.Integer({ minimum: 1, maximum: 50 }),
  minutes: T.Optional(T.Number({ minimum: 1, maximum: 60, default: 5 })),
  turnoutMinutes: T.Optional(T.Number({ minimum: 0, maximum: 30, default: 1 })),
  /** candidate sites (default: generated on the roads of the demand area) */
  candidates: T.Optional(T.Array(LonLat, { minItems: 1, maxItems: 3000 })),
  /** how many sites to generate when none are given */
  candidateCount: T.Optional(T.Integer({ minimum: 10, maximum: 3000, default: 300 })),
  /** demand points with weights (population); default: the built-up areas by H3 cell, weighted by area */
  demand: T.Optional(
    T.Array(T.Object({ location: LonLat, weight: T.Number({ minimum: 0, maximum: 1e9 }) }), {
      minItems: 1,
      maxItems: 50_000,
    }),
  ),
  /** the built-up land whose cells are the demand when `demand` is not given (default: the register's) */
  areas: T.Optional(AreaGeometry),
  /** also the least number of new stations to reach this share */
  targetShare: T.Optional(T.Number({ minimum: 0, maximum: 1 })),
  /** the solver's time limit */
  timeLimitSeconds: T.Optional(T.Integer({ minimum: 1, maximum: 120, default: 60 })),
  teamIds: TeamIds,
});
export type StationSitingRequest = Static<typeof StationSitingRequest>;

export const SitingPlan = T.Object({
  sites: T.Array(T.Object({ location: T.Array(T.Number()), marginalGain: T.Number(), marginalShare: T.Number() })),
  coveredShareAfter: T.Number(),
  objective: T.Number(),
});

export const StationSitingReply = T.Object({
  ...SitingPlan.properties,
  coveredShareBefore: T.Number(),
  /** the solver's proof: optimal when the gap is 0 */
  optimal: T.Boolean(),
  gap: T.Number(),
  bound: T.Number(),
  status: T.String(),
  solverSeconds: T.Number(),
  greedy: T.Object({ ...SitingPlan.properties, gap: T.Number() }),
  minSites: T.Union([
    T.Object({
      targetShare: T.Number(),
      feasible: T.Boolean(),
      count: T.Integer(),
      optimal: T.Boolean(),
      sites: T.Array(T.Object({ location: T.Array(T.Number()) })),
    }),
    T.Null(),
  ]),
  candidates: T.Integer(),
  demandCells: T.Integer(),
  demandSource: T.Enum(['request', 'built_up']),
  /** each chosen site's reach as cells merged into a MultiPolygon */
  reach: T.Unknown(),
});
export type StationSitingReply = Static<typeof StationSitingReply>;
