/** The reports module's door: what other modules may ask of incidents' reports (the duty board: what is due). */
import type { DueReport } from '../../../contracts/reports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface ReportsApi {
  /** reports due within the hours and every overdue one, across the incidents in the caller's scope, by due time */
  listDue(ctx: RequestCtx, withinHours?: number): Promise<{ items: DueReport[]; total: number }>;
}
