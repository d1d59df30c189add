import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  AssignInput,
  DANGER_ACTION_PERMISSION,
  DANGER_ACTIONS,
  DangerDetail,
  DangerInput,
  DangerListQuery,
  DangerSettings,
  DangerSettingsInput,
  DangerStats,
  DangerStatsQuery,
  HiddenDanger,
  Inspection,
  InspectionInput,
  InspectionListQuery,
  ReasonInput,
  StepInput,
  SubmitInput,
} from '../../../contracts/dangers.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { exportDangers, exportFileName, exportInspections } from './dangers.export.ts';
import * as svc from './dangers.service.ts';
import * as insp from './inspections.service.ts';

const STEP_BODY = {
  assign: AssignInput,
  start: StepInput,
  submit: SubmitInput,
  verify: StepInput,
  reject: ReasonInput,
  close: StepInput,
  cancel: ReasonInput,
} as const;

const STEP_WORDS: Record<(typeof DANGER_ACTIONS)[number], string> = {
  assign: 'found → assigned: the responsible unit and person, the deadline and measures (a major danger needs both)',
  start: 'assigned or returned → rectifying: by the enterprise or the responsible unit',
  submit: 'rectifying or returned → submitted: what was done, evidence photos uploaded before',
  verify: 'submitted → verified: by a supervisor other than who submitted the rectification',
  reject: 'submitted → returned, with the reason: by a supervisor other than who submitted',
  close: 'verified → closed: by a supervisor other than who submitted',
  cancel: 'found or assigned → cancelled, with the reason (e.g. a duplicate)',
};

export function dangersRoutes(app: TypedApp, deps: svc.DangersDeps): void {
  const tags = ['hidden-dangers'];
  app.get(
    '/api/v1/hidden-dangers',
    {
      config: { permission: 'dangers.read' },
      schema: { tags, querystring: DangerListQuery, response: { 200: ListOf(HiddenDanger) } },
    },
    async (req) => svc.listDangers(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/hidden-dangers',
    {
      config: { permission: 'dangers.report' },
      schema: {
        tags,
        description:
          'Reports a hidden danger (status found, number YH-YYYYMMDD-NNN). An enterprise user reports for its own ' +
          'enterprise; the district comes from the enterprise, else from the point. Photos are uploaded afterwards ' +
          'to /api/v1/files with entity hidden_danger.',
        body: DangerInput,
        response: { 201: HiddenDanger },
      },
    },
    async (req, reply) => {
      const d = await svc.createDanger(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/hidden-dangers/${d.id}`).send(d);
    },
  );
  app.get(
    '/api/v1/hidden-dangers/stats',
    {
      config: { permission: 'dangers.read' },
      schema: {
        tags,
        description:
          'The treatment statistics of the dangers found in [from, to) within the caller’s scope: by status, grade, ' +
          'district and industry, open ones by age, overdue, the rectification rate, open major ones, the monthly trend',
        querystring: DangerStatsQuery,
        response: { 200: DangerStats },
      },
    },
    async (req) => svc.statistics(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/hidden-dangers/export.xlsx',
    {
      config: { permission: 'dangers.read' },
      schema: {
        tags,
        description: 'The register as an Excel workbook, same filters as the list',
        querystring: DangerListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportDangers(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          prefixedAttachment('隐患台账', exportFileName('hidden-dangers', deps.clock.now())),
        )
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/hidden-dangers/settings',
    { config: { permission: 'dangers.read' }, schema: { tags, response: { 200: DangerSettings } } },
    async (req) => svc.getSettings(deps, req.ctx),
  );
  app.put(
    '/api/v1/hidden-dangers/settings',
    {
      config: { permission: 'dangers.settings' },
      schema: { tags, body: DangerSettingsInput, response: { 200: DangerSettings } },
    },
    async (req) => svc.putSettings(deps, req.ctx, req.body),
  );
  app.get(
    '/api/v1/hidden-dangers/:id',
    { config: { permission: 'dangers.read' }, schema: { tags, params: IdParams, response: { 200: DangerDetail } } },
    async (req) => svc.getDanger(deps, req.ctx, req.params.id),
  );
  for (const action of DANGER_ACTIONS) {
    app.post(
      `/api/v1/hidden-dangers/:id/${action}`,
      {
        config: { permission: DANGER_ACTION_PERMISSION[action] },
        schema: {
          tags,
          description: `${STEP_WORDS[action]}. Out of order → 409 DANGER_BAD_TRANSITION naming the state and the steps allowed; stale version → 409 VERSION_CONFLICT.`,
          params: IdParams,
          body: STEP_BODY[action],
          response: { 200: DangerDetail },
        },
      },
      async (req) => svc.takeStep(deps, req.ctx, req.params.id, action, req.body as svc.StepBody),
    );
  }

  // ————— inspections —————
  const itags = ['inspections'];
  app.get(
    '/api/v1/inspections',
    {
      config: { permission: 'dangers.read' },
      schema: { tags: itags, querystring: InspectionListQuery, response: { 200: ListOf(Inspection) } },
    },
    async (req) => insp.listInspections(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/inspections',
    {
      config: { permission: 'inspections.manage' },
      schema: {
        tags: itags,
        description:
          'Records an inspection; each finding becomes a hidden danger (source inspection) in the same transaction',
        body: InspectionInput,
        response: { 201: Inspection },
      },
    },
    async (req, reply) => {
      const i = await insp.createInspection(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/inspections/${i.id}`).send(i);
    },
  );
  app.get(
    '/api/v1/inspections/export.xlsx',
    { config: { permission: 'dangers.read' }, schema: { tags: itags, querystring: InspectionListQuery } },
    async (req, reply) => {
      const { file, rows } = await exportInspections(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('执法检查', exportFileName('inspections', deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/inspections/:id',
    {
      config: { permission: 'dangers.read' },
      schema: { tags: itags, params: IdParams, response: { 200: Inspection } },
    },
    async (req) => insp.getInspection(deps, req.ctx, req.params.id),
  );
}
