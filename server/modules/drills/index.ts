/** The drills module's door: what other modules may ask of the drill records (the exercises module records a drill). */
import type { DrillRecordInput } from '../../../contracts/drills.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export type { DrillRecordInput } from '../../../contracts/drills.ts';

export interface DrillsApi {
  /**
   * records a drill done (used by exercises when an exercise ends: type from AQ/T 9007, the plan tested, …). Checks
   * `drills.manage` and the subject's scope for ctx. With `source: {kind: 'exercise', exerciseId}` it is idempotent:
   * a second call for the same exercise returns the first record's id.
   */
  recordDrill(ctx: RequestCtx, input: DrillRecordInput): Promise<{ id: string }>;
}
