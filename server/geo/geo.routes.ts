import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../contracts/common.ts';
import {
  CLOSURE_STATES,
  Closure,
  ClosureInput,
  CoverageReply,
  CoverageRequest,
  IsochroneReply,
  IsochroneRequest,
  MapLayer,
  MatrixReply,
  MatrixRequest,
  NetworkSummary,
  Road,
  RoadsQuery,
  RouteReply,
  RouteRequest,
} from '../../contracts/geo.ts';
import type { MapCatalogue } from '../platform/map-catalogue.ts';
import type { TypedApp } from '../platform/module.ts';
import * as closures from './closures/closures.service.ts';
import * as geo from './geo.service.ts';

export interface GeoRouteDeps extends geo.GeoDeps, closures.ClosureDeps {
  catalogue: MapCatalogue;
}

const tags = ['geo'];
const read = { permission: 'geo.read' };
const manage = { permission: 'closures.manage' };

export function geoRoutes(app: TypedApp, deps: GeoRouteDeps): void {
  app.get('/api/v1/geo/network', { config: read, schema: { tags } }, async () => geo.currentNetwork(deps));
  app.get(
    '/api/v1/geo/networks',
    { config: { permission: 'roads.import' }, schema: { tags, response: { 200: ListOf(NetworkSummary) } } },
    async () => {
      const items = await deps.networks.list();
      return { items, total: items.length };
    },
  );
  app.post(
    '/api/v1/geo/networks/import',
    {
      config: { permission: 'roads.import' },
      schema: {
        tags,
        description: 'Import an OSM extract (.osm.pbf or .osm) that lies on the server; returns the job (202).',
        body: T.Object({
          file: T.String({ minLength: 1, maxLength: 1000 }),
          name: T.Optional(T.String({ maxLength: 200 })),
          datum: T.Optional(T.Enum(['wgs84', 'gcj02'] as const)),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const { job, wait } = await deps.networks.startOsmImport(req.ctx, b.file, b);
      wait.catch((err) => req.log.error({ err }, 'road network import failed'));
      return reply.status(202).header('location', `/api/v1/geo/imports/${job.id}`).send(job);
    },
  );
  app.get(
    '/api/v1/geo/imports/:id',
    { config: { permission: 'roads.import' }, schema: { tags, params: IdParams } },
    async (req) => deps.networks.job(req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/geo/roads',
    { config: read, schema: { tags, querystring: RoadsQuery, response: { 200: ListOf(Road) } } },
    async (req) => geo.roads(deps, req.query),
  );
  app.post(
    '/api/v1/geo/route',
    { config: read, schema: { tags, body: RouteRequest, response: { 200: RouteReply } } },
    async (req) => geo.route(deps, req.body),
  );
  app.post(
    '/api/v1/geo/isochrone',
    { config: read, schema: { tags, body: IsochroneRequest, response: { 200: IsochroneReply } } },
    async (req) => geo.isochrone(deps, req.body),
  );
  app.post(
    '/api/v1/geo/matrix',
    { config: read, schema: { tags, body: MatrixRequest, response: { 200: MatrixReply } } },
    async (req) => geo.matrix(deps, req.body),
  );
  app.post(
    '/api/v1/geo/coverage',
    {
      config: read,
      bodyLimit: 16 * 1024 * 1024,
      schema: { tags, body: CoverageRequest, response: { 200: CoverageReply } },
    },
    async (req) => geo.coverage(deps, req.body),
  );

  const ctags = ['closures'];
  app.get(
    '/api/v1/closures',
    {
      config: read,
      schema: {
        tags: ctags,
        querystring: T.Object({
          state: T.Optional(T.Enum([...CLOSURE_STATES, 'open', 'all'] as const, { default: 'open' })),
          limit: T.Optional(T.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: T.Optional(T.Integer({ minimum: 0, default: 0 })),
        }),
        response: { 200: ListOf(Closure) },
      },
    },
    async (req) => closures.listClosures(deps, req.query),
  );
  app.get('/api/v1/closures/geojson', { config: read, schema: { tags: ctags } }, async () =>
    closures.closuresGeoJson(deps),
  );
  app.get(
    '/api/v1/closures/:id',
    { config: read, schema: { tags: ctags, params: IdParams, response: { 200: Closure } } },
    async (req) => closures.getClosure(deps, req.params.id),
  );
  app.post(
    '/api/v1/closures',
    { config: manage, schema: { tags: ctags, body: ClosureInput, response: { 201: Closure } } },
    async (req, reply) => {
      const dto = await closures.createClosure(deps, deps.closures, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/closures/${dto.id}`).send(dto);
    },
  );
  app.post(
    '/api/v1/closures/:id/clear',
    { config: manage, schema: { tags: ctags, params: IdParams, response: { 200: Closure } } },
    async (req) => closures.clearClosure(deps, deps.closures, req.ctx, req.params.id),
  );

  app.get(
    '/api/v1/map/layers',
    { config: read, schema: { tags: ['map'], response: { 200: T.Object({ items: T.Array(MapLayer) }) } } },
    async (req) => ({ items: deps.catalogue.layers(req.ctx.actor) }),
  );
  app.get(
    '/api/v1/map/search',
    {
      config: read,
      schema: {
        tags: ['map'],
        querystring: T.Object({
          q: T.String({ maxLength: 100 }),
          limit: T.Optional(T.Integer({ minimum: 1, maximum: 20, default: 5 })),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      return { items: await deps.catalogue.search(req.ctx.actor, q.q, q.limit ?? 5) };
    },
  );
}
