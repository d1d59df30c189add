import { IdParams, ListOf } from '../../../contracts/common.ts';
import { Job } from '../../../contracts/jobs.ts';
import {
  CensusFeatureCollection,
  CensusFeaturesQuery,
  CensusImportQuery,
  CensusKindFeaturesQuery,
  CensusKindList,
  CensusLayer,
  CensusLayerListQuery,
  H3Params,
  NearbyQuery,
  NearbyReply,
  PreventionProject,
  ProgressInput,
  ProjectDetail,
  ProjectExportQuery,
  ProjectInput,
  ProjectListQuery,
  ProjectPatch,
  ProjectSummaryReply,
  RiskCellDetail,
  RiskDistrictsReply,
  RiskGridQuery,
  RiskGridStatus,
  RiskSettingsPut,
  RiskSettingsReply,
} from '../../../contracts/risks.ts';
import { AppError } from '../../errors.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/imports/imports.routes.ts';
import { SMALL_FILE_ROWS } from '../../platform/imports/imports.service.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as census from './census.service.ts';
import * as grid from './grid.service.ts';
import { exportProjects, projectExportFileName } from './projects.export.ts';
import * as projects from './projects.service.ts';
import type { RisksDeps } from './risks.deps.ts';

const read = { permission: 'risks.read' };
const manage = { permission: 'risks.manage' };
const projectsManage = { permission: 'projects.manage' };

