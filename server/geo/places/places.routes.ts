/** The gazetteer's routes: the search, and the administrators' place list (CRUD, Excel import and export). */

import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  ListPlace,
  ListPlaceInput,
  ListPlaceQuery,
  ListPlaceUpdate,
  PlaceHit,
  PlaceSearchQuery,
} from '../../../contracts/places.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import { importRoutes } from '../../platform/imports/imports.routes.ts';
import type { Platform, TypedApp } from '../../platform/module.ts';
import { cityDate } from '../../platform/time.ts';
import { placeImport } from './places.import.ts';
import * as svc from './places.service.ts';

const tags = ['places'];
const manage = { permission: svc.PLACES_MANAGE };

export async function placeRoutes(app: TypedApp, deps: svc.PlaceDeps, p: Platform): Promise<void> {
  app.get(
    '/api/v1/geo/places',
    {
      config: { permission: 'geo.read' },
      schema: {
        tags,
        description:
          'Places by name: characters, full pinyin or pinyin initials (sd, shidao → 石岛), English names. Ranked by ' +
          'match (exact, prefix, inside), kind, and distance to near (lon,lat).',
        querystring: PlaceSearchQuery,
        response: { 200: ListOf(PlaceHit) },
      },
    },
    async (req) => svc.searchPlaces(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/geo/place-list',
    { config: manage, schema: { tags, querystring: ListPlaceQuery, response: { 200: ListOf(ListPlace) } } },
    async (req) => svc.listListPlaces(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/geo/place-list/export',
    {
      config: manage,
      schema: {
        tags,
        description: 'The place list as an Excel workbook, same filters as the list.',
        querystring: ListPlaceQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await svc.exportListPlaces(deps, req.ctx, req.query);
      const name = `places-${cityDate(deps.clock.now())}.xlsx`;
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('地名表', name))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.post(
    '/api/v1/geo/place-list',
    { config: manage, schema: { tags, body: ListPlaceInput, response: { 201: ListPlace } } },
    async (req, reply) => reply.status(201).send(await svc.createListPlace(deps, req.ctx, req.body)),
  );
  app.put(
    '/api/v1/geo/place-list/:id',
    { config: manage, schema: { tags, params: IdParams, body: ListPlaceUpdate, response: { 200: ListPlace } } },
    async (req) => svc.updateListPlace(deps, req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/geo/place-list/:id',
    { config: manage, schema: { tags, params: IdParams, response: { 200: T.Object({ ok: T.Boolean() }) } } },
    async (req) => {
      await svc.deleteListPlace(deps, req.ctx, req.params.id);
      return { ok: true };
    },
  );
  await importRoutes(app, p, '/api/v1/geo/place-list', placeImport(deps));
}
