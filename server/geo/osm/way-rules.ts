/**
 * What an OSM highway way means for routing: its class, whether it is drivable, and the speed of each profile in
 * each direction (one-way rules, access tags, maxspeed). Pure functions over the tag record.
 */
import { PROFILES, ROAD_CLASSES } from '../road/network.ts';
import type { Tags } from './osm-types.ts';
import type { ProfileConfig, ProfileSettings, TagMatch } from './profiles.ts';

/** speeds: [car forward, car backward, emergency forward, emergency backward] in km/h, 0 = closed */
export type WayRule = { drivable: true; cls: number; speeds: Float32Array } | { drivable: false; reason: string };

export const DROP = {
  construction: 'under construction or proposed',
  notMotor: 'not a road for motor vehicles (footway, cycleway, path, steps, pedestrian, …)',
  area: 'area=yes (a surface, not a road)',
  impassable: 'impassable=yes',
  reversible: 'oneway=reversible (direction changes by time)',
  noAccess: 'closed to cars and emergency vehicles (access tags or class speed 0)',
  missingAll: 'every node missing from the file (clipped at the extract edge)',
  degenerate: 'fewer than two distinct nodes',
  missingSome: 'partly outside the extract: missing nodes and the pieces beyond them dropped',
} as const;

const NOT_YET = new Set(['construction', 'proposed', 'planned', 'abandoned', 'disused', 'razed']);
const MINOR_WORKS = new Set(['no', 'minor', 'widening']);
const CLASS_INDEX = new Map<string, number>(ROAD_CLASSES.map((c, i) => [c, i]));

interface CompiledProfile {
  classSpeed: Float32Array;
  keysForward: string[];
  keysBackward: string[];
  allow: Set<string>;
  deny: Set<string>;
  allowWhen: TagMatch[];
  denyWhen: TagMatch[];
  maxspeed: ProfileSettings['maxspeed'];
}

export interface WayRules {
  evaluate(tags: Tags): WayRule;
}

/** Compiles a profile config into a fast tag evaluator. */
export function compileWayRules(cfg: ProfileConfig): WayRules {
  const impliedClasses = new Set<number>(cfg.oneway.impliedClasses.map((c) => CLASS_INDEX.get(c)!));
  const impliedJunctions = new Set(cfg.oneway.impliedJunctions);
  const profiles: CompiledProfile[] = PROFILES.map((name) => {
    const p = cfg.profiles[name];
    // the most specific key read last wins; key:forward follows key so that it beats it
    const directional = (dir: string) => p.accessKeys.flatMap((k) => [k, `${k}:${dir}`]);
    return {
      classSpeed: Float32Array.from(ROAD_CLASSES, (c) => p.speedsKmh[c]),
      keysForward: directional('forward'),
      keysBackward: directional('backward'),
      allow: new Set(p.accessAllow),
      deny: new Set(p.accessDeny),
      allowWhen: p.allowWhen,
      denyWhen: p.denyWhen,
      maxspeed: p.maxspeed,
    };
  });

  return {
    evaluate(tags) {
      const hw = tags.highway;
      if (hw === undefined) return { drivable: false, reason: DROP.notMotor };
      // as OSRM: a construction=* tag closes the road unless the works are minor
      const works = tags.construction;
      if (NOT_YET.has(hw) || (works !== undefined && !MINOR_WORKS.has(works))) {
        return { drivable: false, reason: DROP.construction };
      }
      const cls = CLASS_INDEX.get(hw);
      if (cls === undefined) return { drivable: false, reason: DROP.notMotor };
      if (tags.area === 'yes') return { drivable: false, reason: DROP.area };
      if (tags.impassable === 'yes' || tags.status === 'impassable')
        return { drivable: false, reason: DROP.impassable };

      let forward = true;
      let backward = true;
      const oneway = tags.oneway;
      if (oneway === 'reversible') return { drivable: false, reason: DROP.reversible };
      if (oneway === 'yes' || oneway === 'true' || oneway === '1') backward = false;
      else if (oneway === '-1' || oneway === 'reverse') forward = false;
      else if (oneway === 'no' || oneway === 'false' || oneway === '0' || oneway === 'alternating') {
        // two-way (alternating: one lane shared in turn, still both directions)
      } else if (impliedClasses.has(cls) || impliedJunctions.has(tags.junction ?? '')) backward = false;

      const maxFwd = parseMaxspeed(tags['maxspeed:forward'] ?? tags.maxspeed);
      const maxBwd = parseMaxspeed(tags['maxspeed:backward'] ?? tags.maxspeed);
      const speeds = new Float32Array(4);
      let any = false;
      for (let p = 0; p < profiles.length; p++) {
        const pr = profiles[p];
        const base = pr.classSpeed[cls];
        if (base <= 0) continue;
        if (forward && allowed(pr, tags, pr.keysForward)) speeds[2 * p] = limit(pr, base, maxFwd);
        if (backward && allowed(pr, tags, pr.keysBackward)) speeds[2 * p + 1] = limit(pr, base, maxBwd);
        any ||= speeds[2 * p] > 0 || speeds[2 * p + 1] > 0;
      }
      if (!any) return { drivable: false, reason: DROP.noAccess };
      return { drivable: true, cls, speeds };
    },
  };
}

function allowed(pr: CompiledProfile, tags: Tags, keys: string[]): boolean {
  let ok = true;
  for (const k of keys) {
    const v = tags[k];
    if (v === undefined) continue;
    if (pr.allow.has(v)) ok = true;
    else if (pr.deny.has(v)) ok = false;
  }
  if (pr.denyWhen.some((m) => matchesTag(tags, m))) ok = false;
  if (pr.allowWhen.some((m) => matchesTag(tags, m))) ok = true;
  return ok;
}

function matchesTag(tags: Tags, m: TagMatch): boolean {
  const v = tags[m.key];
  return v !== undefined && m.values.includes(v);
}

function limit(pr: CompiledProfile, base: number, maxspeed: number | null): number {
  if (!pr.maxspeed.use || maxspeed === null) return base;
  const legal = maxspeed * pr.maxspeed.factor;
  return pr.maxspeed.mode === 'cap' ? Math.min(base, legal) : legal;
}

const MAXSPEED = /^(\d+(?:\.\d+)?)\s*(mph|km\/h|kmh|kph)?$/;

/** km/h from an OSM maxspeed value: "50", "30 mph", "50 km/h"; null for anything else ("CN:urban", "none", "50;30"). */
export function parseMaxspeed(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = MAXSPEED.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  return m[2] === 'mph' ? n * 1.609344 : n;
}
