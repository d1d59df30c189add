/**
 * The gazetteer's places: their kinds (with the label both languages show and the tier that ranks a search hit),
 * where each comes from, the search and the administrators' place list.
 */
import { type Static, Type as T } from 'typebox';
import { paging, Version } from './common.ts';
import { LonLatSchema } from './geo.ts';

/**
 * Kinds of places. `tier` ranks search hits of equal match quality: administrative units and settlements first,
 * then points of interest, then junctions.
 */
export const PLACE_KINDS = {
  city: { zh: '城市', en: 'City', tier: 4 },
  district: { zh: '区市', en: 'District', tier: 4 },
  area: { zh: '管理区', en: 'Administrative area', tier: 4 },
  town: { zh: '镇', en: 'Town', tier: 4 },
  subdistrict: { zh: '街道', en: 'Subdistrict', tier: 4 },
  suburb: { zh: '城区', en: 'Suburb', tier: 3 },
  village: { zh: '村', en: 'Village', tier: 3 },
  island: { zh: '岛屿', en: 'Island', tier: 3 },
  hamlet: { zh: '自然村', en: 'Hamlet', tier: 2 },
  neighbourhood: { zh: '社区', en: 'Neighbourhood', tier: 2 },
  locality: { zh: '地名', en: 'Locality', tier: 2 },
  hospital: { zh: '医院', en: 'Hospital', tier: 2 },
  clinic: { zh: '诊所', en: 'Clinic', tier: 2 },
  school: { zh: '学校', en: 'School', tier: 2 },
  university: { zh: '高校', en: 'University', tier: 2 },
  kindergarten: { zh: '幼儿园', en: 'Kindergarten', tier: 2 },
  police: { zh: '公安', en: 'Police', tier: 2 },
  fire_station: { zh: '消防站', en: 'Fire station', tier: 2 },
  townhall: { zh: '政府机关', en: 'Town hall', tier: 2 },
  ferry_terminal: { zh: '客运码头', en: 'Ferry terminal', tier: 2 },
  bus_station: { zh: '汽车站', en: 'Bus station', tier: 2 },
  station: { zh: '车站', en: 'Station', tier: 2 },
  airport: { zh: '机场', en: 'Airport', tier: 2 },
  port: { zh: '港口', en: 'Port', tier: 2 },
  stadium: { zh: '体育场', en: 'Stadium', tier: 2 },
  shelter: { zh: '避难场所', en: 'Shelter', tier: 2 },
  other: { zh: '其他', en: 'Other', tier: 1 },
  junction: { zh: '路口', en: 'Junction', tier: 0 },
} as const;
export type PlaceKind = keyof typeof PLACE_KINDS;
export const PLACE_KIND_CODES = Object.keys(PLACE_KINDS) as PlaceKind[];

/** osm: read by the road network's import; junction: built from its named roads; admin: the boundaries; list: kept by hand */
export const PLACE_SOURCES = ['osm', 'junction', 'admin', 'list'] as const;
export type PlaceSource = (typeof PLACE_SOURCES)[number];

/** kinds an administrator may give a place of the list */
export const LIST_KINDS = PLACE_KIND_CODES.filter((k) => k !== 'junction' && k !== 'district' && k !== 'city');

export const Place = T.Object({
  id: T.String(),
  name: T.String(),
  nameEn: T.Union([T.String(), T.Null()]),
  kind: T.String(),
  source: T.Enum(PLACE_SOURCES),
  districtCode: T.Union([T.String(), T.Null()]),
  point: LonLatSchema,
  /** demo data (the demo's towns and streets) */
  demo: T.Boolean(),
  /** the position is approximate (the seat of a town, not surveyed) */
  approximate: T.Boolean(),
});
export type Place = Static<typeof Place>;

/** A search hit: the place, how it matched, and how far it lies from `near` (metres) when one was given. */
export const PlaceHit = T.Object({
  ...Place.properties,
  match: T.Enum(['exact', 'prefix', 'inside'] as const),
  meters: T.Optional(T.Number()),
});
export type PlaceHit = Static<typeof PlaceHit>;

export const PlaceSearchQuery = T.Object({
  q: T.String({ minLength: 1, maxLength: 100 }),
  near: T.Optional(T.String({ pattern: '^-?[0-9.]+,-?[0-9.]+$', description: 'lon,lat: nearer places rank higher' })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
export type PlaceSearchQuery = Static<typeof PlaceSearchQuery>;

/** A place of the administrators' list as it is kept. */
export const ListPlace = T.Object({
  ...Place.properties,
  note: T.Union([T.String(), T.Null()]),
  createdBy: T.Union([T.String(), T.Null()]),
  updatedAt: T.String(),
  version: T.Integer(),
});
export type ListPlace = Static<typeof ListPlace>;

export const ListPlaceInput = T.Object({
  name: T.String({ minLength: 1, maxLength: 100 }),
  nameEn: T.Optional(T.Union([T.String({ maxLength: 200 }), T.Null()])),
  kind: T.Enum(LIST_KINDS),
  point: LonLatSchema,
  approximate: T.Optional(T.Boolean()),
  note: T.Optional(T.Union([T.String({ maxLength: 500 }), T.Null()])),
});
export type ListPlaceInput = Static<typeof ListPlaceInput>;

export const ListPlaceUpdate = T.Object({ ...ListPlaceInput.properties, version: Version() });
export type ListPlaceUpdate = Static<typeof ListPlaceUpdate>;

export const ListPlaceQuery = T.Object({
  q: T.Optional(T.String({ maxLength: 100 })),
  kind: T.Optional(T.Enum(LIST_KINDS)),
  district: T.Optional(T.String({ maxLength: 20 })),
  demo: T.Optional(T.Boolean()),
  ...paging({ defaultLimit: 20 }),
});
export type ListPlaceQuery = Static<typeof ListPlaceQuery>;
