import type { Incident } from '../../api/contracts.ts';
import { incidentKeys, upsertIncidentInCache } from '../../api/incidents.ts';
import type { StreamContext } from '../../app/manifest.ts';

/** A changed incident goes straight into every cached view: the map and the register show it within a second. */
export function onIncidentUpdated({ event, queryClient }: StreamContext): void {
  const incident = event.payload as Incident | undefined;
  if (incident?.id) upsertIncidentInCache(queryClient, incident);
}

/**
 * A new incident goes into the caches. The alarm (the alerts feature: the tray, the banner by level, the sound)
 * tells the user about it, by its level, instead of a notice of the same colour for every level.
 */
export function onIncidentCreated({ event, queryClient }: StreamContext): void {
  const incident = event.payload as Incident | undefined;
  if (incident?.id) upsertIncidentInCache(queryClient, incident);
}

/** A new log entry (a note, an acknowledgement 接报确认): the incident's open log reloads. */
export function onIncidentLogAdded({ event, queryClient }: StreamContext): void {
  const id = (event.payload as { incidentId?: string } | undefined)?.incidentId ?? event.entityId;
  if (id) void queryClient.invalidateQueries({ queryKey: incidentKeys.log(id) });
}
