/** The risks module's door: what other modules (and the incident page through them) may ask of the census. */
import type { NearbyRisk } from '../../../contracts/risks.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export type { NearbyRisk } from '../../../contracts/risks.ts';

export interface RisksApi {
  /** hazards and vulnerable sites around a point, nearest first (the same rule as GET /api/v1/risks/nearby) */
  nearby(
    ctx: RequestCtx,
    q: { lon: number; lat: number; radiusM: number; limit?: number },
  ): Promise<{ items: NearbyRisk[]; total: number }>;
}
