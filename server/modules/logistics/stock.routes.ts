import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  AdjustInput,
  IssueInput,
  Movement,
  MovementQuery,
  ReceiptInput,
  StockDocument,
  StockLine,
  StockQuery,
  StocktakeInput,
  StocktakeReply,
  TransferInput,
} from '../../../contracts/logistics.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { exportFileName, exportMovements } from './stock.export.ts';
import * as svc from './stock.service.ts';

const { warehouseId: _w, ...rest } = MovementQuery.properties;
const WarehouseMovementQuery = T.Object(rest);

/** Stock documents (receipts, issues, transfers, adjustments, stocktakes), stock lists and the ledger. */
export function stockRoutes(app: TypedApp, deps: LogisticsDeps): void {
  const tags = ['logistics'];
  const move = { permission: 'stock.move' };
  const read = { permission: 'supplies.read' };
  app.post(
    '/api/v1/warehouses/:id/receipts',
    {
      config: move,
      schema: {
        tags,
        description:
          'A receipt (入库): each line to its batch (a new one, or more of a batch with the same expiry); the expiry ' +
          "is the one given, else the production day plus the item's shelf life",
        params: IdParams,
        body: ReceiptInput,
        response: { 201: StockDocument },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.receive(deps, req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/warehouses/:id/issues',
    {
      config: move,
      schema: {
        tags,
        description:
          'An issue (出库): earliest expiry first, never an expired batch; an agreement or capacity reserve is called ' +
          'on its commitment. A short line refuses the whole (409 STOCK_SHORT naming items.{i}.quantity)',
        params: IdParams,
        body: IssueInput,
        response: { 201: StockDocument },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.issue(deps, req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/warehouses/:id/transfers',
    {
      config: move,
      schema: {
        tags,
        description: 'A transfer (调拨): out of this warehouse and into another in one document, the batches kept',
        params: IdParams,
        body: TransferInput,
        response: { 201: StockDocument },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.transfer(deps, req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/warehouses/:id/adjustments',
    {
      config: move,
      schema: {
        tags,
        description:
          'adjust: batches set to what was counted; writeoff: quantities of batches taken out (expired, damaged)',
        params: IdParams,
        body: AdjustInput,
        response: { 201: StockDocument },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.adjust(deps, req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/warehouses/:id/stocktakes',
    {
      config: move,
      schema: {
        tags,
        description:
          'A stocktake (盘点): the counted batches against the book; apply=false only reports the differences, ' +
          'apply=true writes them as one adjustment document',
        params: IdParams,
        body: StocktakeInput,
        response: { 200: StocktakeReply },
      },
    },
    async (req) => svc.stocktake(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/warehouses/:id/stock',
    {
      config: read,
      schema: {
        tags,
        description: 'Stock by item with its batches (expired and expiring flagged) and an agreement’s commitments',
        params: IdParams,
        querystring: StockQuery,
        response: { 200: ListOf(StockLine) },
      },
    },
    async (req) => svc.listStock(deps, req.ctx, req.params.id, req.query),
  );
  app.get(
    '/api/v1/warehouses/movements',
    {
      config: read,
      schema: {
        tags,
        description: 'The ledger of the warehouses within the caller’s scope, newest first',
        querystring: MovementQuery,
        response: { 200: ListOf(Movement) },
      },
    },
    async (req) => svc.listMovements(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/warehouses/movements/export.xlsx',
    {
      config: read,
      schema: {
        tags,
        description: 'The ledger as an Excel workbook, same filters as the list',
        querystring: MovementQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportMovements(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('收发台账', exportFileName('movements', deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/warehouses/:id/movements',
    {
      config: read,
      schema: {
        tags,
        description: "One warehouse's ledger, newest first",
        params: IdParams,
        querystring: WarehouseMovementQuery,
        response: { 200: ListOf(Movement) },
      },
    },
    async (req) => svc.listMovements(deps, req.ctx, { ...req.query, warehouseId: req.params.id }),
  );
}
