import { AlertOutlined, AuditOutlined, DashboardOutlined, SafetyOutlined } from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const register = route('dangers', 'dangers.read', () => import('./dangers-page.tsx').then((m) => m.DangersPage));
const dashboard = route('dangers/dashboard', 'dangers.read', () =>
  import('./dashboard-page.tsx').then((m) => m.DashboardPage),
);
const danger = route('dangers/:id', 'dangers.read', () => import('./danger-page.tsx').then((m) => m.DangerPage));
const inspections = route('inspections', 'dangers.read', () =>
  import('./inspections-page.tsx').then((m) => m.InspectionsPage),
);

/** Changes made elsewhere refresh what is on screen. */
const refresh =
  (keys: string[]): StreamHandler =>
  ({ queryClient }) => {
    for (const k of keys) void queryClient.invalidateQueries({ queryKey: [k] });
  };

/**
 * Hidden dangers (隐患排查治理) and inspections (执法检查): the register, a danger's page with its steps, the treatment
 * dashboard, inspections; a tab on the enterprise page. The menu group `safety` (安全生产) is the safety feature's as
 * well: whichever feature declares it first holds both features' entries.
 */
export const dangers: FeatureManifest = {
  name: 'dangers',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [register, dashboard, inspections, danger],
  menuGroups: [{ key: 'safety', icon: <SafetyOutlined />, label: 'dangers:nav.group', order: 39 }],
  menu: [
    { route: register, icon: <AlertOutlined />, label: 'nav.register', group: 'safety', order: 40 },
    { route: dashboard, icon: <DashboardOutlined />, label: 'nav.dashboard', group: 'safety', order: 41 },
    { route: inspections, icon: <AuditOutlined />, label: 'nav.inspections', group: 'safety', order: 42 },
  ],
  stream: {
    'hidden_danger.reported': refresh(['hidden-dangers']),
    'hidden_danger.changed': refresh(['hidden-dangers']),
    'inspection.created': refresh(['inspections', 'hidden-dangers']),
  },
  enterprisePanels: [
    {
      key: 'dangers',
      label: 'panel.title',
      permission: 'dangers.read',
      order: 40,
      component: () => import('./enterprise-panel.tsx').then((m) => m.Panel),
    },
  ],
};
