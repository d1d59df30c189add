/**
 * The rules, evaluated in memory: each device's recent readings per metric (a sorted window), and for a reading
 * time the highest colour of each hazard that holds there. Pure: no database, no clock.
 *
 * - `sum` is over (ts − window, ts]: a rain amount is the interval ending at its time, so the 3-hour sum at 12:00 is
 *   the readings of 10:00 (exclusive) to 12:00 (inclusive) … i.e. 11:00 and 12:00 for hourly data, plus 10:xx minutes.
 * - `max`, `min`, `drop` (max over the window minus the value) are over the same half-open window.
 * - `rate` is (value at ts − value at or before ts − window) per hour.
 * - `value` is the reading's own value at ts (or the metric's latest before it, at most an hour old).
 * - `absence` holds when nothing has come for the window: only the sweep evaluates it (a reading just came).
 * Hysteresis: a colour at or below the warning's current one keeps holding until the value is past its threshold by
 * more than the hysteresis; a higher colour needs the threshold itself.
 */
import {
  type Clause,
  COLOURS,
  type Colour,
  type ColourCondition,
  colourRank,
  type DeviceKind,
  type DeviceParam,
  type Metric,
  RULE_FN_INFO,
  type Rule,
  type Threshold,
} from '../../../contracts/monitoring.ts';

const MINUTE = 60_000;
/** how old the latest value of another metric may be for a `value` clause at a reading's time */
const VALUE_STALE_MS = 60 * MINUTE;

/** One device's readings of one metric, sorted by time, no repeats; older than the rules need are dropped. */
export class Series {
  ts: number[] = [];
  values: number[] = [];

  /** false when a reading of that time is already there (a repeat changes nothing) */
  insert(t: number, v: number): boolean {
    const n = this.ts.length;
    if (n === 0 || t > this.ts[n - 1]!) {
      this.ts.push(t);
      this.values.push(v);
      return true;
    }
    const i = lowerBound(this.ts, t);
    if (this.ts[i] === t) return false;
    this.ts.splice(i, 0, t);
    this.values.splice(i, 0, v);
    return true;
  }

  /** drops readings at or before `t` */
  prune(t: number): void {
    const i = upperBound(this.ts, t);
    if (i > 0) {
      this.ts.splice(0, i);
      this.values.splice(0, i);
    }
  }

  get length(): number {
    return this.ts.length;
  }

  /** indexes of the readings in (from, to] */
  private range(from: number, to: number): [number, number] {
    return [upperBound(this.ts, from), upperBound(this.ts, to)];
  }

  sum(from: number, to: number): number | null {
    const [a, b] = this.range(from, to);
    if (a >= b) return 0;
    let s = 0;
    for (let i = a; i < b; i++) s += this.values[i]!;
    return s;
  }

  max(from: number, to: number): number | null {
    const [a, b] = this.range(from, to);
    if (a >= b) return null;
    let m = Number.NEGATIVE_INFINITY;
    for (let i = a; i < b; i++) m = Math.max(m, this.values[i]!);
    return m;
  }

  min(from: number, to: number): number | null {
    const [a, b] = this.range(from, to);
    if (a >= b) return null;
    let m = Number.POSITIVE_INFINITY;
    for (let i = a; i < b; i++) m = Math.min(m, this.values[i]!);
    return m;
  }

  /** the value of the latest reading at or before `t` not older than `maxAge`, with its time */
  atOrBefore(t: number, maxAge: number): { t: number; v: number } | null {
    const i = upperBound(this.ts, t) - 1;
    if (i < 0) return null;
    const at = this.ts[i]!;
    return t - at <= maxAge ? { t: at, v: this.values[i]! } : null;
  }
}

