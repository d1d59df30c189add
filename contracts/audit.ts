import { Type as T } from 'typebox';

export const AuditEntry = T.Object({
  seq: T.Integer(),
  at: T.String(),
  actorId: T.Union([T.String(), T.Null()]),
  actorName: T.Union([T.String(), T.Null()]),
  action: T.String(),
  entity: T.String(),
  entityId: T.Union([T.String(), T.Null()]),
  before: T.Any(),
  after: T.Any(),
  requestId: T.Union([T.String(), T.Null()]),
  address: T.Union([T.String(), T.Null()]),
  hash: T.String(),
});
export const AuditQuery = T.Object({
  actor: T.Optional(T.String({ description: 'user id' })),
  entity: T.Optional(T.String()),
  entityId: T.Optional(T.String()),
  action: T.Optional(T.String()),
  from: T.Optional(T.String({ format: 'date-time' })),
  to: T.Optional(T.String({ format: 'date-time' })),
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: T.Optional(T.Integer({ minimum: 0, default: 0 })),
});
