import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  ActionPatch,
  ComplianceQuery,
  ComplianceReply,
  ComplianceSettingsPut,
  ComplianceSettingsReply,
  Drill,
  DrillListQuery,
  DrillPlan,
  DrillPlanInput,
  DrillPlanListQuery,
  DrillPlanPatch,
  DrillRecordInput,
  DrillRecordPatch,
} from '../../../contracts/drills.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as cs from './compliance.service.ts';
import { exportCompliance, exportDrills, exportFileName } from './drills.export.ts';
import * as svc from './drills.service.ts';
import * as plans from './plans.service.ts';

const ActionParams = T.Object({ id: T.String({ format: 'uuid' }), actionId: T.String({ format: 'uuid' }) });

export function drillsRoutes(app: TypedApp, deps: svc.DrillsDeps): void {
  const tags = ['drills'];
  app.get(
    '/api/v1/drills',
    {
      config: { permission: 'drills.read' },
      schema: { tags, querystring: DrillListQuery, response: { 200: ListOf(Drill) } },
    },
    async (req) => svc.listDrills(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/drills',
    {
      config: { permission: 'drills.manage' },
      schema: {
        tags,
        description:
          'Records a drill (AQ/T 9007-2019 §4.2 type). A command plan tested with problems marked needsPlanRevision ' +
          "gives one task to the plan's owner unit.",
        body: DrillRecordInput,
        response: { 201: Drill },
      },
    },
    async (req, reply) => {
      const d = await svc.createDrill(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/drills/${d.id}`).send(d);
    },
  );
  app.get(
    '/api/v1/drills/export.xlsx',
    { config: { permission: 'drills.read' }, schema: { tags, querystring: DrillListQuery } },
    async (req, reply) => {
      const { file, rows } = await exportDrills(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('演练记录', exportFileName('drills', deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/drills/compliance',
    {
      config: { permission: 'drills.read' },
      schema: {
        tags,
        description:
          'Every subject (enterprise, government special/department plan) against each drill-frequency rule in force ' +
          'on asOf: last qualifying drill + N calendar months (clamped to the month end) or, never drilled, the ' +
          'registration date + N months; overdue first.',
        querystring: ComplianceQuery,
        response: { 200: ComplianceReply },
      },
    },
    async (req) => cs.compliance(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/drills/compliance/export.xlsx',
    { config: { permission: 'drills.read' }, schema: { tags, querystring: ComplianceQuery } },
    async (req, reply) => {
      const { file, rows } = await exportCompliance(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          prefixedAttachment('演练合规', exportFileName('drill-compliance', deps.clock.now())),
        )
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/drills/compliance/settings',
    { config: { permission: 'drills.read' }, schema: { tags, response: { 200: ComplianceSettingsReply } } },
    async (req) => cs.getSettings(deps, req.ctx),
  );
  app.put(
    '/api/v1/drills/compliance/settings',
    {
      config: { permission: 'drills.settings' },
      schema: { tags, body: ComplianceSettingsPut, response: { 200: ComplianceSettingsReply } },
    },
    async (req) => cs.putSettings(deps, req.ctx, req.body),
  );
  app.get(
    '/api/v1/drills/:id',
    { config: { permission: 'drills.read' }, schema: { tags, params: IdParams, response: { 200: Drill } } },
    async (req) => svc.getDrill(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/drills/:id',
    {
      config: { permission: 'drills.manage' },
      schema: { tags, params: IdParams, body: DrillRecordPatch, response: { 200: Drill } },
    },
    async (req) => svc.updateDrill(deps, req.ctx, req.params.id, req.body),
  );
  app.patch(
    '/api/v1/drills/:id/actions/:actionId',
    {
      config: { permission: 'drills.manage' },
      schema: { tags, params: ActionParams, body: ActionPatch, response: { 200: Drill } },
    },
    async (req) => svc.updateAction(deps, req.ctx, req.params.id, req.params.actionId, req.body),
  );
  app.post(
    '/api/v1/drills/:id/revision-task',
    {
      config: { permission: 'drills.manage' },
      schema: {
        tags,
        description: "The plan-revision task on the command plan's owner unit (once per drill)",
        params: IdParams,
        response: { 200: Drill },
      },
    },
    async (req) => svc.ensureRevisionTask(deps, req.ctx, req.params.id),
  );

  // ————— annual plans —————
  app.get(
    '/api/v1/drill-plans',
    {
      config: { permission: 'drills.read' },
      schema: { tags, querystring: DrillPlanListQuery, response: { 200: ListOf(DrillPlan) } },
    },
    async (req) => plans.listPlans(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/drill-plans',
    {
      config: { permission: 'drills.manage' },
      schema: { tags, body: DrillPlanInput, response: { 201: DrillPlan } },
    },
    async (req, reply) => {
      const p = await plans.createPlan(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/drill-plans/${p.id}`).send(p);
    },
  );
  app.get(
    '/api/v1/drill-plans/:id',
    { config: { permission: 'drills.read' }, schema: { tags, params: IdParams, response: { 200: DrillPlan } } },
    async (req) => plans.getPlan(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/drill-plans/:id',
    {
      config: { permission: 'drills.manage' },
      schema: { tags, params: IdParams, body: DrillPlanPatch, response: { 200: DrillPlan } },
    },
    async (req) => plans.updatePlan(deps, req.ctx, req.params.id, req.body),
  );
}
