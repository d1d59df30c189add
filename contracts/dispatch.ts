/**
 * Dispatch (调派): the teams nearest an incident by road, the orders sent to them, and the positions they report.
 * Shared by the server (schemas) and the web (types).
 */
import { type Static, Type as T } from 'typebox';
import { TEAM_STATUSES, TEAM_TYPES } from './forces.ts';
import { Point } from './incidents.ts';

/** A straight-line estimate (a team or the incident off the road network): the line × this detour factor … */
export const ESTIMATE_DETOUR_FACTOR = 1.4;
/** … driven at this speed (km/h): a cautious average for an emergency vehicle off the modelled roads */
export const ESTIMATE_SPEED_KMH = 40;
/** a reported position younger than this (minutes) stands for the team's place; older, its base does */
export const POSITION_FRESH_MINUTES = 15;
/** a position may say it was taken this far in the future (clock skew), at most */
export const POSITION_FUTURE_SECONDS = 60;
/** … and at most this long ago */
export const POSITION_MAX_AGE_HOURS = 24;
/** the history of positions is kept this many days */
export const POSITION_RETENTION_DAYS = 7;

export const NearestTeamsQuery = T.Object({
  type: T.Optional(T.Enum(TEAM_TYPES)),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 200, default: 20 })),
  /** default: the dispatchable statuses (available, on duty) */
  status: T.Optional(T.Array(T.Enum(TEAM_STATUSES), { maxItems: TEAM_STATUSES.length, uniqueItems: true })),
});
export type NearestTeamsQuery = Static<typeof NearestTeamsQuery>;

export const NearestTeam = T.Object({
  id: T.String(),
  name: T.String(),
  type: T.Enum(TEAM_TYPES),
  status: T.Enum(TEAM_STATUSES),
  /** seconds to the incident by road (emergency profile, closures in force); null: no road reaches it */
  etaSeconds: T.Union([T.Number(), T.Null()]),
  meters: T.Union([T.Number(), T.Null()]),
  /** a straight-line estimate (the team or the incident is off the road network) */
  estimated: T.Boolean(),
  /** where the trip starts: the team's base, or its last reported position (fresh) */
  from: T.Union([T.Literal('base'), T.Literal('position')]),
  location: Point,
  positionAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
});
export type NearestTeam = Static<typeof NearestTeam>;

export const NearestTeamsReply = T.Object({
  items: T.Array(NearestTeam),
  /** every candidate team (of the type and statuses asked), reachable or not */
  total: T.Integer(),
  /** the incident is off the road network: every item is an estimate */
  incidentOffNetwork: T.Boolean(),
  network: T.Union([T.Object({ name: T.String(), synthetic: T.Boolean() }), T.Null()]),
  /** closed segments taken into account */
  closures: T.Boolean(),
  estimate: T.Object({ detourFactor: T.Number(), speedKmh: T.Number() }),
});
export type NearestTeamsReply = Static<typeof NearestTeamsReply>;

export const DispatchInput = T.Object({
  teamId: T.String({ format: 'uuid' }),
  note: T.Optional(T.String({ maxLength: 500 })),
});
export type DispatchInput = Static<typeof DispatchInput>;

export const DispatchAction = T.Object({ note: T.Optional(T.String({ maxLength: 500 })) });
export type DispatchAction = Static<typeof DispatchAction>;

export const DISPATCH_STATES = ['en_route', 'arrived', 'released'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

const Who = T.Union([T.Object({ id: T.String(), displayName: T.String() }), T.Null()]);

export const Dispatch = T.Object({
  id: T.String(),
  incidentId: T.String(),
  team: T.Object({ id: T.String(), name: T.String(), type: T.Enum(TEAM_TYPES) }),
  state: T.Enum(DISPATCH_STATES),
  note: T.String(),
  /** the route at dispatch (GeoJSON LineString; a straight line when estimated) */
  route: T.Object({ type: T.Literal('LineString'), coordinates: T.Array(T.Array(T.Number())) }),
  etaSeconds: T.Union([T.Number(), T.Null()]),
  meters: T.Union([T.Number(), T.Null()]),
  estimated: T.Boolean(),
  from: T.Union([T.Literal('base'), T.Literal('position')]),
  dispatchedAt: T.String({ format: 'date-time' }),
  dispatchedBy: Who,
  /** dispatchedAt + etaSeconds */
  expectedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  arrivedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  releasedAt: T.Union([T.String({ format: 'date-time' }), T.Null()]),
  releaseNote: T.String(),
});
export type Dispatch = Static<typeof Dispatch>;

export const PositionInput = T.Object({
  ts: T.String({ format: 'date-time' }),
  location: Point,
});
export type PositionInput = Static<typeof PositionInput>;

export const PositionReply = T.Object({
  accepted: T.Boolean(),
  /** false when a newer position was already known (kept in the history only) */
  latest: T.Boolean(),
});
export type PositionReply = Static<typeof PositionReply>;

/** the `team.position` event's payload */
export interface TeamPositionEvent {
  teamId: string;
  ts: string;
  lng: number;
  lat: number;
}

export const TEAM_POSITION_TOPIC_PREFIX = 'anlan/v1/teams/';
export const TEAM_POSITION_TOPIC_SUFFIX = '/positions';