/** Census layers, the risk grid and nearby (`/api/v1/census`, `/api/v1/risks`). Call after multipart is registered. */
export function risksRoutes(app: TypedApp, deps: RisksDeps): void {
  const tags = ['risks'];
  app.get('/api/v1/census/kinds', { config: read, schema: { tags, response: { 200: CensusKindList } } }, async (req) =>
    census.listKinds(deps, req.ctx),
  );
  app.get(
    '/api/v1/census/layers',
    { config: read, schema: { tags, querystring: CensusLayerListQuery, response: { 200: ListOf(CensusLayer) } } },
    async (req) => census.listLayers(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/census/layers/import',
    {
      config: manage,
      schema: {
        tags,
        description:
          'Import a census layer from GeoJSON, a zipped Shapefile, KML, CSV or xlsx (lon/lat or 经度/纬度 columns, ' +
          'or a WKT column), multipart field "file". dry-run (the default) checks every feature and writes nothing; ' +
          'commit writes the layer with all its features or none. 202 with the job; its result is the report.',
        querystring: CensusImportQuery,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('IMPORT_NO_FILE', { field: 'file' });
      const part = await req.file();
      if (part?.fieldname !== 'file') throw new AppError('IMPORT_NO_FILE', { field: 'file' });
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new AppError('IMPORT_FILE_TOO_LARGE', { field: 'file', max: MAX_UPLOAD_BYTES >> 20 });
        throw err;
      }
      const started = await census.startCensusImport(
        deps,
        req.ctx,
        { name: part.filename || 'upload', data },
        req.query,
      );
      started.done.catch((err) => req.log.error({ err }, 'census import failed'));
      const job = started.rows <= SMALL_FILE_ROWS ? await started.done : started.job;
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/api/v1/census/layers/:id',
    { config: read, schema: { tags, params: IdParams, response: { 200: CensusLayer } } },
    async (req) => census.getLayer(deps, req.ctx, req.params.id),
  );
  app.delete(
    '/api/v1/census/layers/:id',
    { config: manage, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await census.deleteLayer(deps, req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/v1/census/layers/:id/features',
    {
      config: read,
      schema: { tags, params: IdParams, querystring: CensusFeaturesQuery, response: { 200: CensusFeatureCollection } },
    },
    async (req) => census.features(deps, req.ctx, { layerId: req.params.id, ...req.query }),
  );
  app.get(
    '/api/v1/census/features',
    {
      config: read,
      schema: { tags, querystring: CensusKindFeaturesQuery, response: { 200: CensusFeatureCollection } },
    },
    async (req) => census.features(deps, req.ctx, req.query),
  );

  // ————— the grid —————
  app.get(
    '/api/v1/risks/grid',
    {
      config: read,
      schema: {
        tags,
        description:
          'The risk grid cells in a bbox, of minClass or more severe: compact rows, or GeoJSON polygons (format=geojson)',
        querystring: RiskGridQuery,
      },
    },
    async (req) => grid.grid(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/risks/grid/status',
    { config: read, schema: { tags, response: { 200: RiskGridStatus } } },
    async (req) => grid.status(deps, req.ctx),
  );
  app.get(
    '/api/v1/risks/grid/districts',
    { config: read, schema: { tags, response: { 200: RiskDistrictsReply } } },
    async (req) => grid.districts(deps, req.ctx),
  );
  app.post(
    '/api/v1/risks/grid/recompute',
    { config: manage, schema: { tags, response: { 202: Job } } },
    async (req, reply) => {
      const { job } = await grid.recompute(deps, req.ctx);
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
  app.get(
    '/api/v1/risks/grid/:h3',
    { config: read, schema: { tags, params: H3Params, response: { 200: RiskCellDetail } } },
    async (req) => grid.cellDetail(deps, req.ctx, req.params.h3),
  );
  app.get(
    '/api/v1/risks/settings',
    { config: read, schema: { tags, response: { 200: RiskSettingsReply } } },
    async (req) => grid.getSettings(deps, req.ctx),
  );
  app.put(
    '/api/v1/risks/settings',
    { config: manage, schema: { tags, body: RiskSettingsPut, response: { 200: RiskSettingsReply } } },
    async (req) => grid.putSettings(deps, req.ctx, req.body),
  );
  app.get(
    '/api/v1/risks/nearby',
    {
      config: read,
      schema: {
        tags,
        description:
          'Hazards and vulnerable sites within radiusM (≤ 50 km) of near=lon,lat (WGS-84), nearest first: geodesic ' +
          'distance to the nearest point of each geometry (0 inside a zone). Every census kind but the population grid.',
        querystring: NearbyQuery,
        response: { 200: NearbyReply },
      },
    },
    async (req) => census.nearbyQuery(deps, req.ctx, req.query),
  );
}

/** Prevention projects (`/api/v1/prevention-projects`). */
export function projectRoutes(app: TypedApp, deps: RisksDeps): void {
  const tags = ['prevention-projects'];
  const base = '/api/v1/prevention-projects';
  app.get(
    base,
    { config: read, schema: { tags, querystring: ProjectListQuery, response: { 200: ListOf(PreventionProject) } } },
    async (req) => projects.listProjects(deps, req.ctx, req.query),
  );
  app.post(
    base,
    { config: projectsManage, schema: { tags, body: ProjectInput, response: { 201: PreventionProject } } },
    async (req, reply) => {
      const p = await projects.createProject(deps, req.ctx, req.body);
      return reply.status(201).header('location', `${base}/${p.id}`).send(p);
    },
  );
  app.get(`${base}/summary`, { config: read, schema: { tags, response: { 200: ProjectSummaryReply } } }, async (req) =>
    projects.summary(deps, req.ctx),
  );
  app.get(
    `${base}/export`,
    {
      config: read,
      schema: {
        tags,
        description: "The projects as an Excel workbook, same filters as the list (the import's columns first)",
        querystring: ProjectExportQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportProjects(deps, req.ctx, req.query);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('防灾减灾工程', projectExportFileName(deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    `${base}/:id`,
    { config: read, schema: { tags, params: IdParams, response: { 200: ProjectDetail } } },
    async (req) => projects.getProject(deps, req.ctx, req.params.id),
  );
  app.patch(
    `${base}/:id`,
    {
      config: projectsManage,
      schema: { tags, params: IdParams, body: ProjectPatch, response: { 200: PreventionProject } },
    },
    async (req) => projects.updateProject(deps, req.ctx, req.params.id, req.body),
  );
  app.delete(`${base}/:id`, { config: projectsManage, schema: { tags, params: IdParams } }, async (req, reply) => {
    await projects.deleteProject(deps, req.ctx, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    `${base}/:id/progress`,
    {
      config: projectsManage,
      schema: { tags, params: IdParams, body: ProgressInput, response: { 201: ProjectDetail } },
    },
    async (req, reply) => reply.status(201).send(await projects.reportProgress(deps, req.ctx, req.params.id, req.body)),
  );
}
