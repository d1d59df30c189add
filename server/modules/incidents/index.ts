/** The incidents module's door: what other modules may ask of incidents. */
import type { ExerciseMark } from '../../../contracts/exercises-mark.ts';
import type { ModuleLogFacts } from '../../../contracts/incident-text.ts';
import type { Incident, IncidentInput, IncidentListQuery, LogEntry } from '../../../contracts/incidents.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface IncidentsApi {
  getIncident(ctx: RequestCtx, id: string): Promise<Incident>;
  listIncidents(ctx: RequestCtx, q: IncidentListQuery): Promise<{ items: Incident[]; total: number }>;
  /** `exercise`: drill mode (演练) — the report is played by that exercise and carries its mark everywhere */
  createIncident(ctx: RequestCtx, input: IncidentInput, opts?: { exercise?: ExerciseMark }): Promise<Incident>;
  /**
   * Writes another module's fact on the incident's log (rendered in the reader's language, audited, streamed). The
   * caller checks its own permission; the incident must be in the caller's scope; a closed incident refuses
   * (`INCIDENT_CLOSED`) unless `allowClosed`.
   */
  /** The command log, newest first (incidents.read and the incident's scope, as the route). */
  listLog(ctx: RequestCtx, id: string, limit?: number): Promise<{ items: LogEntry[]; total: number }>;
  /** Where an incident belongs (district, reporting unit) for the visibility of records about it; undefined if none. */
  ownerOf(id: string): Promise<{ district: string | null; unit: string | null } | undefined>;
  recordFact(ctx: RequestCtx, id: string, facts: ModuleLogFacts, opts?: { allowClosed?: boolean }): Promise<LogEntry>;
}

export { computeLevel, NATURAL_2016, ORDER_493 } from './level.ts';
