import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AckReply } from '../../api/contracts.ts';
import { OPEN_ALERTS_KEY, type OpenAlerts, TRAY_LIMIT } from './alarm-state.ts';

/** The caller's open alarms; the live stream keeps the list current. */
export function useOpenAlerts(enabled: boolean) {
  return useQuery({
    queryKey: OPEN_ALERTS_KEY,
    queryFn: ({ signal }) => api.get<OpenAlerts>('/alerts', { limit: TRAY_LIMIT }, signal),
    enabled,
    // the stream keeps it current; a reconnect after a long absence (`reset`) reloads every query
    staleTime: 60_000,
  });
}

export const acknowledgeAlert = (id: string) => api.post<AckReply>(`/alerts/${encodeURIComponent(id)}/ack`);
