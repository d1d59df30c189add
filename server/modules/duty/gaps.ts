/**
 * The roster's time arithmetic, pure: a slot's start and end on a shift date (Beijing time, UTC+8 all year: no
 * daylight saving, so a day is always 24 hours and an hour boundary is the same in both), and the hours nobody
 * covers, merged into intervals.
 */
import type { Slot } from '../../../contracts/duty.ts';

export const HOUR = 3_600_000;

/** The instant a wall time of Beijing is. */
export function beijingInstant(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00+08:00`);
}

/** Where a slot lies on a shift date: an end not after the start is the next day's. */
export function slotTimes(date: string, slot: Pick<Slot, 'start' | 'end'>): { startsAt: Date; endsAt: Date } {
  const startsAt = beijingInstant(date, slot.start);
  let endsAt = beijingInstant(date, slot.end);
  if (endsAt.getTime() <= startsAt.getTime()) endsAt = new Date(endsAt.getTime() + 24 * HOUR);
  return { startsAt, endsAt };
}

/** The dates `from`..`to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 24 * HOUR)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export interface Interval {
  start: number;
  end: number;
}

/**
 * The hours of [from, to) (from rounded down to its hour) not wholly covered by the intervals, merged. An hour half
 * covered is a gap: an officer leaving at 08:30 leaves 08:00–09:00 short of a full watch.
 */
export function uncoveredHours(covered: readonly Interval[], from: number, to: number): Interval[] {
  const start = Math.floor(from / HOUR) * HOUR;
  const sorted = covered.filter((c) => c.end > c.start).sort((a, b) => a.start - b.start);
  // the covered stretches merged (touching intervals join: 08:00–18:00 and 18:00–08:00 leave nothing between)
  const merged: Interval[] = [];
  for (const c of sorted) {
    const last = merged[merged.length - 1];
    if (last && c.start <= last.end) last.end = Math.max(last.end, c.end);
    else merged.push({ ...c });
  }
  const gaps: Interval[] = [];
  let i = 0;
  for (let h = start; h < to; h += HOUR) {
    const hEnd = h + HOUR;
    while (i < merged.length && merged[i]!.end <= h) i++;
    const m = merged[i];
    const whole = m !== undefined && m.start <= h && m.end >= hEnd;
    if (whole) continue;
    const last = gaps[gaps.length - 1];
    if (last && last.end === h) last.end = hEnd;
    else gaps.push({ start: h, end: hEnd });
  }
  return gaps;
}
