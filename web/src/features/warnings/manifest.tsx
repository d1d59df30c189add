import { NotificationOutlined, PartitionOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onWarning } from './stream.ts';

const board = route('warnings', 'warnings.read', () =>
  import('./warnings-board-page.tsx').then((m) => m.WarningsBoardPage),
);
const policies = route('warnings/policies', 'warnings.read', () =>
  import('./policies-page.tsx').then((m) => m.PoliciesPage),
);

/** Warnings: the board by colour with its actions, the history, CAP import, the escalation policies, the map's areas. */
export const warnings: FeatureManifest = {
  name: 'warnings',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [board, policies],
  menu: [
    { route: board, icon: <NotificationOutlined />, label: 'nav.board', order: 25 },
    { route: policies, icon: <PartitionOutlined />, label: 'nav.policies', group: 'admin', order: 46 },
  ],
  stream: {
    'warning.raised': onWarning,
    'warning.changed': onWarning,
    'warning.lifted': onWarning,
  },
  map: () => import('./warnings-on-map.tsx').then((m) => m.warningsOnMap),
};
