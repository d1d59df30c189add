import { FlagOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onIncidentCreated, onIncidentLogAdded, onIncidentUpdated } from './stream.ts';

const register = route('incidents', 'incidents.read', () =>
  import('./incident-list-page.tsx').then((m) => m.IncidentListPage),
);
const detail = route('incidents/:id', 'incidents.read', () =>
  import('./incident-detail-page.tsx').then((m) => m.IncidentDetailPage),
);
const levelRules = route('admin/level-rules', 'incidents.read', () =>
  import('./level-rules-page.tsx').then((m) => m.LevelRulesPage),
);

/** Incidents: the register, an incident's page, the report form, and the level rules. */
export const incidents: FeatureManifest = {
  name: 'incidents',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [register, detail, levelRules],
  menu: [
    { route: register, icon: <UnorderedListOutlined />, label: 'nav.incidents', order: 20 },
    { route: levelRules, icon: <FlagOutlined />, label: 'nav.levelRules', group: 'admin', order: 40 },
  ],
  stream: {
    'incident.created': onIncidentCreated,
    'incident.updated': onIncidentUpdated,
    'incident.log_added': onIncidentLogAdded,
  },
  map: () => import('./incidents-on-map.tsx').then((m) => m.incidentsOnMap),
  // N (Alt+N in a field): a new report, from any page
  shortcuts: [{ code: 'KeyN', to: '/incidents?new=1', permission: 'incidents.create' }],
  incidentPanels: [
    {
      key: 'duplicates',
      label: 'duplicates.tab',
      order: 40,
      component: () => import('./duplicates-panel.tsx').then((m) => m.DuplicatesPanel),
    },
  ],
};
