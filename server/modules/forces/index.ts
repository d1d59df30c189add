/** The forces module's door: what other modules may ask of the rescue forces register. */
import type { Team, TeamListQuery } from '../../../contracts/forces.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface ForcesApi {
  getTeam(ctx: RequestCtx, id: string): Promise<Team>;
  /** the teams the caller may see, filtered as the list is */
  listTeams(ctx: RequestCtx, q: TeamListQuery): Promise<{ items: Team[]; total: number }>;
}
