import { ListOf } from '../../../contracts/common.ts';
import { SupplyItem, SupplyItemInput, SupplyItemQuery } from '../../../contracts/logistics.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as svc from './catalogue.service.ts';
import type { LogisticsDeps } from './logistics.deps.ts';

/** The supply catalogue: every GB/T 38565 code, described or not, and the local items under them. */
export function catalogueRoutes(app: TypedApp, deps: LogisticsDeps): void {
  const tags = ['logistics'];
  app.get(
    '/api/v1/supply-items',
    {
      config: { permission: 'supplies.read' },
      schema: {
        tags,
        description:
          'The catalogue: the 916 GB/T 38565-2020 codes (described or not) and local items, in code order; `q` finds ' +
          'a code prefix, a name, or pinyin (full or initials: `yys` finds 饮用水)',
        querystring: SupplyItemQuery,
        response: { 200: ListOf(SupplyItem) },
      },
    },
    async (req) => svc.listItems(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/supply-items/:code',
    {
      config: { permission: 'supplies.read' },
      schema: { tags, params: svc.PutItemParams, response: { 200: SupplyItem } },
    },
    async (req) => svc.getItem(deps, req.ctx, req.params.code),
  );
  app.put(
    '/api/v1/supply-items/:code',
    {
      config: { permission: 'supplies.manage' },
      schema: {
        tags,
        description:
          'Describes a standard code (unit, weight, volume, shelf life, price) or creates or changes a local item ' +
          'under one (`1120100-12`); the catalogue is kept by city and department staff',
        params: svc.PutItemParams,
        body: SupplyItemInput,
        response: { 200: SupplyItem },
      },
    },
    async (req) => svc.putItem(deps, req.ctx, req.params.code, req.body),
  );
}
