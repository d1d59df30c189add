/** The incidents module's door: what other modules may ask of incidents. */
import type { Incident, IncidentInput, IncidentListQuery } from '../../../contracts/incidents.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface IncidentsApi {
  getIncident(ctx: RequestCtx, id: string): Promise<Incident>;
  listIncidents(ctx: RequestCtx, q: IncidentListQuery): Promise<{ items: Incident[]; total: number }>;
  createIncident(ctx: RequestCtx, input: IncidentInput): Promise<Incident>;
}

export { computeLevel, NATURAL_2016, ORDER_493 } from './level.ts';
