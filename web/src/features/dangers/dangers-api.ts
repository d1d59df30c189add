/** The dangers module's API as the web uses it: the register, a danger with its steps, statistics, inspections. */
import { useQuery } from '@tanstack/react-query';
import type { DangerDetail, DangerStats, HiddenDanger, Inspection } from '../../../../contracts/dangers.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export const dangerKeys = {
  all: ['hidden-dangers'] as const,
  list: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['hidden-dangers', 'list', f, limit, offset] as const,
  detail: (id: string) => ['hidden-dangers', 'detail', id] as const,
  stats: (f: Record<string, string | undefined>) => ['hidden-dangers', 'stats', f] as const,
  inspections: (f: Record<string, string | undefined>, limit: number, offset: number) =>
    ['inspections', 'list', f, limit, offset] as const,
};

export function useDangerList(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: dangerKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<HiddenDanger>>('/hidden-dangers', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useDanger(id: string | undefined) {
  return useQuery({
    queryKey: dangerKeys.detail(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<DangerDetail>(`/hidden-dangers/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useDangerStats(filters: Record<string, string | undefined>) {
  return useQuery({
    queryKey: dangerKeys.stats(filters),
    queryFn: ({ signal }) => api.get<DangerStats>('/hidden-dangers/stats', filters, signal),
    placeholderData: (prev) => prev,
  });
}

export function useInspections(filters: Record<string, string | undefined>, limit: number, offset: number) {
  return useQuery({
    queryKey: dangerKeys.inspections(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Inspection>>('/inspections', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Enterprises to choose from (the safety module's register), by name or credit code. */
export function useEnterpriseOptions(q: string) {
  return useQuery({
    queryKey: ['enterprises', 'options', q],
    queryFn: ({ signal }) =>
      api.get<ListReply<{ id: string; name: string; creditCode: string }>>(
        '/enterprises',
        { q: q || undefined, limit: 20 },
        signal,
      ),
    placeholderData: (prev) => prev,
    retry: false,
  });
}
