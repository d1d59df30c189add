import multipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../contracts/common.ts';
import {
  Closure,
  ClosureInput,
  ClosureListQuery,
  CoverageReply,
  CoverageRequest,
  ImportFileList,
  IsochroneReply,
  IsochroneRequest,
  MapLayer,
  MapSearchQuery,
  MatrixReply,
  MatrixRequest,
  NetworkImportRequest,
  NetworkInfo,
  NetworkSummary,
  Road,
  RoadsQuery,
  RouteReply,
  RouteRequest,
} from '../../contracts/geo.ts';
import { whenClientGone } from '../platform/http/client-gone.ts';
import type { MapCatalogue } from '../platform/map-catalogue.ts';
import type { TypedApp } from '../platform/module.ts';
import { JsonBytes } from '../platform/workers/json-bytes.ts';
import * as closures from './closures/closures.service.ts';
import * as geo from './geo.service.ts';
import { discardUpload, receiveUpload, takeUpload } from './import-upload.ts';

/**
 * A reply a worker thread already serialised goes out as its bytes (no JSON work on the event loop); any other
 * through the route's schema as usual.
 */
function sendReply<T extends object>(reply: unknown, r: T | JsonBytes): T | undefined {
  if (!(r instanceof JsonBytes)) return r;
  // the typed reply accepts only the schema's shape; these bytes are that shape, serialised by the worker
  (reply as FastifyReply).type('application/json; charset=utf-8').send(r.buffer);
  return undefined;
}

export interface GeoRouteDeps extends geo.GeoDeps, closures.ClosureDeps, geo.ImportDeps {
  catalogue: MapCatalogue;
  /** where uploads are streamed to, each in a folder of its own, until their import ends */
  uploadDir: string;
  uploadMaxBytes: number;
}

const tags = ['geo'];
const read = { permission: 'geo.read' };
const manage = { permission: 'closures.manage' };
/** answers from the road engine: 503 before a network is loaded, 422 off the network or unreachable */
const engine = { permission: 'geo.read', errors: [422, 503] };

export async function geoRoutes(app: TypedApp, deps: GeoRouteDeps): Promise<void> {
  // uploads are streamed by the import route itself (multipart/form-data is parsed only in this module)
  await app.register(multipart);
  app.get(
    '/api/v1/geo/network',
    { config: { ...read, errors: [503] }, schema: { tags, response: { 200: NetworkInfo } } },
    async () => geo.currentNetwork(deps),
  );
  app.get(
    '/api/v1/geo/networks',
    { config: { permission: 'roads.import' }, schema: { tags, response: { 200: ListOf(NetworkSummary) } } },
    async () => {
      const items = await deps.networks.list();
      return { items, total: items.length };
    },
  );
  app.get(
    '/api/v1/geo/networks/import-files',
    {
      config: { permission: 'roads.import' },
      schema: {
        tags,
        description: 'The files of the import folder (ANLAN_IMPORT_DIR) that an import may name.',
        response: { 200: ImportFileList },
      },
    },
    async () => geo.listImportFiles(deps.importDir),
  );
  app.post(
    '/api/v1/geo/networks/import',
    {
      config: { permission: 'roads.import', errors: [409, 422] },
      preValidation: receiveUpload({ uploadDir: deps.uploadDir, maxBytes: deps.uploadMaxBytes }),
      // an upload nobody took (refused by the schema, the request abandoned) is removed
      onResponse: async (req) => discardUpload(req),
      onRequestAbort: async (req) => discardUpload(req),
      schema: {
        tags,
        description: `Import an OpenStreetMap extract (.osm.pbf or .osm) and make it the road network; answers the job (202).
As multipart/form-data: the extract in the field \`file\` (streamed to disk; at most ANLAN_UPLOAD_MAX_MB), and \`name\`, \`datum\`.
As JSON: \`file\` names a file in the import folder (GET /api/v1/geo/networks/import-files); nothing else on the server.`,
        consumes: ['multipart/form-data', 'application/json'],
        body: NetworkImportRequest,
      },
    },
    async (req, reply) => {
      const { file, ...opts } = req.body;
      const upload = takeUpload(req);
      const job = upload
        ? await geo.importUpload(deps, req.ctx, upload, opts)
        : await geo.importFromFolder(deps, req.ctx, file, opts);
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
    { config: { ...read, errors: [503] }, schema: { tags, querystring: RoadsQuery, response: { 200: ListOf(Road) } } },
    async (req) => geo.roads(deps, req.query),
  );
  app.post(
    '/api/v1/geo/route',
    {
      config: engine,
      schema: {
        tags,
        description: `The driving route between two points on the current network, with the closures in force.
Each point is matched to the nearest road it may drive (\`snapped\`: which road, how far away); \`roadIds\` lists
the road segments actually driven; \`steps\` are turn-by-turn directions (depart … arrive: the manoeuvre, the road's
name — its class when unnamed — length and time; \`exit\` at roundabouts); \`ferry\` says whether a ferry is taken.`,
        body: RouteRequest,
        response: { 200: RouteReply },
      },
    },
    async (req) => geo.route(deps, req.body),
  );
  app.post(
    '/api/v1/geo/isochrone',
    { config: engine, schema: { tags, body: IsochroneRequest, response: { 200: IsochroneReply } } },
    async (req, reply) => sendReply(reply, await geo.isochrone(deps, req.ctx, req.body, whenClientGone(reply))),
  );
  app.post(
    '/api/v1/geo/matrix',
    { config: engine, schema: { tags, body: MatrixRequest, response: { 200: MatrixReply } } },
    async (req, reply) => sendReply(reply, await geo.matrix(deps, req.ctx, req.body, whenClientGone(reply))),
  );
  app.post(
    '/api/v1/geo/coverage',
    {
      config: engine,
      bodyLimit: 16 * 1024 * 1024,
      schema: { tags, body: CoverageRequest, response: { 200: CoverageReply } },
    },
    async (req, reply) => sendReply(reply, await geo.coverage(deps, req.ctx, req.body, whenClientGone(reply))),
  );

  const ctags = ['closures'];
  app.get(
    '/api/v1/closures',
    {
      config: read,
      schema: {
        tags: ctags,
        description: 'The closures in your data scope (a district: its own and those its unit registered).',
        querystring: ClosureListQuery,
        response: { 200: ListOf(Closure) },
      },
    },
    async (req) => closures.listClosures(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/closures/geojson',
    {
      config: read,
      schema: {
        tags: ctags,
        description:
          'Every open closure as GeoJSON: line and state for everyone; cause, incident and creator only in your scope (inScope).',
      },
    },
    async (req) => closures.closuresGeoJson(deps, req.ctx),
  );
  app.get(
    '/api/v1/closures/:id',
    { config: read, schema: { tags: ctags, params: IdParams, response: { 200: Closure } } },
    async (req) => closures.getClosure(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/closures',
    { config: { ...manage, errors: [503] }, schema: { tags: ctags, body: ClosureInput, response: { 201: Closure } } },
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
        querystring: MapSearchQuery,
      },
    },
    async (req) => {
      const q = req.query;
      const near = q.near?.split(',').map(Number) as [number, number] | undefined;
      const ok = near && Math.abs(near[0]) <= 180 && Math.abs(near[1]) <= 90;
      return { items: await deps.catalogue.search(req.ctx.actor, q.q, q.limit ?? 5, ok ? { near } : undefined) };
    },
  );
}
