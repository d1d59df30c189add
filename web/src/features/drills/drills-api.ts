/** The drills module's API as the web uses it: records, annual plans, compliance and its rules. */
import { useQuery } from '@tanstack/react-query';
import type { ComplianceReply, ComplianceSettingsReply, Drill, DrillPlan } from '../../../../contracts/drills.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export const drillKeys = {
  all: ['drills'] as const,
  list: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['drills', 'list', f, limit, offset] as const,
  detail: (id: string) => ['drills', 'detail', id] as const,
  compliance: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['drills', 'compliance', f, limit, offset] as const,
  settings: ['drills', 'settings'] as const,
  plans: (year: string | undefined) => ['drills', 'plans', year] as const,
};

export function useDrillList(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: drillKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Drill>>('/drills', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useDrill(id: string | undefined) {
  return useQuery({
    queryKey: drillKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Drill>(`/drills/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCompliance(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: drillKeys.compliance(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ComplianceReply>('/drills/compliance', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useComplianceSettings() {
  return useQuery({
    queryKey: drillKeys.settings,
    queryFn: ({ signal }) => api.get<ComplianceSettingsReply>('/drills/compliance/settings', undefined, signal),
  });
}

export function useDrillPlans(year: string | undefined) {
  return useQuery({
    queryKey: drillKeys.plans(year),
    queryFn: ({ signal }) => api.get<ListReply<DrillPlan>>('/drill-plans', { year, limit: 200 }, signal),
  });
}

/** choices for the form: enterprises and approved plans (the readers' lists of their modules) */
export function useEnterpriseChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['drills', 'enterprise-choices'],
    queryFn: ({ signal }) => api.get<ListReply<{ id: string; name: string }>>('/enterprises', { limit: 500 }, signal),
    enabled,
    staleTime: 60_000,
  });
}
export function usePlanChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['drills', 'plan-choices'],
    queryFn: ({ signal }) =>
      api.get<ListReply<{ id: string; name: string; kind: string }>>(
        '/plans',
        { status: 'approved', limit: 500 },
        signal,
      ),
    enabled,
    staleTime: 60_000,
  });
}
