import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  Dispatch,
  DispatchAction,
  DispatchInput,
  NearestTeamsQuery,
  NearestTeamsReply,
  PositionInput,
  PositionReply,
} from '../../../contracts/dispatch.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as svc from './dispatch.service.ts';

const IncidentParams = T.Object({ id: T.String({ format: 'uuid', description: 'the incident' }) });

export function dispatchRoutes(app: TypedApp, deps: svc.DispatchDeps): void {
  const tags = ['dispatch'];
  app.get(
    '/api/v1/incidents/:id/nearest-teams',
    {
      config: { permission: 'forces.dispatch' },
      schema: {
        tags,
        description:
          'Every team of the city in the statuses asked (default: available, on duty), ranked by road travel time to ' +
          'the incident (emergency profile, closures in force); `estimated` where the team or the incident is off ' +
          'the road network (straight line × detour factor at the stated speed).',
        params: IncidentParams,
        querystring: NearestTeamsQuery,
        response: { 200: NearestTeamsReply },
      },
    },
    async (req) => svc.nearestTeams(deps, req.ctx, req.params.id, req.query),
  );
  app.get(
    '/api/v1/incidents/:id/dispatches',
    {
      config: { permission: 'forces.read' },
      schema: { tags, params: IncidentParams, response: { 200: ListOf(Dispatch) } },
    },
    async (req) => svc.listDispatches(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/incidents/:id/dispatches',
    {
      config: { permission: 'forces.dispatch' },
      schema: {
        tags,
        description:
          'Sends a team: records the order with its route and ETA, sets the team deployed; 409 when it is already ' +
          'sent elsewhere (naming the incident) or not dispatchable',
        params: IncidentParams,
        body: DispatchInput,
        response: { 201: Dispatch },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.dispatchTeam(deps, req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/api/v1/dispatches/:id',
    { config: { permission: 'forces.read' }, schema: { tags, params: IdParams, response: { 200: Dispatch } } },
    async (req) => svc.getDispatch(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/dispatches/:id/arrive',
    {
      config: { permission: 'forces.status' },
      schema: { tags, params: IdParams, body: T.Optional(DispatchAction), response: { 200: Dispatch } },
    },
    async (req) => svc.arrive(deps, req.ctx, req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/v1/dispatches/:id/release',
    {
      config: { permission: 'forces.status' },
      schema: { tags, params: IdParams, body: T.Optional(DispatchAction), response: { 200: Dispatch } },
    },
    async (req) => svc.release(deps, req.ctx, req.params.id, req.body ?? {}),
  );
  app.post(
    '/api/v1/teams/:id/positions',
    {
      config: { permission: 'forces.status' },
      schema: {
        tags,
        description:
          "A team's position (GeoJSON Point) at `ts` (not ahead of now by more than a minute, not older than a " +
          'day); the newest becomes the marker (`team.position`), every one is kept a week. Also over MQTT: ' +
          '`anlan/v1/teams/{id}/positions` with the same JSON (username = login name, password = an API token).',
        params: IdParams,
        body: PositionInput,
        response: { 202: PositionReply },
      },
    },
    async (req, reply) => reply.status(202).send(await svc.reportPosition(deps, req.ctx, req.params.id, req.body)),
  );
}
