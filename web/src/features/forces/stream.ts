import type { Team } from '../../../../contracts/forces.ts';
import type { StreamContext } from '../../app/manifest.ts';
import { teamKeys, upsertTeamInCache } from './forces-api.ts';

/**
 * A team created, changed or given a status (`team.created`, `team.updated`, `team.status`): its page and the map
 * take the new version, the register and the commanders' board read again.
 */
export function onTeamChanged({ event, queryClient }: StreamContext): void {
  const team = event.payload as Partial<Team> | undefined;
  if (team?.id && team.location && typeof team.version === 'number') upsertTeamInCache(queryClient, team as Team);
  else {
    void queryClient.invalidateQueries({ queryKey: teamKeys.all });
    if (team?.id) void queryClient.invalidateQueries({ queryKey: ['team', team.id] });
  }
}
