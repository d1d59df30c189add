/**
 * The alarm's rules without React: the open list as the cache holds it (the most severe first, then the newest),
 * what a live event does to it, what to sound, and the burst rule (many at once make one notice).
 */
import type { QueryClient } from '@tanstack/react-query';
import { ME_KEY } from '../../api/auth.ts';
import {
  type Alert,
  type AlertAcknowledgedEvent,
  type ListReply,
  type MeReply,
  SEVERITY_INFO,
  type Severity,
  severityRank,
} from '../../api/contracts.ts';

export const OPEN_ALERTS_KEY = ['alerts', 'open'] as const;
/** what the tray loads: enough for a busy night; the count says when there are more */
export const TRAY_LIMIT = 100;
export type OpenAlerts = ListReply<Alert>;

/** The most severe first, then the newest (the server's order). */
export function compareAlerts(a: Alert, b: Alert): number {
  return severityRank(a.severity) - severityRank(b.severity) || (a.raisedAt < b.raisedAt ? 1 : -1);
}

export function topSeverity(alerts: readonly Alert[]): Severity | null {
  let top: Severity | null = null;
  for (const a of alerts) if (!top || severityRank(a.severity) < severityRank(top)) top = a.severity;
  return top;
}

export const isUrgent = (a: Pick<Alert, 'severity'>) => SEVERITY_INFO[a.severity].urgent;

/** A raised alarm into the open list (once). */
export function withRaised(list: OpenAlerts | undefined, alert: Alert): OpenAlerts | undefined {
  if (!list) return list;
  if (list.items.some((a) => a.id === alert.id)) return list;
  return { items: [...list.items, alert].sort(compareAlerts), total: list.total + 1 };
}

/** An acknowledged alarm out of the open list (it was open for this unit only until the unit acknowledged it). */
export function withoutAlert(list: OpenAlerts | undefined, alertId: string): OpenAlerts | undefined {
  if (!list?.items.some((a) => a.id === alertId)) return list;
  return { items: list.items.filter((a) => a.id !== alertId), total: Math.max(0, list.total - 1) };
}

/** What an `alert.acknowledged` event does to this user's open list: clears it when their unit acknowledged. */
export function applyAcknowledged(qc: QueryClient, e: AlertAcknowledgedEvent): void {
  const me = qc.getQueryData<MeReply | null>(ME_KEY);
  if (!me?.user || e.ack.unitCode !== me.user.unitCode) return;
  qc.setQueryData<OpenAlerts>(OPEN_ALERTS_KEY, (old) => withoutAlert(old, e.alertId));
}

/** New alarms seen in the last few seconds: a burst (an imported register) makes one notice, not hundreds. */
export const BURST_MS = 5_000;
export const BURST_AFTER = 3;

export class BurstCounter {
  #recent: number[] = [];
  /** Counts an arrival; returns how many came within the window (more than BURST_AFTER: a burst). */
  arrive(now: number): number {
    this.#recent = [...this.#recent.filter((t) => now - t < BURST_MS), now];
    return this.#recent.length;
  }
}

/** Arrivals announced to the alarm on screen (the tray's host listens): the stream handler tells it. */
type Listener = (a: Alert) => void;
const listeners = new Set<Listener>();
export function onArrival(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
export function announce(a: Alert): void {
  for (const l of listeners) l(a);
}

/** Whether this user silenced the level III–IV sound (remembered in this browser); I–II cannot be silenced. */
const softKey = (userId: string) => `anlan.alarm.softMuted.${userId}`;
export function softMuted(userId: string): boolean {
  return globalThis.localStorage?.getItem(softKey(userId)) === '1';
}
export function setSoftMuted(userId: string, muted: boolean): void {
  if (muted) localStorage.setItem(softKey(userId), '1');
  else localStorage.removeItem(softKey(userId));
}
