import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from './client.ts';
import type {
  Incident,
  IncidentInput,
  IncidentPatch,
  LevelRule,
  LevelRules,
  ListReply,
  LogEntry,
  Status,
} from './contracts.ts';
import { STATUSES } from './contracts.ts';
import { useUnits } from './org.ts';

export type IncidentFilters = {
  q?: string;
  status?: string[];
  category?: string;
  typeCode?: string;
  level?: string[];
  district?: string;
  from?: string;
  to?: string;
};

export const incidentKeys = {
  all: ['incidents'] as const,
  list: (filters: IncidentFilters, limit: number, offset: number) =>
    ['incidents', 'list', filters, limit, offset] as const,
  map: (showClosed: boolean) => ['incidents', 'map', showClosed] as const,
  detail: (id: string) => ['incident', id] as const,
  log: (id: string) => ['incident', id, 'log'] as const,
};

export const OPEN_STATUSES: Status[] = STATUSES.filter((s) => s !== 'closed');

export function useIncidentList(filters: IncidentFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: incidentKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Incident>>('/incidents', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

export function useMapIncidents(showClosed: boolean) {
  return useQuery({
    queryKey: incidentKeys.map(showClosed),
    queryFn: ({ signal }) =>
      api.get<ListReply<Incident>>(
        '/incidents',
        { limit: 500, status: showClosed ? undefined : OPEN_STATUSES },
        signal,
      ),
    placeholderData: (prev) => prev,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKeys.detail(id),
    queryFn: ({ signal }) => api.get<Incident>(`/incidents/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function useIncidentLog(id: string) {
  return useQuery({
    queryKey: incidentKeys.log(id),
    queryFn: ({ signal }) =>
      api.get<ListReply<LogEntry>>(`/incidents/${encodeURIComponent(id)}/log`, { limit: 500 }, signal),
  });
}

export const createIncident = (input: IncidentInput) => api.post<Incident>('/incidents', input);
export const patchIncident = (id: string, patch: IncidentPatch) =>
  api.patch<Incident>(`/incidents/${encodeURIComponent(id)}`, patch);
export const transitionIncident = (id: string, to: Status, version: number, note?: string) =>
  api.post<Incident>(`/incidents/${encodeURIComponent(id)}/transitions`, { to, note: note || undefined, version });
export const addLogNote = (id: string, text: string) =>
  api.post<LogEntry>(`/incidents/${encodeURIComponent(id)}/log`, { text });

/** A district's name in the UI language (the incident carries the Chinese name; units know the English one). */
export function useDistrictName() {
  const { i18n, t } = useTranslation();
  const units = useUnits();
  const en = i18n.language === 'en';
  return (i: Pick<Incident, 'district' | 'districtStatus'>): string => {
    if (!i.district) {
      if (i.districtStatus === 'sea') return t('incidents:district.sea');
      return i.districtStatus === 'outside' ? t('incidents:district.outside') : t('incidents:district.unknown');
    }
    const name = en
      ? units.data?.items.find((u) => u.code === i.district?.code)?.nameEn || i.district.name
      : i.district.name;
    // at sea in the waters assigned to a district: "荣成市海域"
    return i.districtStatus === 'sea' ? t('incidents:district.seaOf', { district: name }) : name;
  };
}

/**
 * Put a fresh incident (from a write or the live stream) into every cached view: the detail, the map
 * lists (adding, replacing or dropping it by the map's status filter), and refetch the register pages.
 */
export function upsertIncidentInCache(qc: QueryClient, incident: Incident): void {
  const current = qc.getQueryData<Incident>(incidentKeys.detail(incident.id));
  if (!current || current.version <= incident.version) qc.setQueryData(incidentKeys.detail(incident.id), incident);
  for (const showClosed of [false, true]) {
    qc.setQueryData<ListReply<Incident>>(incidentKeys.map(showClosed), (old) => {
      if (!old) return old;
      const visible = showClosed || incident.status !== 'closed';
      const idx = old.items.findIndex((i) => i.id === incident.id);
      if (idx >= 0) {
        if (old.items[idx].version > incident.version) return old;
        const items = old.items.slice();
        if (visible) items[idx] = incident;
        else items.splice(idx, 1);
        return { ...old, items, total: visible ? old.total : Math.max(0, old.total - 1) };
      }
      if (!visible) return old;
      return { ...old, items: [incident, ...old.items], total: old.total + 1 };
    });
  }
  void qc.invalidateQueries({ queryKey: ['incidents', 'list'] });
  void qc.invalidateQueries({ queryKey: incidentKeys.log(incident.id) });
}

export const LEVEL_RULES_KEY = ['level-rules'] as const;

/** The level rules in force (accident: Order 493, read-only; natural: configurable). */
export function useLevelRules() {
  return useQuery({
    queryKey: LEVEL_RULES_KEY,
    queryFn: ({ signal }) => api.get<LevelRules>('/incidents/level-rules', undefined, signal),
  });
}

/** Replaces the natural-disaster table (incidents.rules); applies to incidents reported or changed from now on. */
export const putNaturalRule = (rule: LevelRule, version: number) =>
  api.put<LevelRules>('/incidents/level-rules/natural', { ...rule, version });
