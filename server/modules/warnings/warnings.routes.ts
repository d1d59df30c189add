import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  ChangeColourInput,
  Delivery,
  LiftInput,
  Policy,
  PolicyInput,
  PolicyPatch,
  Warning,
  WarningInput,
  WarningListQuery,
} from '../../../contracts/warnings.ts';
import type { TypedApp } from '../../platform/module.ts';
import type { Escalation } from './escalation.ts';
import type { WarningsService } from './warnings.service.ts';

export function warningRoutes(app: TypedApp, svc: WarningsService, esc: Escalation): void {
  const tags = ['warnings'];
  app.get(
    '/api/v1/warnings',
    {
      config: { permission: 'warnings.read' },
      schema: { tags, querystring: WarningListQuery, response: { 200: ListOf(Warning) } },
    },
    async (req) => svc.list(req.ctx, req.query),
  );
  app.post(
    '/api/v1/warnings',
    { config: { permission: 'warnings.manage' }, schema: { tags, body: WarningInput, response: { 201: Warning } } },
    async (req, reply) => reply.status(201).send(await svc.create(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/warnings/:id',
    { config: { permission: 'warnings.read' }, schema: { tags, params: IdParams, response: { 200: Warning } } },
    async (req) => svc.get(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/ack',
    { config: { permission: 'warnings.manage' }, schema: { tags, params: IdParams, response: { 200: Warning } } },
    async (req) => svc.acknowledge(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/lift',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, body: LiftInput, response: { 200: Warning } },
    },
    async (req) => svc.liftByHand(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/warnings/:id/colour',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, body: ChangeColourInput, response: { 200: Warning } },
    },
    async (req) => svc.setColour(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/warnings/:id/incident',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, response: { 200: T.Object({ incidentId: T.String(), warning: Warning }) } },
    },
    async (req) => svc.promote(req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/warnings/:id/deliveries',
    {
      config: { permission: 'warnings.read' },
      schema: { tags, params: IdParams, response: { 200: T.Array(Delivery) } },
    },
    async (req) => {
      await svc.read(req.ctx, req.params.id);
      return esc.deliveries(req.params.id);
    },
  );
  app.get(
    '/api/v1/warning-policies',
    { config: { permission: 'warnings.read' }, schema: { tags, response: { 200: ListOf(Policy) } } },
    async (req) => esc.listPolicies(req.ctx),
  );
  app.post(
    '/api/v1/warning-policies',
    { config: { permission: 'warnings.policies' }, schema: { tags, body: PolicyInput, response: { 201: Policy } } },
    async (req, reply) => reply.status(201).send(await esc.createPolicy(req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/warning-policies/:id',
    {
      config: { permission: 'warnings.policies' },
      schema: { tags, params: IdParams, body: PolicyPatch, response: { 200: Policy } },
    },
    async (req) => esc.updatePolicy(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/warning-policies/:id',
    { config: { permission: 'warnings.policies' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await esc.deletePolicy(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
}
