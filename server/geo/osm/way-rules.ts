/**
 * What an OSM highway way (or car ferry) means for routing: its class, whether it is drivable, the speed of each
 * profile in each direction (one-way rules, access tags, maxspeed), its flags (roundabout) and a ferry's crossing
 * time. Pure functions over the tag record; values the rules do not know are handed to `onUnknown` as "key=value",
 * so that the import report can list them.
 */
import { DROPPED_WAY_REASONS, englishOf } from '../../../contracts/road-import.ts';
import { PROFILES, ROAD_CLASSES, SEG_ROUNDABOUT } from '../road/network.ts';
import type { Tags } from './osm-types.ts';
import type { ProfileConfig, ProfileSettings, TagMatch } from './profiles.ts';

/**
 * speeds: [car forward, car backward, emergency forward, emergency backward] in km/h, 0 = closed;
 * ferryS: the crossing time a ferry's `duration` gives, in seconds (NaN: none, the profile's ferry speed applies)
 */
export type WayRule =
  | { drivable: true; cls: number; speeds: Float32Array; flags: number; ferryS: number }
  | { drivable: false; reason: string };

export const DROP = englishOf(DROPPED_WAY_REASONS);

const NOT_YET = new Set(['construction', 'proposed', 'planned', 'abandoned', 'disused', 'razed']);
const MINOR_WORKS = new Set(['no', 'minor', 'widening']);
const CLASS_INDEX = new Map<string, number>(ROAD_CLASSES.map((c, i) => [c, i]));
const FERRY = CLASS_INDEX.get('ferry')!;
const ROUNDABOUT_JUNCTIONS = new Set(['roundabout', 'circular']);

type Direction = 'forward' | 'backward' | 'both' | 'reversible';
/** The values of Key:oneway (OSM wiki); `alternating` is one lane shared in turn, still both directions. */
const ONEWAY_VALUES = new Map<string, Direction>([
  ['yes', 'forward'],
  ['true', 'forward'],
  ['1', 'forward'],
  ['-1', 'backward'],
  ['reverse', 'backward'],
  ['no', 'both'],
  ['false', 'both'],
  ['0', 'both'],
  ['alternating', 'both'],
  ['reversible', 'reversible'],
]);

/** An access list compiled for one profile: the keys in the order read, and the values that open or close. */
export interface AccessRule {
  allow: ReadonlySet<string>;
  deny: ReadonlySet<string>;
}

interface CompiledProfile extends AccessRule {
  classSpeed: Float32Array;
  onewayKeys: string[];
  keys: string[];
  keysForward: string[];
  keysBackward: string[];
  allowWhen: TagMatch[];
  denyWhen: TagMatch[];
  maxspeed: ProfileSettings['maxspeed'];
}

export interface WayRules {
  evaluate(tags: Tags): WayRule;
}

/**
 * What one access value says to a profile: true = may pass, false = may not, null = not said (unknown value).
 * A semicolon list names the groups that may pass (OSM wiki Key:access), so any allowed value opens it and a list
 * without one is closed when it denies anything.
 */
export function accessValue(rule: AccessRule, value: string): boolean | null {
  if (rule.allow.has(value)) return true;
  if (rule.deny.has(value)) return false;
  if (!value.includes(';')) return null;
  let denied = false;
  for (const part of value.split(';')) {
    const v = part.trim();
    if (rule.allow.has(v)) return true;
    if (rule.deny.has(v)) denied = true;
  }
  return denied ? false : null;
}

/** The access keys read from general to specific: the last tagged with a known value decides; null = none did. */
export function accessDecision(rule: AccessRule, tags: Tags, keys: string[]): boolean | null {
  let out: boolean | null = null;
  for (const k of keys) {
    const v = tags[k];
    if (v === undefined) continue;
    const d = accessValue(rule, v);
    if (d !== null) out = d;
  }
  return out;
}

/**
 * Reports the values of the given keys that no profile knows, part by part for semicolon lists. Values known to
 * any profile are not reported: an access value only one profile lists means nothing to the others on purpose.
 */
export function unknownValues(
  tags: Tags,
  keys: Iterable<string>,
  known: (v: string) => boolean,
  onUnknown: (tag: string) => void,
): void {
  for (const k of keys) {
    const v = tags[k];
    if (v === undefined || known(v)) continue;
    for (const part of v.split(';')) {
      const p = part.trim();
      if (p !== '' && !known(p)) onUnknown(`${k}=${p}`);
    }
  }
}

