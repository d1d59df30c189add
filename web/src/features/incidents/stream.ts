import { createElement } from 'react';
import type { Incident } from '../../api/contracts.ts';
import { upsertIncidentInCache } from '../../api/incidents.ts';
import type { StreamContext } from '../../app/manifest.ts';

/** A changed incident goes straight into every cached view: the map and the register show it within a second. */
export function onIncidentUpdated({ event, queryClient }: StreamContext): void {
  const incident = event.payload as Incident | undefined;
  if (incident?.id) upsertIncidentInCache(queryClient, incident);
}

/** A new incident: into the caches, and a notice in the corner. */
export function onIncidentCreated(ctx: StreamContext): void {
  const incident = ctx.event.payload as Incident | undefined;
  if (!incident?.id) return;
  upsertIncidentInCache(ctx.queryClient, incident);
  ctx.notification.info({
    key: `incident-${incident.id}`,
    title: ctx.t('stream.newIncident', { number: incident.number }),
    description: createElement('div', { 'data-testid': 'stream-notification' }, incident.title),
    placement: 'bottomRight',
    duration: 6,
  });
}
