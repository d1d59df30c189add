/** The warnings module's door: what other modules may ask of warnings. */
import type { ExerciseMark } from '../../../contracts/exercises-mark.ts';
import type { Colour } from '../../../contracts/monitoring.ts';
import type { Warning } from '../../../contracts/warnings.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

/** What a monitoring rule found at one reading time for one device and hazard. */
export interface Observation {
  device: {
    id: string;
    name: string;
    districtCode: string | null;
    ownerUnit: string | null;
    lng: number;
    lat: number;
  };
  hazardCode: string;
  /** the rule that gave the colour (or the hazard's first rule when none holds) */
  rule: { id: string; name: string; nameEn: string; clearAfterMinutes: number };
  /** the reading time */
  ts: Date;
  /** the highest colour holding at ts (null: none holds) */
  held: Colour | null;
  /**
   * drill mode (演练): an exercise's synthetic readings — the warning carries the mark, is kept apart from the
   * device's real warning, never published, and its external deliveries are suppressed
   */
  exercise?: ExerciseMark;
}

export interface WarningsApi {
  /**
   * Applies rule observations, in the order given (a device's and hazard's in time order): raises, rises, falls and
   * lifts warnings; transitions are written, alarmed and notified. Returns the number of transitions.
   */
  observe(obs: readonly Observation[]): Promise<number>;
  /** the colour of a device's most severe active warning (in memory) */
  activeColourOf(deviceId: string): Colour | null;
  /** the colour of the active warning of a device and hazard (in memory) */
  activeColourOfHazard(deviceId: string, hazard: string): Colour | null;
  getWarning(ctx: RequestCtx, id: string): Promise<Warning>;
  /** The warning becomes an incident (type: its hazard, place: its device) and is linked to it; once only. */
  promote(ctx: RequestCtx, id: string): Promise<{ incidentId: string; warning: Warning }>;
  /** drill mode: lifts an exercise's warnings still active (the exercise ended); returns how many */
  liftExercise(exerciseId: string, reason: string): Promise<number>;
}
