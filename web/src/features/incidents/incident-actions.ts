import { type Incident, type Status, TRANSITIONS } from '../../api/contracts.ts';

/**
 * What the detail page offers on an incident to a user holding `has` permissions: a closed incident is a finished
 * record — no edit, no level change (the service refuses both: INCIDENT_CLOSED), only what its status allows.
 */
export function incidentActions(
  incident: Pick<Incident, 'status'>,
  has: (permission: string) => boolean,
): { edit: boolean; level: boolean; transitions: Status[] } {
  const open = incident.status !== 'closed';
  return {
    edit: open && has('incidents.update'),
    level: open && has('incidents.level'),
    transitions: has('incidents.transition') ? TRANSITIONS[incident.status] : [],
  };
}
