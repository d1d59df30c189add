import type { TeamPositionEvent } from '../../../../contracts/dispatch.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { dispatchKeys, moveTeamInCache } from './dispatch-api.ts';
import { teamKeys } from './forces-api.ts';

/** `team.position`: the marker moves at once (no request). */
export function onTeamPosition({ event, queryClient }: StreamContext): void {
  const p = event.payload as Partial<TeamPositionEvent> | undefined;
  if (p?.teamId && typeof p.lng === 'number' && typeof p.lat === 'number' && p.ts)
    moveTeamInCache(queryClient, p as TeamPositionEvent);
}

/** `team.dispatched`, `team.arrived`, `team.released`: the incident's orders and the candidates read again. */
export function onDispatchChanged({ queryClient }: StreamContext): void {
  void queryClient.invalidateQueries({ queryKey: dispatchKeys.all });
  void queryClient.invalidateQueries({ queryKey: teamKeys.all });
}
