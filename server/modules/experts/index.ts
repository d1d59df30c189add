/** The experts module's door: what other modules may ask of the expert register and the consultations. */
import type { Consultation, Expert } from '../../../contracts/experts.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface ExpertsApi {
  getExpert(ctx: RequestCtx, id: string): Promise<Expert>;
  getConsultation(ctx: RequestCtx, id: string): Promise<Consultation>;
}