/** Compiles a profile config into a fast tag evaluator. */
export function compileWayRules(cfg: ProfileConfig, onUnknown: (tag: string) => void = () => {}): WayRules {
  const impliedClasses = new Set<number>(cfg.oneway.impliedClasses.map((c) => CLASS_INDEX.get(c)!));
  const impliedJunctions = new Set(cfg.oneway.impliedJunctions);
  const profiles: CompiledProfile[] = PROFILES.map((name) => {
    const p = cfg.profiles[name];
    // the most specific key read last wins; key:forward follows key so that it beats it
    const directional = (dir: string) => p.accessKeys.flatMap((k) => [k, `${k}:${dir}`]);
    return {
      classSpeed: Float32Array.from(ROAD_CLASSES, (c) => p.speedsKmh[c]),
      onewayKeys: p.onewayKeys,
      keys: p.accessKeys,
      keysForward: directional('forward'),
      keysBackward: directional('backward'),
      allow: new Set(p.accessAllow),
      deny: new Set(p.accessDeny),
      allowWhen: p.allowWhen,
      denyWhen: p.denyWhen,
      maxspeed: p.maxspeed,
    };
  });
  const accessKeys = new Set(profiles.flatMap((p) => [...p.keysForward, ...p.keysBackward]));
  const knownAccess = (v: string) => profiles.some((p) => p.allow.has(v) || p.deny.has(v));
  const onewayKeys = new Set(profiles.flatMap((p) => p.onewayKeys));
  const knownOneway = (v: string) => ONEWAY_VALUES.has(v);

  return {
    evaluate(tags) {
      const ferry = tags.route === 'ferry';
      const hw = tags.highway;
      let cls: number;
      if (ferry) cls = FERRY;
      else {
        if (hw === undefined) return { drivable: false, reason: DROP.notMotor };
        // as OSRM: a construction=* tag closes the road unless the works are minor
        const works = tags.construction;
        if (NOT_YET.has(hw) || (works !== undefined && !MINOR_WORKS.has(works))) {
          return { drivable: false, reason: DROP.construction };
        }
        const c = CLASS_INDEX.get(hw);
        if (c === undefined || c === FERRY) return { drivable: false, reason: DROP.notMotor };
        cls = c;
        if (tags.area === 'yes') return { drivable: false, reason: DROP.area };
        if (tags.impassable === 'yes' || tags.status === 'impassable') {
          return { drivable: false, reason: DROP.impassable };
        }
      }
      unknownValues(tags, accessKeys, knownAccess, onUnknown);
      unknownValues(tags, onewayKeys, knownOneway, onUnknown);

      const junction = tags.junction ?? '';
      const implied: Direction = impliedClasses.has(cls) || impliedJunctions.has(junction) ? 'forward' : 'both';
      // a ferry's speed comes from its duration or the profile's ferry speed, never from maxspeed
      const maxFwd = ferry ? null : parseMaxspeed(tags['maxspeed:forward'] ?? tags.maxspeed);
      const maxBwd = ferry ? null : parseMaxspeed(tags['maxspeed:backward'] ?? tags.maxspeed);
      const speeds = new Float32Array(4);
      let any = false;
      let reversible = false;
      for (let p = 0; p < profiles.length; p++) {
        const pr = profiles[p];
        const base = pr.classSpeed[cls];
        if (base <= 0) continue;
        const dir = onewayOf(tags, pr.onewayKeys) ?? implied;
        if (dir === 'reversible') {
          reversible = true;
          continue;
        }
        if (dir !== 'backward' && allowed(pr, tags, pr.keysForward)) speeds[2 * p] = limit(pr, base, maxFwd);
        if (dir !== 'forward' && allowed(pr, tags, pr.keysBackward)) speeds[2 * p + 1] = limit(pr, base, maxBwd);
        any ||= speeds[2 * p] > 0 || speeds[2 * p + 1] > 0;
      }
      if (!any) return { drivable: false, reason: reversible ? DROP.reversible : DROP.noAccess };
      const flags = ROUNDABOUT_JUNCTIONS.has(junction) ? SEG_ROUNDABOUT : 0;
      const ferryS = ferry ? (parseDuration(tags.duration) ?? Number.NaN) : Number.NaN;
      return { drivable: true, cls, speeds, flags, ferryS };
    },
  };
}

/** The direction the one-way keys give (most specific known value wins), or null when none is tagged. */
function onewayOf(tags: Tags, keys: string[]): Direction | null {
  let out: Direction | null = null;
  for (const k of keys) {
    const v = tags[k];
    if (v === undefined) continue;
    const d = ONEWAY_VALUES.get(v);
    if (d !== undefined) out = d;
  }
  return out;
}

function allowed(pr: CompiledProfile, tags: Tags, keys: string[]): boolean {
  let ok = accessDecision(pr, tags, keys) ?? true;
  if (pr.denyWhen.some((m) => matchesTag(tags, m))) ok = false;
  if (pr.allowWhen.some((m) => matchesTag(tags, m))) ok = true;
  return ok;
}

export function matchesTag(tags: Tags, m: TagMatch): boolean {
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

const CLOCK = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?$/;
const MINUTES = /^\d+(?:\.\d+)?$/;
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Seconds from an OSM `duration` (Key:duration, as OSRM reads it): "hh:mm", "hh:mm:ss", plain minutes ("45"), or
 * ISO 8601 ("PT1H30M", "PT45M", "P1DT2H"); null for anything else or zero.
 */
export function parseDuration(value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  let s: number;
  const clock = CLOCK.exec(v);
  if (clock) s = Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? 0);
  else if (MINUTES.test(v)) s = Number(v) * 60;
  else {
    const iso = ISO.exec(v);
    if (!iso || v.toUpperCase() === 'P' || v.toUpperCase().endsWith('T')) return null;
    const [d, h, m, sec] = iso.slice(1).map((x) => Number(x ?? 0));
    s = d * 86_400 + h * 3600 + m * 60 + sec;
  }
  return s > 0 ? s : null;
}
