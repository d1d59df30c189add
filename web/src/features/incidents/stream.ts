import { createElement } from 'react';
import type { Incident } from '../../api/contracts.ts';
import { upsertIncidentInCache } from '../../api/incidents.ts';
import type { StreamContext } from '../../app/manifest.ts';

/** A changed incident goes straight into every cached view: the map and the register show it within a second. */
export function onIncidentUpdated({ event, queryClient }: StreamContext): void {
  const incident = event.payload as Incident | undefined;
  if (incident?.id) upsertIncidentInCache(queryClient, incident);
}

/** New incidents seen in the last few seconds: a burst (an import of a register) makes one notice, not thousands. */
const BURST_MS = 5_000;
const BURST_AFTER = 3;
let recent: number[] = [];

/** A new incident: into the caches, and a notice in the corner (one notice counting them when many come at once). */
export function onIncidentCreated(ctx: StreamContext): void {
  const incident = ctx.event.payload as Incident | undefined;
  if (!incident?.id) return;
  upsertIncidentInCache(ctx.queryClient, incident);
  const now = Date.now();
  recent = [...recent.filter((t) => now - t < BURST_MS), now];
  if (recent.length > BURST_AFTER) {
    ctx.notification.info({
      key: 'incidents-burst',
      title: ctx.t('stream.newIncidents', { count: recent.length }),
      description: createElement('div', { 'data-testid': 'stream-notification' }, incident.title),
      placement: 'bottomRight',
      duration: 6,
    });
    return;
  }
  ctx.notification.info({
    key: `incident-${incident.id}`,
    title: ctx.t('stream.newIncident', { number: incident.number }),
    description: createElement('div', { 'data-testid': 'stream-notification' }, incident.title),
    placement: 'bottomRight',
    duration: 6,
  });
}
