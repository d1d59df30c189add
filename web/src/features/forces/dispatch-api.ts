/** Dispatch as the web uses it: nearest teams, orders, arrival and release (issue 12 part 5). */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { Dispatch, NearestTeamsReply, TeamPositionEvent } from '../../../../contracts/dispatch.ts';
import type { Team } from '../../../../contracts/forces.ts';
import { api } from '../../api/client.ts';
import type { ListReply } from '../../api/contracts.ts';
import { teamKeys } from './forces-api.ts';

export const dispatchKeys = {
  all: ['dispatch'] as const,
  nearest: (incidentId: string, type: string | undefined) => ['dispatch', 'nearest', incidentId, type ?? ''] as const,
  orders: (incidentId: string) => ['dispatch', 'orders', incidentId] as const,
};

export function useNearestTeams(incidentId: string, type: string | undefined, enabled = true) {
  return useQuery({
    queryKey: dispatchKeys.nearest(incidentId, type),
    queryFn: ({ signal }) =>
      api.get<NearestTeamsReply>(
        `/incidents/${incidentId}/nearest-teams`,
        { limit: 20, ...(type ? { type } : {}) },
        signal,
      ),
    enabled,
  });
}

export function useDispatches(incidentId: string) {
  return useQuery({
    queryKey: dispatchKeys.orders(incidentId),
    queryFn: ({ signal }) => api.get<ListReply<Dispatch>>(`/incidents/${incidentId}/dispatches`, undefined, signal),
  });
}

export const dispatchTeam = (incidentId: string, teamId: string) =>
  api.post<Dispatch>(`/incidents/${incidentId}/dispatches`, { teamId });
export const arriveDispatch = (id: string) => api.post<Dispatch>(`/dispatches/${id}/arrive`, {});
export const releaseDispatch = (id: string) => api.post<Dispatch>(`/dispatches/${id}/release`, {});

/** A position moves the team's marker wherever it is drawn (the command map's teams, the dispatch panel's map). */
export function moveTeamInCache(qc: QueryClient, p: TeamPositionEvent): void {
  qc.setQueryData<ListReply<Team>>(teamKeys.map, (old) => {
    if (!old) return old;
    const idx = old.items.findIndex((x) => x.id === p.teamId);
    if (idx < 0) return old;
    const items = old.items.slice();
    items[idx] = { ...items[idx], location: { type: 'Point', coordinates: [p.lng, p.lat] } };
    return { ...old, items };
  });
  qc.setQueriesData<NearestTeamsReply>({ queryKey: ['dispatch', 'nearest'] }, (old) => {
    if (!old) return old;
    if (!old.items.some((x) => x.id === p.teamId)) return old;
    return {
      ...old,
      items: old.items.map((x) =>
        x.id === p.teamId ? { ...x, location: { type: 'Point', coordinates: [p.lng, p.lat] } } : x,
      ),
    };
  });
}