/** first index whose value is ≥ t */
function lowerBound(a: number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** first index whose value is > t */
function upperBound(a: number[], t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What the engine needs of a device. */
export interface EngineDevice {
  id: string;
  kind: DeviceKind;
  metrics: readonly string[];
  params: Partial<Record<DeviceParam, number>>;
}

export type SeriesOf = (metric: Metric) => Series | undefined;

/** A threshold's number for a device; undefined when it names a parameter the device lacks. */
export function thresholdFor(th: Threshold, params: EngineDevice['params']): number | undefined {
  if (typeof th === 'number') return th;
  const p = params[th.param];
  return p === undefined ? undefined : p * (th.factor ?? 1);
}

/** The quantity a clause compares at time t (null: not computable there — the clause does not hold). */
export function clauseQuantity(c: Clause, t: number, series: SeriesOf): number | null {
  const s = series(c.metric);
  if (!s) return null;
  const w = (c.windowMinutes ?? 60) * MINUTE;
  switch (c.fn) {
    case 'value':
      return s.atOrBefore(t, VALUE_STALE_MS)?.v ?? null;
    case 'sum':
      return s.sum(t - w, t);
    case 'max':
      return s.max(t - w, t);
    case 'min':
      return s.min(t - w, t);
    case 'drop': {
      const now = s.atOrBefore(t, VALUE_STALE_MS);
      const max = s.max(t - w, t);
      return now && max !== null ? max - now.v : null;
    }
    case 'rate': {
      const now = s.atOrBefore(t, VALUE_STALE_MS);
      const then = s.atOrBefore(t - w, w);
      if (!now || !then || now.t === then.t) return null;
      return ((now.v - then.v) / (now.t - then.t)) * 60 * MINUTE;
    }
    case 'absence':
      return null;
  }
}

function compare(q: number, op: Clause['op'], th: number): boolean {
  switch (op) {
    case '>=':
      return q >= th;
    case '>':
      return q > th;
    case '<=':
      return q <= th;
    case '<':
      return q < th;
  }
}

/** Does the colour's condition hold at t? `slack` is the hysteresis granted to a colour already in force. */
export function conditionHolds(
  cond: ColourCondition,
  t: number,
  series: SeriesOf,
  params: EngineDevice['params'],
  slack: number,
): boolean {
  const one = (c: Clause): boolean => {
    const th = thresholdFor(c.value, params);
    if (th === undefined) return false;
    const q = clauseQuantity(c, t, series);
    if (q === null) return false;
    const relaxed = c.op === '>=' || c.op === '>' ? th - slack : th + slack;
    return compare(q, c.op, relaxed);
  };
  return cond.mode === 'all' ? cond.clauses.every(one) : cond.clauses.some(one);
}

/** The metrics a rule reads. */
export function ruleMetrics(r: Pick<Rule, 'colours'>): Set<Metric> {
  const out = new Set<Metric>();
  for (const c of COLOURS) for (const cl of r.colours[c]?.clauses ?? []) out.add(cl.metric);
  return out;
}

/** How far back a rule needs a metric's readings (the longest window over it, at least an hour). */
export function ruleWindowMinutes(r: Pick<Rule, 'colours'>, metric: Metric): number {
  let w = 60;
  for (const c of COLOURS)
    for (const cl of r.colours[c]?.clauses ?? [])
      if (cl.metric === metric && RULE_FN_INFO[cl.fn].window) w = Math.max(w, cl.windowMinutes ?? 60);
  return w;
}

/** Does the rule look at this device at all (its scope, and at least one of its metrics)? */
export function ruleTargets(r: Rule, d: EngineDevice): 'device' | 'kind' | 'all' | undefined {
  if (!r.enabled) return undefined;
  let tier: 'device' | 'kind' | 'all';
  if (r.deviceIds.length > 0) {
    if (!r.deviceIds.includes(d.id)) return undefined;
    tier = 'device';
  } else if (r.kind) {
    if (r.kind !== d.kind) return undefined;
    tier = 'kind';
  } else tier = 'all';
  for (const m of ruleMetrics(r)) if (d.metrics.includes(m)) return tier;
  return undefined;
}

const TIER_RANK = { device: 0, kind: 1, all: 2 } as const;

/**
 * The rules in force for a device, by hazard: the most specific tier wins (rules naming the device replace its kind's
 * rules, which replace the rules for every device), so a device can be given its own thresholds.
 */
export function rulesForDevice(rules: readonly Rule[], d: EngineDevice): Map<string, Rule[]> {
  const best = new Map<string, { tier: number; rules: Rule[] }>();
  for (const r of rules) {
    const t = ruleTargets(r, d);
    if (!t) continue;
    const rank = TIER_RANK[t];
    const cur = best.get(r.hazardCode);
    if (!cur || rank < cur.tier) best.set(r.hazardCode, { tier: rank, rules: [r] });
    else if (rank === cur.tier) cur.rules.push(r);
  }
  return new Map([...best].map(([h, v]) => [h, v.rules]));
}

/**
 * The highest colour of a hazard's rules holding at t, and the rule that gives it. `current` is the warning's
 * colour in force (hysteresis applies to it and the colours below it).
 */
export function heldColour(
  rules: readonly Rule[],
  t: number,
  series: SeriesOf,
  params: EngineDevice['params'],
  current: Colour | null,
): { colour: Colour; rule: Rule } | null {
  let best: { colour: Colour; rule: Rule } | null = null;
  for (const r of rules) {
    for (let i = COLOURS.length - 1; i >= 0; i--) {
      const colour = COLOURS[i]!;
      if (best && colourRank(colour) <= colourRank(best.colour)) break;
      const cond = r.colours[colour];
      if (!cond) continue;
      const slack = current && colourRank(colour) <= colourRank(current) ? r.hysteresis : 0;
      if (conditionHolds(cond, t, series, params, slack)) {
        best = { colour, rule: r };
        break;
      }
    }
  }
  return best;
}

/** Absence clauses of a hazard's rules that hold now for a device last seen at `lastSeen` (the sweep's question). */
export function absentColour(
  rules: readonly Rule[],
  now: number,
  lastSeenOf: (metric: Metric) => number | null,
): { colour: Colour; rule: Rule } | null {
  let best: { colour: Colour; rule: Rule } | null = null;
  for (const r of rules)
    for (const colour of COLOURS) {
      const cond = r.colours[colour];
      if (!cond) continue;
      const abs = cond.clauses.filter((c) => c.fn === 'absence');
      if (abs.length === 0 || (cond.mode === 'all' && abs.length !== cond.clauses.length)) continue;
      const holds = abs.some((c) => {
        const last = lastSeenOf(c.metric);
        return last !== null && now - last >= (c.windowMinutes ?? 60) * MINUTE;
      });
      if (holds && (!best || colourRank(colour) > colourRank(best.colour))) best = { colour, rule: r };
    }
  return best;
}
