import { FieldTimeOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onReportChanged } from './stream.ts';

const settings = route('reports/clocks', 'reports.read', () =>
  import('./settings-page.tsx').then((m) => m.ReportSettingsPage),
);

/** Reports on incidents: the panel on an incident's page, the clocks and the SitReps. */
export const reports: FeatureManifest = {
  name: 'reports',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [settings],
  menu: [{ route: settings, icon: <FieldTimeOutlined />, label: 'nav.settings', order: 15 }],
  stream: {
    'report.drafted': onReportChanged,
    'report.updated': onReportChanged,
    'report.issued': onReportChanged,
  },
  incidentPanels: [
    {
      key: 'reports',
      label: 'panel',
      permission: 'reports.read',
      order: 30,
      component: () => import('./reports-panel.tsx').then((m) => m.ReportsPanel),
    },
  ],
};
