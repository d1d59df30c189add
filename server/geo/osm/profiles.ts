/**
 * Routing profiles for the OSM import: speeds per road class (and of ferries), the one-way and access keys, which
 * access values open or close a way or a node, which barriers stop a profile, how `maxspeed` is used, and the turn
 * cost model copied into the network. The defaults live in profiles.json beside this file; an operator may point
 * to another file.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../errors.ts';
import {
  DEFAULT_TURN_COSTS,
  PROFILES,
  type Profile,
  ROAD_CLASSES,
  type RoadClass,
  type TurnCosts,
} from '../road/network.ts';

export interface TagMatch {
  key: string;
  values: string[];
}

/** What a barrier node (`barrier=*`) means to a profile when the node's own access tags do not decide. */
export interface BarrierSettings {
  /** barrier values the profile passes (gates, toll booths, …) */
  open: string[];
  /** barrier values known to stop it; a value in neither list stops it too, and is counted as unknown */
  closed: string[];
  /** tags that open any barrier (OSRM: bollard=rising, kerb=lowered) */
  openWhen: TagMatch[];
  /** barrier values passed whatever the node's access tags say (emergency crews open gates) */
  openDespiteAccess: string[];
}

export interface ProfileSettings {
  /** km/h per road class; 0 = the profile never uses that class (ferry: speed when a ferry has no duration) */
  speedsKmh: Record<RoadClass, number>;
  /** one-way keys from general to specific: the most specific key with a known value wins */
  onewayKeys: string[];
  /** access keys from general to specific: the most specific key tagged with a listed value wins */
  accessKeys: string[];
  accessAllow: string[];
  accessDeny: string[];
  /** tags that open a way to this profile whatever its access tags (emergency: service=emergency_access) */
  allowWhen: TagMatch[];
  /** tags that close a way to this profile whatever its access tags (car: service=emergency_access) */
  denyWhen: TagMatch[];
  /** 'cap': min(class speed, maxspeed × factor); 'replace': maxspeed × factor */
  maxspeed: { use: boolean; mode: 'cap' | 'replace'; factor: number };
  barriers: BarrierSettings;
  /** the turn cost model, copied into NetworkData.turnCosts (defaults: DEFAULT_TURN_COSTS, OSRM car.lua) */
  turns: TurnCosts;
}

export interface ProfileConfig {
  oneway: { impliedClasses: RoadClass[]; impliedJunctions: string[] };
  profiles: Record<Profile, ProfileSettings>;
}

export const DEFAULT_PROFILES_FILE = join(import.meta.dirname, 'profiles.json');

