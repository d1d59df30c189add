import { Type as T } from 'typebox';
import { IdParams, INT4_MAX, ListOf, Version } from '../../../contracts/common.ts';
import {
  DuplicateRule,
  Incident,
  IncidentInput,
  IncidentListQuery,
  IncidentPatch,
  LevelRuleSchema,
  LogEntry,
  LogInput,
  LogQuery,
  MergeInput,
  Transition,
  UnmergeInput,
} from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { exportFileName, exportIncidents } from './incidents.export.ts';
import { mergeIncident, unmergeIncident } from './incidents.merge.ts';
import * as svc from './incidents.service.ts';

function ifMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const v = String(header).replace(/^W\//, '').replace(/"/g, '').trim();
  // a version is an integer column: a larger number is no version (and PostgreSQL would refuse it with a 500)
  if (!/^\d{1,10}$/.test(v) || Number(v) > INT4_MAX) {
    throw new AppError('VALIDATION', { field: 'If-Match', reason: 'version number' });
  }
  return Number(v);
}

export function incidentRoutes(app: TypedApp, deps: svc.IncidentDeps): void {
  const tags = ['incidents'];
  app.get(
    '/api/v1/incidents',
    {
      config: { permission: 'incidents.read' },
      schema: { tags, querystring: IncidentListQuery, response: { 200: ListOf(Incident) } },
    },
    async (req) => svc.listIncidents(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/incidents',
    { config: { permission: 'incidents.create' }, schema: { tags, body: IncidentInput, response: { 201: Incident } } },
    async (req, reply) => {
      const dto = await svc.createIncident(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/incidents/${dto.id}`).send(dto);
    },
  );
  app.get(
    '/api/v1/incidents/export',
    {
      config: { permission: 'incidents.read' },
      schema: {
        tags,
        description: 'The register as an Excel workbook (.xlsx), same filters as the list.',
        querystring: IncidentListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportIncidents(deps, req.ctx, req.query, whenClientGone(reply));
      const name = exportFileName(deps.clock.now());
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('事件登记', name))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/incidents/level-rules',
    {
      config: { permission: 'incidents.read' },
      schema: {
        tags,
        response: {
          200: T.Object({ accident: LevelRuleSchema, natural: LevelRuleSchema, naturalVersion: T.Integer() }),
        },
      },
    },
    async () => svc.getLevelRules(deps.db.kysely),
  );
  app.put(
    '/api/v1/incidents/level-rules/natural',
    {
      config: { permission: 'incidents.rules' },
      schema: {
        tags,
        body: T.Intersect([
          LevelRuleSchema,
          T.Object({ version: T.Optional(Version('naturalVersion read; stale → 409')) }),
        ]),
      },
    },
    async (req) => svc.setNaturalRule(deps, req.ctx, req.body),
  );
  const DuplicateRuleOut = T.Intersect([DuplicateRule, T.Object({ version: T.Integer() })]);
  app.get(
    '/api/v1/incidents/duplicate-rule',
    { config: { permission: 'incidents.read' }, schema: { tags, response: { 200: DuplicateRuleOut } } },
    async () => svc.getDuplicateRule(deps.db.kysely),
  );
  app.put(
    '/api/v1/incidents/duplicate-rule',
    {
      config: { permission: 'incidents.rules' },
      schema: {
        tags,
        body: T.Intersect([DuplicateRule, T.Object({ version: T.Optional(Version('version read; stale → 409')) })]),
        response: { 200: DuplicateRuleOut },
      },
    },
    async (req) => svc.setDuplicateRule(deps, req.ctx, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/merge',
    {
      config: { permission: 'incidents.merge' },
      schema: {
        tags,
        description:
          'Merges this incident (a duplicate) into `intoId`: its status and figures stay (casualties are not summed), it leaves the default lists, both logs say so; audited; undone by /unmerge.',
        params: IdParams,
        body: MergeInput,
        response: { 200: Incident },
      },
    },
    async (req) => mergeIncident(deps, req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/incidents/:id/unmerge',
    {
      config: { permission: 'incidents.merge' },
      schema: { tags, params: IdParams, body: UnmergeInput, response: { 200: Incident } },
    },
    async (req) => unmergeIncident(deps, req.ctx, req.params.id, req.body ?? {}),
  );
  app.get(
    '/api/v1/incidents/:id',
    { config: { permission: 'incidents.read' }, schema: { tags, params: IdParams, response: { 200: Incident } } },
    async (req, reply) => {
      const dto = await svc.getIncident(deps, req.ctx, req.params.id);
      return reply.header('etag', `"${dto.version}"`).send(dto);
    },
  );
  app.patch(
    '/api/v1/incidents/:id',
    { schema: { tags, params: IdParams, body: IncidentPatch, response: { 200: Incident } } },
    async (req) => svc.updateIncident(deps, req.ctx, req.params.id, req.body, ifMatch(req.headers['if-match'])),
  );
  app.post(
    '/api/v1/incidents/:id/transitions',
    {
      config: { permission: 'incidents.transition' },
      schema: { tags, params: IdParams, body: Transition, response: { 200: Incident } },
    },
    async (req) => svc.transitionIncident(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/incidents/:id/log',
    {
      config: { permission: 'incidents.read' },
      schema: {
        tags,
        params: IdParams,
        querystring: LogQuery,
        response: { 200: ListOf(LogEntry) },
      },
    },
    async (req) => {
      const q = req.query;
      return svc.listLog(deps, req.ctx, req.params.id, q.limit, q.offset);
    },
  );
  app.post(
    '/api/v1/incidents/:id/log',
    {
      config: { permission: 'incidents.log', errors: [409] },
      schema: { tags, params: IdParams, body: LogInput, response: { 201: LogEntry } },
    },
    async (req, reply) => reply.status(201).send(await svc.addLog(deps, req.ctx, req.params.id, req.body.text)),
  );
}
