/** The dangers module's door: what other modules may ask of the hidden-danger register. */
import type { DangerListQuery, HiddenDanger } from '../../../contracts/dangers.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface DangersApi {
  /** the dangers in the caller's scope (an enterprise's: `enterpriseId`) */
  listDangers(ctx: RequestCtx, q: DangerListQuery): Promise<{ items: HiddenDanger[]; total: number }>;
}
