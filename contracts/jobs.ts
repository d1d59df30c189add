import { type Static, Type as T } from 'typebox';

/** A long-running job (import, export, large analysis): state, progress, and its result when done. */
export const Job = T.Object({
  id: T.String(),
  kind: T.String(),
  state: T.Union([T.Literal('running'), T.Literal('done'), T.Literal('failed')]),
  phase: T.String(),
  done: T.Number(),
  total: T.Number(),
  ownerName: T.String(),
  startedAt: T.String(),
  finishedAt: T.Union([T.String(), T.Null()]),
  result: T.Any(),
  error: T.Union([T.Object({ code: T.String(), message: T.String(), field: T.Optional(T.String()) }), T.Null()]),
});
export type Job = Static<typeof Job>;
