/**
 * The forces module's API as the web uses it: teams, their status and members, the commanders' summary, the
 * analyses' areas, and the analyses themselves (JSON, or the same POST downloaded as Excel / GeoJSON).
 */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type {
  ForceArea,
  ForceAreaImport,
  ForcesSummary,
  Member,
  MemberInput,
  MemberPatch,
  StatusChange,
  StatusEntry,
  Team,
  TeamInput,
  TeamPatch,
} from '../../../../contracts/forces.ts';
import { ApiError, api, downloadPosted } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';

export type TeamFilters = {
  q?: string;
  type?: string;
  status?: string;
  district?: string;
  capability?: string;
  stationClass?: string;
  flag?: string;
  dispatchable?: string;
};

export const teamKeys = {
  all: ['teams'] as const,
  lists: ['teams', 'list'] as const,
  list: (f: TeamFilters, limit: number, offset: number) => ['teams', 'list', f, limit, offset] as const,
  map: ['teams', 'map'] as const,
  summary: ['teams', 'summary'] as const,
  detail: (id: string) => ['team', id] as const,
  history: (id: string) => ['team', id, 'history'] as const,
  members: (id: string) => ['team', id, 'members'] as const,
};
export const areaKeys = { all: ['forces-areas'] as const };

const enc = encodeURIComponent;

export function useTeamList(filters: TeamFilters, limit: number, offset: number) {
  return useQuery({
    queryKey: teamKeys.list(filters, limit, offset),
    queryFn: ({ signal }) => api.get<ListReply<Team>>('/teams', { ...filters, limit, offset }, signal),
    placeholderData: (prev) => prev,
  });
}

/** Every team the user may see (the list's upper limit): the map, the analyses' what-if pickers. */
export function useAllTeams(enabled = true) {
  return useQuery({
    queryKey: teamKeys.map,
    queryFn: ({ signal }) => api.get<ListReply<Team>>('/teams', { limit: 2000 }, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useTeam(id: string) {
  return useQuery({
    queryKey: teamKeys.detail(id),
    queryFn: ({ signal }) => api.get<Team>(`/teams/${enc(id)}`, undefined, signal),
    retry: (n, err) => !(err instanceof ApiError && (err.status === 404 || err.status === 403)) && n < 2,
  });
}

export function useStatusHistory(id: string) {
  return useQuery({
    queryKey: teamKeys.history(id),
    queryFn: ({ signal }) => api.get<ListReply<StatusEntry>>(`/teams/${enc(id)}/status-history`, { limit: 50 }, signal),
  });
}

export function useMembers(id: string) {
  return useQuery({
    queryKey: teamKeys.members(id),
    queryFn: ({ signal }) => api.get<ListReply<Member>>(`/teams/${enc(id)}/members`, undefined, signal),
  });
}

export function useSummary() {
  return useQuery({
    queryKey: teamKeys.summary,
    queryFn: ({ signal }) => api.get<ForcesSummary>('/teams/summary', undefined, signal),
  });
}

export function useAreas(kind: string | undefined) {
  return useQuery({
    queryKey: [...areaKeys.all, kind ?? ''],
    queryFn: ({ signal }) => api.get<ListReply<ForceArea>>('/forces/areas', { kind, limit: 1000 }, signal),
  });
}

export const createTeam = (input: TeamInput) => api.post<Team>('/teams', input);
export const patchTeam = (id: string, patch: TeamPatch) => api.patch<Team>(`/teams/${enc(id)}`, patch);
export const changeStatus = (id: string, body: StatusChange) => api.post<Team>(`/teams/${enc(id)}/status`, body);
export const addMember = (teamId: string, input: MemberInput) =>
  api.post<Member>(`/teams/${enc(teamId)}/members`, input);
export const patchMember = (teamId: string, id: string, patch: MemberPatch) =>
  api.patch<Member>(`/teams/${enc(teamId)}/members/${enc(id)}`, patch);
export const deleteMember = (teamId: string, id: string) =>
  api.delete<void>(`/teams/${enc(teamId)}/members/${enc(id)}`);
export const importAreas = (body: ForceAreaImport) => api.post<ListReply<ForceArea>>('/forces/areas/import', body);
/** a zipped Shapefile, read and reprojected by the server */
export const importShapefile = (kind: ForceAreaImport['kind'], approximate: boolean, file: Blob) =>
  api.send<ListReply<ForceArea>>(
    `/forces/areas/import-shapefile?kind=${kind}&approximate=${approximate}`,
    file,
    'application/zip',
  );
export const deleteArea = (id: string) => api.delete<void>(`/forces/areas/${enc(id)}`);

/** The analyses by their path below `/analyses/`. */
export const ANALYSES = ['fire-coverage', 'forest-coverage', 'aviation-coverage', 'chemical-parks', 'station-siting'];
export type AnalysisPath = (typeof ANALYSES)[number];

export const runAnalysis = <R>(path: AnalysisPath, body: unknown) => api.post<R>(`/analyses/${path}`, body);

/** The same analysis downloaded as a file: the same POST with `?format=xlsx` or `geojson`. */
export const downloadAnalysis = (path: AnalysisPath, body: unknown, format: 'xlsx' | 'geojson') =>
  downloadPosted(`/analyses/${path}`, body, { format }, `${path}.${format}`);

/** A changed team (a write or the stream) in every cached view: its page, the map's list; lists and board read again. */
export function upsertTeamInCache(qc: QueryClient, team: Team): void {
  const current = qc.getQueryData<Team>(teamKeys.detail(team.id));
  if (!current || current.version <= team.version) qc.setQueryData(teamKeys.detail(team.id), team);
  qc.setQueryData<ListReply<Team>>(teamKeys.map, (old) => {
    if (!old) return old;
    const idx = old.items.findIndex((x) => x.id === team.id);
    if (idx < 0) return { items: [...old.items, team], total: old.total + 1 };
    if (old.items[idx].version > team.version) return old;
    const items = old.items.slice();
    items[idx] = team;
    return { ...old, items };
  });
  void qc.invalidateQueries({ queryKey: teamKeys.lists });
  void qc.invalidateQueries({ queryKey: teamKeys.summary });
  void qc.invalidateQueries({ queryKey: teamKeys.history(team.id) });
}
