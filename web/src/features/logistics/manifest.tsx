import {
  AppstoreOutlined,
  BarChartOutlined,
  CarOutlined,
  DeploymentUnitOutlined,
  HomeOutlined,
  InboxOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const warehouses = route('logistics/warehouses', 'supplies.read', () =>
  import('./warehouse-list-page.tsx').then((m) => m.WarehouseListPage),
);
const warehouse = route('logistics/warehouses/:id', 'supplies.read', () =>
  import('./warehouse-page.tsx').then((m) => m.WarehousePage),
);
const catalogue = route('logistics/catalogue', 'supplies.read', () =>
  import('./catalogue-page.tsx').then((m) => m.CataloguePage),
);
const movements = route('logistics/movements', 'supplies.read', () =>
  import('./movements-page.tsx').then((m) => m.MovementsPage),
);
const gaps = route('logistics/gaps', 'supplies.read', () => import('./gaps-page.tsx').then((m) => m.GapsPage));
const plan = route('logistics/plan', 'logistics.plan', () => import('./plan-page.tsx').then((m) => m.PlanPage));
const board = route('logistics/orders', 'logistics.dispatch', () =>
  import('./dispatch-board-page.tsx').then((m) => m.DispatchBoardPage),
);

/** Changes made elsewhere refresh what is on screen. */
const refresh =
  (keys: string[][]): StreamHandler =>
  ({ queryClient }) => {
    for (const k of keys) void queryClient.invalidateQueries({ queryKey: k });
  };

/**
 * Supplies and relief logistics (物资保障): warehouses and their stock, the catalogue, the ledger, gaps with the
 * procurement proposal, relief planning and the dispatch board; the warehouses layer of the command map.
 */
export const logistics: FeatureManifest = {
  name: 'logistics',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [warehouses, warehouse, catalogue, movements, gaps, plan, board],
  menuGroups: [{ key: 'logistics', icon: <InboxOutlined />, label: 'logistics:nav.group', order: 37 }],
  menu: [
    { route: warehouses, icon: <HomeOutlined />, label: 'nav.warehouses', group: 'logistics', order: 1 },
    { route: plan, icon: <DeploymentUnitOutlined />, label: 'nav.plan', group: 'logistics', order: 2 },
    { route: board, icon: <CarOutlined />, label: 'nav.orders', group: 'logistics', order: 3 },
    { route: gaps, icon: <BarChartOutlined />, label: 'nav.gaps', group: 'logistics', order: 4 },
    { route: movements, icon: <UnorderedListOutlined />, label: 'nav.movements', group: 'logistics', order: 5 },
    { route: catalogue, icon: <AppstoreOutlined />, label: 'nav.catalogue', group: 'logistics', order: 6 },
  ],
  stream: {
    'warehouse.created': refresh([['warehouses']]),
    'warehouse.updated': refresh([['warehouses']]),
    'stock.moved': refresh([['warehouses'], ['warehouse-movements']]),
    'dispatch_order.created': refresh([['logistics', 'orders']]),
    'dispatch_order.updated': refresh([
      ['logistics', 'orders'],
      ['logistics', 'plans'],
    ]),
    'relief_plan.created': refresh([['logistics', 'plans']]),
    'supply_item.changed': refresh([['supply-items']]),
    'logistics.norms_changed': refresh([
      ['logistics', 'gaps'],
      ['logistics', 'procurement'],
    ]),
  },
  map: () => import('./warehouses-on-map.tsx').then((m) => m.warehousesOnMap),
};
