/**
 * Drill mode's mark (演练), shared by the records an exercise plays (incidents, warnings) and the lists that show
 * them. Kept apart from `exercises.ts` so that the incidents and warnings contracts need nothing else of exercises.
 */
import { type Static, Type as T } from 'typebox';

/** The exercise a record belongs to: every page, popup and alarm shows its title with a 演练 tag. */
export const ExerciseMark = T.Object({ id: T.String(), title: T.String() });
export type ExerciseMark = Static<typeof ExerciseMark>;

/**
 * Lists of real records and drill records together: `include` (the default: drill records listed, tagged 演练),
 * `exclude` (real ones only, e.g. statistics), `only` (drill records only).
 */
export const ExerciseFilter = T.Union([T.Literal('include'), T.Literal('exclude'), T.Literal('only')], {
  description: 'drill-mode (演练) records: include (default, tagged), exclude, only',
});
export type ExerciseFilter = Static<typeof ExerciseFilter>;

/** The tag prefixed to the title of an alarm raised for a drill record. */
export const EXERCISE_TAG = { zh: '【演练】', en: '[EXERCISE] ' } as const;
