/** The exercises module's door (drill mode, 演练模式): what other modules may ask of exercises. */
import type { Exercise } from '../../../contracts/exercises.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface ExercisesApi {
  getExercise(ctx: RequestCtx, id: string): Promise<Exercise>;
}
