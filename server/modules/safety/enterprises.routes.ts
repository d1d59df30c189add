import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  Enterprise,
  EnterpriseInput,
  EnterpriseLayer,
  EnterprisePatch,
  EnterpriseQuery,
  RiskGradingPut,
  RiskGradingSetting,
} from '../../../contracts/safety.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as svc from './enterprises.service.ts';
import * as gs from './grading.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

/** The enterprises register and the risk grading rule. */
export function enterpriseRoutes(app: TypedApp, deps: SafetyDeps): void {
  const tags = ['safety'];
  app.get(
    '/api/v1/enterprises',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description: 'Enterprises within the caller’s scope (district of the location, the enterprise’s own unit)',
        querystring: EnterpriseQuery,
        response: { 200: ListOf(Enterprise) },
      },
    },
    async (req) => svc.listEnterprises(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/enterprises',
    {
      config: { permission: 'enterprises.manage' },
      schema: {
        tags,
        description: 'Registers an enterprise (credit code checked by its GB 32100-2015 check character) and its unit',
        body: EnterpriseInput,
        response: { 201: Enterprise },
      },
    },
    async (req, reply) => {
      const e = await svc.createEnterprise(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/enterprises/${e.id}`).send(e);
    },
  );
  app.get(
    '/api/v1/enterprises/layer.geojson',
    {
      config: { permission: 'enterprises.read' },
      schema: {
        tags,
        description:
          'The map layer: active enterprises within the caller’s scope, coloured by their highest risk point',
        response: { 200: EnterpriseLayer },
      },
    },
    async (req) => svc.enterpriseLayer(deps, req.ctx),
  );
  app.get(
    '/api/v1/enterprises/:id',
    { config: { permission: 'enterprises.read' }, schema: { tags, params: IdParams, response: { 200: Enterprise } } },
    async (req) => svc.getEnterprise(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/enterprises/:id',
    {
      config: { permission: 'enterprises.manage' },
      schema: { tags, params: IdParams, body: EnterprisePatch, response: { 200: Enterprise } },
    },
    async (req) => svc.updateEnterprise(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/safety/risk-grading',
    {
      config: { permission: 'enterprises.read' },
      schema: { tags, description: 'The risk grading rule in force', response: { 200: RiskGradingSetting } },
    },
    async (req) => gs.getGrading(deps, req.ctx),
  );
  app.put(
    '/api/v1/safety/risk-grading',
    {
      config: { permission: 'safety.settings' },
      schema: {
        tags,
        description: 'Changes the thresholds (version-checked, monotonic, audited); colours follow on the next read',
        body: RiskGradingPut,
        response: { 200: RiskGradingSetting },
      },
    },
    async (req) => gs.putGrading(deps, req.ctx, req.body),
  );
}
