/**
 * Drill mode (演练): the rules run over a given series of synthetic readings, as `Ingestion.evaluate` runs them over
 * stored ones, but nothing is stored and no device's state (last seen, latest values, roll-ups, its series in
 * memory, its last evaluated time) changes. The answer is the observations the warnings door takes; the exercise
 * marks them. Pure: the device and the rules are given.
 */
import type { Colour, Metric, Rule } from '../../../contracts/monitoring.ts';
import type { Observation } from '../warnings/index.ts';
import { type CachedDevice, observationOf } from './ingest.ts';
import { heldColour, rulesForDevice, Series } from './rule-engine.ts';

export interface SyntheticReading {
  metric: Metric;
  ts: Date;
  value: number;
}

/** The rules' observations over synthetic readings of one device, in time order (one per reading time and hazard). */
export function evaluateSeries(d: CachedDevice, rules: readonly Rule[], readings: readonly SyntheticReading[]) {
  const series = new Map<string, Series>();
  for (const r of readings) {
    let s = series.get(r.metric);
    if (!s) {
      s = new Series();
      series.set(r.metric, s);
    }
    s.insert(r.ts.getTime(), r.value);
  }
  const seriesOf = (m: Metric) => series.get(m);
  const times = [...new Set(readings.map((r) => r.ts.getTime()))].sort((a, b) => a - b);
  const out: Observation[] = [];
  for (const [hazard, hazardRules] of rulesForDevice(rules, d)) {
    // the colour in force as the drill's own warning would have it (hysteresis), starting from none
    let current: Colour | null = null;
    for (const t of times) {
      const held = heldColour(hazardRules, t, seriesOf, d.params, current);
      out.push(observationOf(d, hazard, held?.rule ?? hazardRules[0]!, t, held?.colour ?? null));
      if (held) current = held.colour;
    }
  }
  return out.sort((a, b) => a.ts.getTime() - b.ts.getTime());
}