/** Reads and validates a profile file (default: profiles.json beside this module). */
export function loadProfiles(file: string = DEFAULT_PROFILES_FILE): ProfileConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid('file', `${basename(file)} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid('file', `${basename(file)} is not valid JSON (${(e as Error).message})`);
  }
  return validateProfiles(json, basename(file));
}

/** Checks a parsed profile config; every error names the offending key, e.g. `profiles.car.speedsKmh.motorway`. */
export function validateProfiles(json: unknown, source = 'profiles'): ProfileConfig {
  const at = (path: string, reason: string) => invalid(path, `${source}: ${path} ${reason}`);
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw at(path, 'must be an object');
    return v as Record<string, unknown>;
  };
  const known = (o: Record<string, unknown>, path: string, keys: string[]) => {
    for (const k of Object.keys(o)) {
      if (!k.startsWith('$') && !keys.includes(k)) {
        throw at(path ? `${path}.${k}` : k, `is not a known key (expected one of ${keys.join(', ')})`);
      }
    }
  };
  const strings = (v: unknown, path: string): string[] => {
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
      throw at(path, 'must be a list of non-empty strings');
    }
    return v as string[];
  };
  const num = (v: unknown, path: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw at(path, `must be a number from ${min} to ${max} (got ${JSON.stringify(v)})`);
    }
    return v;
  };
  const classes = (v: unknown, path: string): RoadClass[] => {
    const list = strings(v, path);
    for (const [i, c] of list.entries()) {
      if (!(ROAD_CLASSES as readonly string[]).includes(c)) throw at(`${path}.${i}`, `is not a road class: "${c}"`);
    }
    return list as RoadClass[];
  };
  const matches = (v: unknown, path: string): TagMatch[] => {
    if (!Array.isArray(v)) throw at(path, 'must be a list of {key, values}');
    return v.map((m, i) => {
      const o = obj(m, `${path}.${i}`);
      known(o, `${path}.${i}`, ['key', 'values']);
      if (typeof o.key !== 'string' || o.key === '') throw at(`${path}.${i}.key`, 'must be a non-empty string');
      return { key: o.key, values: strings(o.values, `${path}.${i}.values`) };
    });
  };

  const root = obj(json, '(root)');
  known(root, '', ['oneway', 'profiles']);
  const oneway = obj(root.oneway, 'oneway');
  known(oneway, 'oneway', ['impliedClasses', 'impliedJunctions']);
  const profilesObj = obj(root.profiles, 'profiles');
  known(profilesObj, 'profiles', [...PROFILES]);

  const profiles = {} as Record<Profile, ProfileSettings>;
  for (const name of PROFILES) {
    const path = `profiles.${name}`;
    const p = obj(profilesObj[name], path);
    known(p, path, [
      'speedsKmh',
      'onewayKeys',
      'accessKeys',
      'accessAllow',
      'accessDeny',
      'allowWhen',
      'denyWhen',
      'maxspeed',
      'barriers',
      'turns',
    ]);
    const speedsObj = obj(p.speedsKmh, `${path}.speedsKmh`);
    known(speedsObj, `${path}.speedsKmh`, [...ROAD_CLASSES]);
    const speedsKmh = {} as Record<RoadClass, number>;
    for (const c of ROAD_CLASSES) speedsKmh[c] = num(speedsObj[c], `${path}.speedsKmh.${c}`, 0, 300);
    const ms = obj(p.maxspeed, `${path}.maxspeed`);
    known(ms, `${path}.maxspeed`, ['use', 'mode', 'factor']);
    if (typeof ms.use !== 'boolean') throw at(`${path}.maxspeed.use`, 'must be true or false');
    if (ms.mode !== 'cap' && ms.mode !== 'replace') throw at(`${path}.maxspeed.mode`, 'must be "cap" or "replace"');
    const accessAllow = strings(p.accessAllow, `${path}.accessAllow`);
    const accessDeny = strings(p.accessDeny, `${path}.accessDeny`);
    const both = accessAllow.find((v) => accessDeny.includes(v));
    if (both !== undefined) throw at(`${path}.accessDeny`, `repeats "${both}", which accessAllow lists too`);
    const accessKeys = strings(p.accessKeys, `${path}.accessKeys`);
    if (accessKeys.length === 0) throw at(`${path}.accessKeys`, 'must name at least one key (e.g. "access")');
    const onewayKeys = strings(p.onewayKeys, `${path}.onewayKeys`);
    if (onewayKeys.length === 0) throw at(`${path}.onewayKeys`, 'must name at least one key (e.g. "oneway")');
    const b = obj(p.barriers, `${path}.barriers`);
    known(b, `${path}.barriers`, ['open', 'closed', 'openWhen', 'openDespiteAccess']);
    const open = strings(b.open, `${path}.barriers.open`);
    const closed = strings(b.closed, `${path}.barriers.closed`);
    const bothBarrier = open.find((v) => closed.includes(v));
    if (bothBarrier !== undefined)
      throw at(`${path}.barriers.closed`, `repeats "${bothBarrier}", which open lists too`);
    // a missing turns section (an older profile file) takes OSRM's defaults; a given one is checked key by key
    const turnsGiven: Record<string, unknown> = p.turns === undefined ? {} : obj(p.turns, `${path}.turns`);
    known(turnsGiven, `${path}.turns`, ['turnPenaltyS', 'turnBias', 'uturnS', 'signalS', 'uturnOnTwoWay']);
    const dflt = DEFAULT_TURN_COSTS[name];
    const turnNum = (k: 'turnPenaltyS' | 'turnBias' | 'uturnS' | 'signalS', min: number, max: number) =>
      turnsGiven[k] === undefined ? dflt[k] : num(turnsGiven[k], `${path}.turns.${k}`, min, max);
    const uturnOnTwoWay = turnsGiven.uturnOnTwoWay ?? dflt.uturnOnTwoWay;
    if (typeof uturnOnTwoWay !== 'boolean') throw at(`${path}.turns.uturnOnTwoWay`, 'must be true or false');
    profiles[name] = {
      speedsKmh,
      onewayKeys,
      accessKeys,
      accessAllow,
      accessDeny,
      allowWhen: matches(p.allowWhen, `${path}.allowWhen`),
      denyWhen: matches(p.denyWhen, `${path}.denyWhen`),
      maxspeed: { use: ms.use, mode: ms.mode, factor: num(ms.factor, `${path}.maxspeed.factor`, 0.1, 3) },
      barriers: {
        open,
        closed,
        openWhen: matches(b.openWhen, `${path}.barriers.openWhen`),
        openDespiteAccess: strings(b.openDespiteAccess, `${path}.barriers.openDespiteAccess`),
      },
      turns: {
        turnPenaltyS: turnNum('turnPenaltyS', 0, 120),
        turnBias: turnNum('turnBias', 0.5, 2),
        uturnS: turnNum('uturnS', 0, 600),
        signalS: turnNum('signalS', 0, 300),
        uturnOnTwoWay,
      },
    };
  }
  return {
    oneway: {
      impliedClasses: classes(oneway.impliedClasses, 'oneway.impliedClasses'),
      impliedJunctions: strings(oneway.impliedJunctions, 'oneway.impliedJunctions'),
    },
    profiles,
  };
}

function invalid(field: string, reason: string): AppError {
  return new AppError('VALIDATION', { field, reason });
}
