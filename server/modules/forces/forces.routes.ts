import { Type as T } from 'typebox';
import { IdParams, ListOf, Paging } from '../../../contracts/common.ts';
import {
  AnalysisQuery,
  AREA_KINDS,
  AviationCoverageReply,
  AviationCoverageRequest,
  ChemicalParksReply,
  ChemicalParksRequest,
  FireCoverageReply,
  FireCoverageRequest,
  ForceArea,
  ForceAreaImport,
  ForceAreaInput,
  ForceAreaListQuery,
  ForcesSummary,
  ForestCoverageReply,
  ForestCoverageRequest,
  Member,
  MemberInput,
  MemberPatch,
  StationSitingReply,
  StationSitingRequest,
  StatusChange,
  StatusEntry,
  Team,
  TeamInput,
  TeamListQuery,
  TeamPatch,
} from '../../../contracts/forces.ts';
import { AppError } from '../../errors.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as an from './analyses.service.ts';
import { analysisFile } from './analysis-export.ts';
import * as svc from './forces.service.ts';
import { exportTeams, teamExportFileName } from './teams.export.ts';

const MemberParams = T.Object({ id: T.String({ format: 'uuid' }), memberId: T.String({ format: 'uuid' }) });
/** `bodyLimit`: the largest areas file (GeoJSON) taken in one request, in bytes (ANLAN_UPLOAD_MAX_MB) */
export function forcesRoutes(app: TypedApp, deps: an.AnalysesDeps, opts: { bodyLimit: number }): void {
  const tags = ['forces'];
  app.get(
    '/api/v1/teams',
    {
      config: { permission: 'forces.read' },
      schema: { tags, querystring: TeamListQuery, response: { 200: ListOf(Team) } },
    },
    async (req) => svc.listTeams(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/teams',
    { config: { permission: 'forces.manage' }, schema: { tags, body: TeamInput, response: { 201: Team } } },
    async (req, reply) => {
      const team = await svc.createTeam(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/teams/${team.id}`).send(team);
    },
  );
  app.get(
    '/api/v1/teams/summary',
    { config: { permission: 'forces.read' }, schema: { tags, response: { 200: ForcesSummary } } },
    async (req) => svc.summary(deps, req.ctx),
  );
  // a static path: Fastify matches it before `/api/v1/teams/:id` whatever the order; it stands before it anyway
  app.get(
    '/api/v1/teams/export.xlsx',
    {
      config: { permission: 'forces.read' },
      schema: {
        tags,
        description:
          "The team register as an Excel workbook (.xlsx), same filters as the list: the import's columns (it " +
          'imports again), then district, dispatchable, flags, members, the last status confirmation and vehicles.',
        querystring: TeamListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportTeams(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('救援队伍', teamExportFileName(deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/teams/:id',
    { config: { permission: 'forces.read' }, schema: { tags, params: IdParams, response: { 200: Team } } },
    async (req) => svc.getTeam(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      config: { permission: 'forces.manage' },
      schema: { tags, params: IdParams, body: TeamPatch, response: { 200: Team } },
    },
    async (req) => svc.updateTeam(deps, req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/teams/:id/status',
    {
      config: { permission: 'forces.status' },
      schema: {
        tags,
        description: 'A new status, or the same one to confirm it (clears the stale flag); kept in the history',
        params: IdParams,
        body: StatusChange,
        response: { 200: Team },
      },
    },
    async (req) => svc.changeStatus(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/teams/:id/status-history',
    {
      config: { permission: 'forces.read' },
      schema: { tags, params: IdParams, querystring: Paging, response: { 200: ListOf(StatusEntry) } },
    },
    async (req) => svc.statusHistory(deps, req.ctx, req.params.id, req.query),
  );
  app.get(
    '/api/v1/teams/:id/members',
    {
      config: { permission: 'forces.read' },
      schema: { tags, params: IdParams, response: { 200: ListOf(Member) } },
    },
    async (req) => svc.listMembers(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/teams/:id/members',
    {
      config: { permission: 'forces.manage' },
      schema: { tags, params: IdParams, body: MemberInput, response: { 201: Member } },
    },
    async (req, reply) => reply.status(201).send(await svc.addMember(deps, req.ctx, req.params.id, req.body)),
  );
  app.patch(
    '/api/v1/teams/:id/members/:memberId',
    {
      config: { permission: 'forces.manage' },
      schema: { tags, params: MemberParams, body: MemberPatch, response: { 200: Member } },
    },
    async (req) => svc.updateMember(deps, req.ctx, req.params.id, req.params.memberId, req.body),
  );
  app.delete(
    '/api/v1/teams/:id/members/:memberId',
    { config: { permission: 'forces.manage' }, schema: { tags, params: MemberParams } },
    async (req, reply) => {
      await svc.removeMember(deps, req.ctx, req.params.id, req.params.memberId);
      return reply.status(204).send();
    },
  );

  // ————— the analyses' areas —————
  app.get(
    '/api/v1/forces/areas',
    {
      config: { permission: 'forces.read' },
      schema: { tags, querystring: ForceAreaListQuery, response: { 200: ListOf(ForceArea) } },
    },
    async (req) => svc.listAreas(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/forces/areas',
    {
      config: { permission: 'forces.areas' },
      schema: { tags, body: ForceAreaInput, response: { 201: ForceArea } },
    },
    async (req, reply) => reply.status(201).send((await svc.createAreas(deps, req.ctx, [req.body]))[0]),
  );
  app.post(
    '/api/v1/forces/areas/import',
    {
      // a district's forests drawn in detail are megabytes of GeoJSON
      bodyLimit: opts.bodyLimit,
      config: { permission: 'forces.areas' },
      schema: {
        tags,
        description: 'A GeoJSON FeatureCollection of polygons as areas of one kind; any bad feature refuses all',
        body: ForceAreaImport,
        response: { 201: ListOf(ForceArea) },
      },
    },
    async (req, reply) => {
      const items = await svc.importAreas(deps, req.ctx, req.body);
      return reply.status(201).send({ items, total: items.length });
    },
  );
  app.addContentTypeParser(
    ['application/zip', 'application/x-zip-compressed'],
    { parseAs: 'buffer', bodyLimit: opts.bodyLimit },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/api/v1/forces/areas/import-shapefile',
    {
      bodyLimit: opts.bodyLimit,
      config: { permission: 'forces.areas' },
      schema: {
        tags,
        description:
          'A zipped Shapefile (body: the .zip, content-type application/zip) as areas of one kind; its .prj is ' +
          'used to reproject to WGS-84; any bad feature refuses all',
        querystring: T.Object({ kind: T.Enum(AREA_KINDS), approximate: T.Optional(T.Boolean()) }),
        response: { 201: ListOf(ForceArea) },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body))
        throw new AppError('VALIDATION', {
          field: 'file',
          reason: 'the .zip as the body, content-type application/zip',
        });
      const items = await svc.importAreasShapefile(deps, req.ctx, req.query, req.body);
      return reply.status(201).send({ items, total: items.length });
    },
  );
  app.delete(
    '/api/v1/forces/areas/:id',
    { config: { permission: 'forces.areas' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await svc.deleteArea(deps, req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );

  // ————— analyses: JSON, or ?format=xlsx / geojson to download —————
  const analysis = <B, R>(
    path: string,
    zh: string,
    description: string,
    body: unknown,
    response: unknown,
    run: (ctx: Parameters<typeof an.fireCoverage>[1], b: B, signal: AbortSignal) => Promise<R>,
  ) =>
    app.post(
      path,
      {
        config: { permission: 'forces.analyze' },
        schema: {
          tags,
          description,
          body: body as never,
          querystring: AnalysisQuery,
          response: { 200: response as never },
        },
      },
      async (req, reply) => {
        const q = req.query as { format?: 'json' | 'xlsx' | 'geojson' };
        const out = await run(req.ctx, req.body as B, whenClientGone(reply));
        if (!q.format || q.format === 'json') return out;
        const f = await analysisFile(path.split('/').pop() ?? 'analysis', out, q.format, req.ctx, deps);
        return reply
          .header('content-type', q.format === 'xlsx' ? XLSX_TYPE : 'application/geo+json')
          .header('content-disposition', prefixedAttachment(zh, f.name))
          .send(f.body);
      },
    );
  analysis(
    '/api/v1/analyses/fire-coverage',
    '消防覆盖',
    'Built-up land reached by fire stations within minutes − turnout (emergency profile, closures in force), per ' +
      "district, with each station's district (built-up land it reaches first) against its class's limit",
    FireCoverageRequest,
    FireCoverageReply,
    (ctx, b: FireCoverageRequest, signal) => an.fireCoverage(deps, ctx, b, signal),
  );
  analysis(
    '/api/v1/analyses/forest-coverage',
    '森林消防覆盖',
    'Forest areas reached by forest fire teams within the time; a district is covered when all its areas are reached',
    ForestCoverageRequest,
    ForestCoverageReply,
    (ctx, b: ForestCoverageRequest, signal) => an.forestCoverage(deps, ctx, b, signal),
  );
  analysis(
    '/api/v1/analyses/aviation-coverage',
    '航空救援覆盖',
    "Share of the city's land (and sea with includeSea) within each aviation base's geodesic radius (default 80 km)",
    AviationCoverageRequest,
    AviationCoverageReply,
    (ctx, b: AviationCoverageRequest) => an.aviationCoverageOf(deps, ctx, b),
  );
  analysis(
    '/api/v1/analyses/chemical-parks',
    '化工园区救援力量',
    'Each chemical park: an enterprise or hazardous-chemicals team based within it or driving there in time',
    ChemicalParksRequest,
    ChemicalParksReply,
    (ctx, b: ChemicalParksRequest) => an.chemicalParks(deps, ctx, b),
  );
  analysis(
    '/api/v1/analyses/station-siting',
    '消防站选址',
    'Maximal covering location: k new stations maximising newly covered demand, solved exactly (HiGHS), with the ' +
      "greedy plan and the solver's gap; with targetShare also the least number of stations to reach it",
    StationSitingRequest,
    StationSitingReply,
    (ctx, b: StationSitingRequest, signal) => an.stationSiting(deps, ctx, b, signal),
  );
}
