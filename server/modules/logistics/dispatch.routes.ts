/** Routes of norms, gaps, procurement and dispatch orders (part C), under /api/v1/logistics. */

import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  DispatchOrder,
  GapQuery,
  GapReport,
  NormsInput,
  NormsSettings,
  OrderQuery,
  OrderTransition,
  PlanProgress,
  ProcurementProposal,
  ProcurementQuery,
} from '../../../contracts/logistics.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { gapsWorkbook, procurementWorkbook } from './gaps.export.ts';
import * as gaps from './gaps.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import * as norms from './norms.service.ts';
import * as orders from './orders.service.ts';

export function dispatchRoutes(app: TypedApp, deps: LogisticsDeps): void {
  const tags = ['logistics'];
  app.get(
    '/api/v1/logistics/norms',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description:
          'Relief norms (per person per day, or once), reserve norms (per 1,000 residents per tier) and residents ' +
          'per district; the defaults are assumptions (national per-person quantities not verified)',
        response: { 200: NormsSettings },
      },
    },
    async (req) => norms.normsSettings(deps, req.ctx),
  );
  app.put(
    '/api/v1/logistics/norms',
    {
      config: { permission: 'supplies.manage' },
      schema: {
        tags,
        description: 'Replaces the norms whole (audited); `version` as read, stale → 409',
        body: NormsInput,
        response: { 200: NormsSettings },
      },
    },
    async (req) => norms.putNorms(deps, req.ctx, req.body),
  );

  app.get(
    '/api/v1/logistics/gaps',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description:
          'Required reserve (residents × norm per 1,000) against stock + commitments, by district, tier and item; ' +
          '`format=xlsx` downloads it',
        querystring: GapQuery,
        response: { 200: GapReport },
      },
    },
    async (req, reply) => {
      const report = await gaps.gapReport(deps, req.ctx, req.query);
      if (req.query.format !== 'xlsx') return report;
      const { format: _f, ...filter } = req.query;
      const f = await gapsWorkbook(deps, req.ctx, report, filter, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('储备缺口', f.name))
        .send(f.file as never);
    },
  );
  app.get(
    '/api/v1/logistics/procurement',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description:
          "The year's procurement proposal: what closes the gaps and rotates batches expiring within the year, " +
          'where each goes and its estimated cost (catalogue unit prices); `format=xlsx` downloads it',
        querystring: ProcurementQuery,
        response: { 200: ProcurementProposal },
      },
    },
    async (req, reply) => {
      const p = await gaps.procurementProposal(deps, req.ctx, req.query);
      if (req.query.format !== 'xlsx') return p;
      const f = await procurementWorkbook(deps, req.ctx, p, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('采购建议', f.name))
        .send(f.file as never);
    },
  );

  app.post(
    '/api/v1/logistics/plans/:id/orders',
    {
      config: { permission: 'logistics.dispatch' },
      schema: {
        tags,
        description:
          "Makes the plan's dispatch orders, one per warehouse × place of its shipments; once per plan (again → 409)",
        params: IdParams,
        response: { 201: ListOf(DispatchOrder) },
      },
    },
    async (req, reply) => reply.status(201).send(await orders.makeOrders(deps, req.ctx, req.params.id)),
  );
  app.get(
    '/api/v1/logistics/plans/:id/progress',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description: 'What the plan still owes per place and item after its delivered orders; its orders by state',
        params: IdParams,
        response: { 200: PlanProgress },
      },
    },
    async (req) => orders.planProgress(deps, req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/logistics/orders',
    {
      config: { permission: 'supplies.read' },
      schema: { tags, querystring: OrderQuery, response: { 200: ListOf(DispatchOrder) } },
    },
    async (req) => orders.listOrders(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/logistics/orders/:id',
    { config: { permission: 'supplies.read' }, schema: { tags, params: IdParams, response: { 200: DispatchOrder } } },
    async (req) => orders.getOrder(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/logistics/orders/:id/transitions',
    {
      config: { permission: 'logistics.dispatch' },
      schema: {
        tags,
        description:
          'Moves the order one step: planned → loaded (issues its lines from the warehouse; short → 409 naming the ' +
          'line) → en_route → delivered (receivedBy required; photos uploaded to entity dispatch_order), or ' +
          'cancelled before it leaves (once loaded: a note, and stock.move, as the goods are received back into ' +
          'their batches); `version` as read, stale → 409',
        params: IdParams,
        body: OrderTransition,
        response: { 200: DispatchOrder },
      },
    },
    async (req) => orders.transitionOrder(deps, req.ctx, req.params.id, req.body),
  );
}
