import { IdParams, ListOf, Paging } from '../../../contracts/common.ts';
import {
  DocxQuery,
  DueQuery,
  DueReport,
  Report,
  ReportDraftInput,
  ReportIssueInput,
  ReportParams,
  ReportPatch,
  ReportSettings,
  ReportSettingsInput,
  ReportSlot,
  ReportVersion,
  Sitrep,
} from '../../../contracts/reports.ts';
import { attachment } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { cityDate } from '../../platform/time.ts';
import * as svc from './reports.service.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function reportRoutes(app: TypedApp, deps: svc.ReportsDeps): void {
  const tags = ['reports'];
  app.get(
    '/api/v1/reports/clocks',
    { config: { permission: 'reports.read' }, schema: { tags, response: { 200: ReportSettings } } },
    async (req) => svc.getSettings(deps, req.ctx),
  );
  app.put(
    '/api/v1/reports/clocks',
    {
      config: { permission: 'reports.configure', errors: [409] },
      schema: { tags, body: ReportSettingsInput, response: { 200: ReportSettings } },
    },
    async (req) => svc.putSettings(deps, req.ctx, req.body),
  );
  app.get(
    '/api/v1/reports/due',
    {
      config: { permission: 'reports.read' },
      schema: { tags, querystring: DueQuery, response: { 200: ListOf(DueReport) } },
    },
    async (req) => svc.listDue(deps, req.ctx, req.query.withinHours),
  );
  app.get(
    '/api/v1/reports/sitrep.docx',
    {
      config: { permission: 'reports.read' },
      schema: { tags, description: 'The situation report of the active incidents in the caller’s scope, now.' },
    },
    async (req, reply) => {
      const file = await svc.sitrepNow(deps, req.ctx);
      const day = cityDate(deps.clock.now());
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', attachment(`综合情况-${day}.docx`, `sitrep-${day}.docx`))
        .send(file);
    },
  );
  app.get(
    '/api/v1/reports/sitreps',
    {
      config: { permission: 'reports.read' },
      schema: { tags, querystring: Paging, response: { 200: ListOf(Sitrep) } },
    },
    async (req) => svc.listSitreps(deps, req.ctx, req.query.limit, req.query.offset),
  );
  app.post(
    '/api/v1/reports/sitreps',
    { config: { permission: 'reports.sitrep' }, schema: { tags, response: { 201: Sitrep } } },
    async (req, reply) => reply.status(201).send(await svc.makeSitrep(deps, req.ctx)),
  );
  app.get(
    '/api/v1/reports/sitreps/:id',
    { config: { permission: 'reports.read' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      const { file, at } = await svc.sitrepFile(deps, req.ctx, req.params.id);
      const day = cityDate(at);
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', attachment(`综合情况-${day}.docx`, `sitrep-${day}.docx`))
        .send(file);
    },
  );

  app.get(
    '/api/v1/incidents/:id/reports',
    {
      config: { permission: 'reports.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(ReportSlot) } },
    },
    async (req) => svc.scheduleOf(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/incidents/:id/reports',
    {
      config: { permission: 'reports.write', errors: [409] },
      schema: { tags, params: IdParams, body: ReportDraftInput, response: { 201: Report } },
    },
    async (req, reply) => reply.status(201).send(await svc.createReport(deps, req.ctx, req.params.id, req.body)),
  );
  app.get(
    '/api/v1/incidents/:id/reports/:reportId.docx',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags,
        params: ReportParams,
        querystring: DocxQuery,
        description: 'The report as a Word document: an issued version (`version`), or the text in force.',
      },
    },
    async (req, reply) => {
      const { file, name } = await svc.reportFile(deps, req.ctx, req.params.id, req.params.reportId, req.query.version);
      return reply
        .header('content-type', DOCX)
        .header('content-disposition', attachment(name, `report-${req.params.reportId}.docx`))
        .send(file);
    },
  );
  app.get(
    '/api/v1/incidents/:id/reports/:reportId',
    { config: { permission: 'reports.read' }, schema: { tags, params: ReportParams, response: { 200: Report } } },
    async (req) => svc.getReport(deps, req.ctx, req.params.id, req.params.reportId),
  );
  app.patch(
    '/api/v1/incidents/:id/reports/:reportId',
    {
      config: { permission: 'reports.write', errors: [409] },
      schema: { tags, params: ReportParams, body: ReportPatch, response: { 200: Report } },
    },
    async (req) => svc.updateReport(deps, req.ctx, req.params.id, req.params.reportId, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/reports/:reportId/issue',
    {
      config: { permission: 'reports.issue', errors: [409] },
      schema: { tags, params: ReportParams, body: ReportIssueInput, response: { 200: Report } },
    },
    async (req) => svc.issueReport(deps, req.ctx, req.params.id, req.params.reportId, req.body),
  );
  app.get(
    '/api/v1/incidents/:id/reports/:reportId/versions',
    {
      config: { permission: 'reports.read' },
      schema: { tags, params: ReportParams, response: { 200: ListOf(ReportVersion) } },
    },
    async (req) => svc.listVersions(deps, req.ctx, req.params.id, req.params.reportId),
  );
}
