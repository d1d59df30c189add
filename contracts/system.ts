import { type Static, Type as T } from 'typebox';

/**
 * `GET /api/v1/system/info` (public). `version` and `engine` are given to signed-in users only: an anonymous
 * caller learns nothing that helps to pick an exploit.
 */
export const SystemInfo = T.Object({
  name: T.String(),
  demo: T.Boolean(),
  dataAttribution: T.Array(T.String()),
  version: T.Optional(T.String()),
  engine: T.Optional(T.String({ description: 'pglite | postgres' })),
});
export type SystemInfo = Static<typeof SystemInfo>;
