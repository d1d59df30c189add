import { AlertOutlined, CalendarOutlined, FileDoneOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const records = route('drills/records', 'drills.read', () => import('./records-page.tsx').then((m) => m.RecordsPage));
const record = route('drills/records/:id', 'drills.read', () => import('./record-page.tsx').then((m) => m.RecordPage));
const compliance = route('drills/compliance', 'drills.read', () =>
  import('./compliance-page.tsx').then((m) => m.CompliancePage),
);
const plans = route('drills/plans', 'drills.read', () => import('./plans-page.tsx').then((m) => m.PlansPage));

const refresh: StreamHandler = ({ queryClient }) => void queryClient.invalidateQueries({ queryKey: ['drills'] });

/** Emergency drills (应急演练): records, annual plans, compliance with the drill-frequency rules. */
export const drills: FeatureManifest = {
  name: 'drills',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [records, record, compliance, plans],
  menuGroups: [{ key: 'drills', icon: <AlertOutlined />, label: 'drills:nav.group', order: 42 }],
  menu: [
    { route: compliance, icon: <SafetyCertificateOutlined />, label: 'nav.compliance', group: 'drills', order: 1 },
    { route: records, icon: <FileDoneOutlined />, label: 'nav.records', group: 'drills', order: 2 },
    { route: plans, icon: <CalendarOutlined />, label: 'nav.plans', group: 'drills', order: 3 },
  ],
  stream: {
    'drill.created': refresh,
    'drill.updated': refresh,
    'drill_plan.created': refresh,
    'drill_plan.updated': refresh,
  },
  enterprisePanels: [
    {
      key: 'drills',
      label: 'panel.title',
      permission: 'drills.read',
      order: 50,
      component: () => import('./enterprise-panel.tsx').then((m) => m.Panel),
    },
  ],
};
