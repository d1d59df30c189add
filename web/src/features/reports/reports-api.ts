/** The reports module's API as the web uses it: an incident's schedule, its reports and versions, clocks, SitReps. */
import { useQuery } from '@tanstack/react-query';
import type {
  Report,
  ReportHeader,
  ReportSections,
  ReportSettings,
  ReportSlot,
  ReportVersion,
  Sitrep,
} from '../../../../contracts/reports.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export const reportKeys = {
  all: ['reports'] as const,
  schedule: (incidentId: string) => ['reports', 'schedule', incidentId] as const,
  report: (incidentId: string, id: string) => ['reports', 'report', incidentId, id] as const,
  versions: (incidentId: string, id: string) => ['reports', 'versions', incidentId, id] as const,
  settings: ['reports', 'settings'] as const,
  sitreps: ['reports', 'sitreps'] as const,
};

const enc = encodeURIComponent;
export const reportPath = (incidentId: string, id?: string) =>
  `/incidents/${enc(incidentId)}/reports${id ? `/${enc(id)}` : ''}`;

export function useSchedule(incidentId: string) {
  return useQuery({
    queryKey: reportKeys.schedule(incidentId),
    queryFn: ({ signal }) => api.get<ListReply<ReportSlot>>(reportPath(incidentId), undefined, signal),
    // the countdowns move on; the statuses with them
    refetchInterval: 60_000,
  });
}

export function useReport(incidentId: string, id: string | null) {
  return useQuery({
    queryKey: reportKeys.report(incidentId, id ?? ''),
    queryFn: ({ signal }) => api.get<Report>(reportPath(incidentId, id!), undefined, signal),
    enabled: !!id,
  });
}

export function useVersions(incidentId: string, id: string | null) {
  return useQuery({
    queryKey: reportKeys.versions(incidentId, id ?? ''),
    queryFn: ({ signal }) =>
      api.get<ListReply<ReportVersion>>(`${reportPath(incidentId, id!)}/versions`, undefined, signal),
    enabled: !!id,
  });
}

export function useReportSettings() {
  return useQuery({
    queryKey: reportKeys.settings,
    queryFn: ({ signal }) => api.get<ReportSettings>('/reports/clocks', undefined, signal),
  });
}

export function useSitreps() {
  return useQuery({
    queryKey: reportKeys.sitreps,
    queryFn: ({ signal }) => api.get<ListReply<Sitrep>>('/reports/sitreps', { limit: 100 }, signal),
  });
}

export const draftReport = (incidentId: string, kind: string) => api.post<Report>(reportPath(incidentId), { kind });
export const saveReport = (
  incidentId: string,
  id: string,
  body: { version: number; title?: string; sections?: Partial<ReportSections>; header?: Partial<ReportHeader> },
) => api.patch<Report>(reportPath(incidentId, id), body);
export const issueReport = (incidentId: string, id: string, version: number) =>
  api.post<Report>(`${reportPath(incidentId, id)}/issue`, { version });
export const saveSettings = (body: Omit<ReportSettings, 'defaults' | 'basis'>) =>
  api.put<ReportSettings>('/reports/clocks', body);
export const makeSitrep = () => api.post<Sitrep>('/reports/sitreps');
