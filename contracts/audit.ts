import { Type as T } from 'typebox';
import { paging } from './common.ts';

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
  actor: T.Optional(T.String({ format: 'uuid', description: 'user id' })),
  entity: T.Optional(T.String({ maxLength: 100 })),
  entityId: T.Optional(T.String({ maxLength: 200 })),
  action: T.Optional(T.String({ maxLength: 100, description: 'an action or its start, e.g. `incident.`' })),
  from: T.Optional(T.String({ format: 'date-time' })),
  to: T.Optional(T.String({ format: 'date-time' })),
  ...paging(),
});
