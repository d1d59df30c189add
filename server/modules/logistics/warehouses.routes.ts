import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  Warehouse,
  WarehouseInput,
  WarehouseLayer,
  WarehousePatch,
  WarehouseQuery,
  WarehouseRemoval,
  WarehouseRemoved,
} from '../../../contracts/logistics.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { exportFileName, exportWarehouses } from './stock.export.ts';
import * as svc from './warehouses.service.ts';

/** The warehouse register. */
export function warehouseRoutes(app: TypedApp, deps: LogisticsDeps): void {
  const tags = ['logistics'];
  app.get(
    '/api/v1/warehouses',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description: 'Warehouses within the caller’s scope (district of the location, owner unit)',
        querystring: WarehouseQuery,
        response: { 200: ListOf(Warehouse) },
      },
    },
    async (req) => svc.listWarehouses(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/warehouses',
    {
      config: { permission: 'supplies.manage' },
      schema: { tags, body: WarehouseInput, response: { 201: Warehouse } },
    },
    async (req, reply) => {
      const w = await svc.createWarehouse(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/warehouses/${w.id}`).send(w);
    },
  );
  app.get(
    '/api/v1/warehouses/export.xlsx',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description:
          "The register as an Excel workbook, same filters as the list: the import's columns (it imports again), " +
          'then number, district, in use, fill',
        querystring: WarehouseQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportWarehouses(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('仓库', exportFileName('warehouses', deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/warehouses/layer.geojson',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description: 'The map layer: the active warehouses within the caller’s scope as GeoJSON points',
        response: { 200: WarehouseLayer },
      },
    },
    async (req) => svc.warehouseLayer(deps, req.ctx),
  );
  app.get(
    '/api/v1/warehouses/:id',
    { config: { permission: 'supplies.read' }, schema: { tags, params: IdParams, response: { 200: Warehouse } } },
    async (req) => svc.getWarehouse(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/warehouses/:id',
    {
      config: { permission: 'supplies.manage' },
      schema: { tags, params: IdParams, body: WarehousePatch, response: { 200: Warehouse } },
    },
    async (req) => svc.updateWarehouse(deps, req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/warehouses/:id',
    {
      config: { permission: 'supplies.manage' },
      schema: {
        tags,
        description:
          'Deletes a warehouse that never held or moved anything; any other is deactivated (kept with its ledger)',
        params: IdParams,
        querystring: WarehouseRemoval,
        response: { 200: WarehouseRemoved },
      },
    },
    async (req) => svc.removeWarehouse(deps, req.ctx, req.params.id, req.query.version),
  );
}
