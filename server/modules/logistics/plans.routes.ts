import { IdParams, ListOf } from '../../../contracts/common.ts';
import { Plan, PlanQuery, PlanRequest, PlanRoutes, PlanSummary } from '../../../contracts/logistics.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import type { TypedApp } from '../../platform/module.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import * as svc from './plans.service.ts';

export function plansRoutes(app: TypedApp, deps: LogisticsDeps): void {
  const tags = ['logistics'];
  app.post(
    '/api/v1/logistics/plan',
    {
      config: { permission: 'logistics.plan' },
      // 5,000 places and 100,000 needs
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        description:
          'A relief plan: who ships what from where so that the places get their needs by the deadline (default 12 h ' +
          'from startAt). Needs are given, or the relief norms × people × days. Travel by road (emergency profile, the ' +
          'closures in force); agreement reserves add their lead time. Each item solved exactly as a min-cost flow: ' +
          'least unmet need first, then least Σ quantity × arrival time; the greedy nearest-first plan beside it. ' +
          'Kept (201) unless dryRun (200). No road network: 503 NO_ROAD_NETWORK.',
        body: PlanRequest,
        response: { 200: Plan, 201: Plan },
      },
    },
    async (req, reply) => {
      const plan = await svc.makePlan(deps, req.ctx, req.body, whenClientGone(reply));
      if (!plan.id) return reply.status(200).send(plan);
      return reply.status(201).header('location', `/api/v1/logistics/plans/${plan.id}`).send(plan);
    },
  );
  app.get(
    '/api/v1/logistics/plans',
    {
      config: { permission: 'logistics.plan' },
      schema: { tags, querystring: PlanQuery, response: { 200: ListOf(PlanSummary) } },
    },
    async (req) => svc.listPlans(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/logistics/plans/:id',
    { config: { permission: 'logistics.plan' }, schema: { tags, params: IdParams, response: { 200: Plan } } },
    async (req) => svc.getPlan(deps, req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/logistics/plans/:id/routes',
    {
      config: { permission: 'logistics.plan' },
      schema: {
        tags,
        description:
          "The shipments' roads as GeoJSON lines, one per warehouse → place pair (most goods first, at most 500), " +
          'as the roads are now; a straight line (`straight`) where no road leads now.',
        params: IdParams,
        response: { 200: PlanRoutes },
      },
    },
    async (req, reply) => svc.planRoutes(deps, req.ctx, req.params.id, whenClientGone(reply)),
  );
}
