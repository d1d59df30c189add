/**
 * Route directions as a dispatcher reads them out: the sentence of each step in the UI language, distances rounded
 * the way one says them, and the piece of the route line each step covers (for highlighting it on the map).
 */
import type { Position } from 'geojson';
import type { RouteReply } from '../../../api/contracts.ts';
import { distanceM } from '../../../map/geo-math.ts';

export type RouteStep = RouteReply['steps'][number];
type T = (key: string, opts?: Record<string, unknown>) => string;

/** The road of a step in the UI language: its English name where tagged (the server falls back to the Chinese). */
export const stepRoad = (s: { name: string; nameEn: string }, en: boolean) => (en ? s.nameEn : s.name);

/** "Turn left onto 青岛路" / "左转进入青岛路"; a U-turn back onto the same road says so without naming it twice. */
export function stepSentence(step: RouteStep, prev: RouteStep | undefined, en: boolean, t: T): string {
  const road = stepRoad(step, en);
  if (step.maneuver === 'roundabout') {
    return step.exit ? t('steps.roundaboutExit', { exit: step.exit, road }) : t('steps.roundabout', { road });
  }
  if (step.maneuver === 'uturn' && prev && prev.name === step.name) return t('steps.uturnSame', { road });
  return t(`steps.${step.maneuver}`, { road });
}

/** Distances as said to a driver: tens of metres below 1 km, then kilometres with one decimal. */
export function spokenDistance(m: number, t: T): string {
  if (m < 1000) return t('steps.meters', { value: Math.max(10, Math.round(m / 10) * 10) });
  return t('steps.km', { value: (m / 1000).toFixed(m < 10_000 ? 1 : 0) });
}

/** Step times: seconds under a minute, else whole minutes (hours and minutes past an hour). */
export function spokenTime(s: number, t: T): string {
  if (s < 60) return t('steps.seconds', { value: Math.max(1, Math.round(s)) });
  const min = Math.round(s / 60);
  if (min < 60) return t('route.minutes', { value: min });
  return t('route.hoursMinutes', { h: Math.floor(min / 60), m: min % 60 });
}

/**
 * The pieces of the route line that the steps cover, in order: the line is cut at the steps' distances, scaled so
 * that the line's own length matches the route's (the server measures along the road, the browser on the sphere).
 */
export function stepPieces(line: Position[], steps: { meters: number }[]): Position[][] {
  const cum = [0];
  for (let i = 1; i < line.length; i++) cum.push(cum[i - 1] + distanceM(line[i - 1], line[i]));
  const total = steps.reduce((m, s) => m + s.meters, 0);
  const scale = total > 0 ? cum[cum.length - 1] / total : 0;
  const pointAt = (d: number): { i: number; p: Position } => {
    let i = 1;
    while (i < line.length - 1 && cum[i] < d) i++;
    const span = cum[i] - cum[i - 1];
    const f = span > 0 ? Math.min(1, Math.max(0, (d - cum[i - 1]) / span)) : 0;
    const a = line[i - 1];
    const b = line[i];
    return { i, p: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f] };
  };
  const out: Position[][] = [];
  let at = 0;
  for (const s of steps) {
    const d0 = at * scale;
    at += s.meters;
    const d1 = at * scale;
    if (line.length < 2 || d1 <= d0) {
      out.push([]);
      continue;
    }
    const a = pointAt(d0);
    const b = pointAt(d1);
    // the line's vertices inside the piece (a centimetre in, so that rounding adds no point on top of an end)
    const inside = line.slice(a.i, b.i).filter((_, k) => cum[a.i + k] > d0 + 0.01 && cum[a.i + k] < d1 - 0.01);
    out.push([a.p, ...inside, b.p]);
  }
  return out;
}

/** The directions as plain text (numbered lines), to paste into a message to a crew. */
export function directionsText(r: RouteReply, en: boolean, t: T): string {
  const lines = r.steps.map((s, i) => {
    const said = stepSentence(s, r.steps[i - 1], en, t);
    return s.meters > 0 ? `${i + 1}. ${said} (${spokenDistance(s.meters, t)})` : `${i + 1}. ${said}`;
  });
  return lines.join('\n');
}
