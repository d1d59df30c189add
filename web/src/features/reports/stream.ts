import type { Report } from '../../../../contracts/reports.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { reportKeys } from './reports-api.ts';

/** A report drafted, edited or issued (`report.*`): its incident's schedule and the report read again. */
export function onReportChanged({ event, queryClient }: StreamContext): void {
  const r = event.payload as Partial<Report> | undefined;
  if (r?.incidentId) void queryClient.invalidateQueries({ queryKey: reportKeys.schedule(r.incidentId) });
  if (r?.incidentId && r.id) {
    void queryClient.invalidateQueries({ queryKey: reportKeys.report(r.incidentId, r.id) });
    void queryClient.invalidateQueries({ queryKey: reportKeys.versions(r.incidentId, r.id) });
  }
}
