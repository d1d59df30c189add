/**
 * An incident's report schedule, computed (pure): the facts of the incident, the clocks of its category, the reports
 * written so far and the time now → the slots. Nothing is stored about the plan itself, so a changed clock or level
 * re-plans at once; the reports written keep their slot (kind, seq).
 */
import type { Level } from '../../../contracts/incidents.ts';
import type { ClockSet, ReportKind, ReportSlot, ReportStatus } from '../../../contracts/reports.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface ScheduleFacts {
  reportedAt: Date;
  closedAt: Date | null;
  /** the level in force now (null: not assessed) */
  level: Level | null;
  /** the levels in force from each time on, oldest first (recorded as the incident changed) */
  levels: readonly { at: Date; level: Level | null }[];
}

export interface WrittenReport {
  id: string;
  kind: ReportKind;
  seq: number;
  version: number;
  issuedVersions: number;
  issuedAt: Date | null;
}

/** I–II report more often than III–IV and unassessed incidents. */
export function updateIntervalMs(clocks: ClockSet, level: Level | null): number {
  return (level === 'I' || level === 'II' ? clocks.updateHoursSevere : clocks.updateHoursOther) * HOUR;
}

/** The level history with the level now at its end (a change not yet recorded counts from now). */
function history(f: ScheduleFacts, now: Date): { at: number; level: Level | null }[] {
  const h = f.levels.map((x) => ({ at: x.at.getTime(), level: x.level })).sort((a, b) => a.at - b.at);
  if (!h.length) return [{ at: f.reportedAt.getTime(), level: f.level }];
  if (h[h.length - 1].level !== f.level) h.push({ at: now.getTime(), level: f.level });
  return h;
}

function levelAt(h: { at: number; level: Level | null }[], t: number): Level | null {
  let l = h[0].level;
  for (const x of h) if (x.at <= t) l = x.level;
  return l;
}

/**
 * The due times of the updates from `initialDue` until `until` (exclusive), the last one the first past `horizon`
 * included. The next update after `prev` is due one interval (of the level then in force) later; a level change
 * before that time re-plans it from `prev` with the new interval, never earlier than the change itself.
 */
export function updateDueTimes(
  initialDue: number,
  clocks: ClockSet,
  h: { at: number; level: Level | null }[],
  until: number,
  horizon: number,
): number[] {
  const out: number[] = [];
  let prev = initialDue;
  // a bound for safety: an interval is at least an hour, so a year of 12-hour updates is 730
  for (let guard = 0; guard < 100_000; guard++) {
    let due = prev + updateIntervalMs(clocks, levelAt(h, prev));
    for (const c of h) {
      if (c.at > prev && c.at < due) due = Math.max(prev + updateIntervalMs(clocks, c.level), c.at);
    }
    if (due >= until) break;
    out.push(due);
    if (due > horizon) break;
    prev = due;
  }
  return out;
}

function slotStatus(dueAt: number, now: number, r: WrittenReport | undefined): ReportStatus {
  if (r && r.issuedVersions > 0) return 'issued';
  if (dueAt < now) return 'overdue';
  return r ? 'draft' : 'due';
}

/**
 * The slots: the initial report (clock minutes after `reportedAt`); updates every interval from the initial report's
 * due time while the incident is open, listed up to one interval past now (an update nobody wrote before the next
 * came due is missed: counted on the next slot, not listed); the final report (days after closing) once closed. A
 * report written for a slot the plan no longer holds (the level fell) is listed still, at its slot's old place.
 */
export function planSchedule(
  f: ScheduleFacts,
  clocks: ClockSet,
  written: readonly WrittenReport[],
  now: Date,
  /** the due time each written report had when it was drafted, for a slot the plan no longer holds */
  storedDue: (r: WrittenReport) => Date = () => now,
): ReportSlot[] {
  const t = now.getTime();
  const byKey = new Map(written.map((r) => [`${r.kind}:${r.seq}`, r]));
  const slot = (kind: ReportKind, seq: number, due: number, missedBefore = 0): ReportSlot => {
    const r = byKey.get(`${kind}:${seq}`);
    byKey.delete(`${kind}:${seq}`);
    return {
      id: r?.id ?? null,
      kind,
      seq,
      dueAt: new Date(due).toISOString(),
      status: slotStatus(due, t, r),
      version: r?.version ?? 0,
      issuedVersions: r?.issuedVersions ?? 0,
      issuedAt: r?.issuedAt ? r.issuedAt.toISOString() : null,
      missedBefore,
    };
  };
  const h = history(f, now);
  const initialDue = f.reportedAt.getTime() + clocks.initialMinutes * MINUTE;
  const out: ReportSlot[] = [slot('initial', 1, initialDue)];
  const until = f.closedAt ? f.closedAt.getTime() : Number.POSITIVE_INFINITY;
  const dues = updateDueTimes(initialDue, clocks, h, until, t);
  let missed = 0;
  dues.forEach((due, i) => {
    const seq = i + 1;
    const next = dues[i + 1];
    // passed unreported, and the next one is due already: nobody writes it any more
    if (!byKey.has(`update:${seq}`) && next !== undefined && next <= t) {
      missed++;
      return;
    }
    out.push(slot('update', seq, due, missed));
    missed = 0;
  });
  if (f.closedAt) out.push(slot('final', 1, f.closedAt.getTime() + clocks.finalDays * DAY));
  for (const r of byKey.values()) {
    const due = storedDue(r).getTime();
    out.push({ ...slot(r.kind, r.seq, due), status: slotStatus(due, t, r) });
  }
  const order: Record<ReportKind, number> = { initial: 0, update: 1, final: 2 };
  return out.sort((a, b) => order[a.kind] - order[b.kind] || a.seq - b.seq);
}

/** The slot a new draft of this kind fills: the first listed one with no report yet; undefined when none is open. */
export function slotForDraft(slots: readonly ReportSlot[], kind: ReportKind): ReportSlot | undefined {
  return slots.find((s) => s.kind === kind && s.id === null);
}
