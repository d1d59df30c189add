/** The duty module's door: who is on shift (for escalation and the other modules), and the roster's writes. */
import type { Pattern, PatternInput, Shift, ShiftInput } from '../../../contracts/duty.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface DutyPerson {
  id: string;
  displayName: string;
  unit: string;
}

export interface DutyApi {
  /** the people on shift at `at` in a unit (default: the city command centre, `yjj`); no permission check */
  onShift(at: Date, unitCode?: string): Promise<{ officers: DutyPerson[]; leaders: DutyPerson[] }>;
  /** a unit's shift pattern, with the rules and permission of the route */
  createPattern(ctx: RequestCtx, input: PatternInput): Promise<Pattern>;
  /** one person on one shift, with the rules and permission of the route */
  createShift(ctx: RequestCtx, input: ShiftInput): Promise<Shift>;
}
