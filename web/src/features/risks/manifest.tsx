import { AlertOutlined, BuildOutlined, GlobalOutlined, PartitionOutlined } from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const oneMap = route('risks/map', 'risks.read', () => import('./one-map-page.tsx').then((m) => m.OneMapPage));
const census = route('risks/census', 'risks.read', () => import('./census-page.tsx').then((m) => m.CensusPage));
const projects = route('risks/projects', 'risks.read', () => import('./projects-page.tsx').then((m) => m.ProjectsPage));

/** Changes made elsewhere refresh what is on screen. */
const refresh =
  (keys: string[][]): StreamHandler =>
  ({ queryClient }) => {
    for (const k of keys) void queryClient.invalidateQueries({ queryKey: k });
  };

/**
 * Risk prevention (风险防控): the risk one-map (census layers and the H3 risk grid), the census layers with their
 * import, the disaster-prevention projects, and the incident's nearby risks.
 */
export const risks: FeatureManifest = {
  name: 'risks',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [oneMap, census, projects],
  menuGroups: [{ key: 'risks', icon: <AlertOutlined />, label: 'risks:nav.group', order: 36 }],
  menu: [
    { route: oneMap, icon: <GlobalOutlined />, label: 'nav.oneMap', group: 'risks', order: 1 },
    { route: census, icon: <PartitionOutlined />, label: 'nav.census', group: 'risks', order: 2 },
    { route: projects, icon: <BuildOutlined />, label: 'nav.projects', group: 'risks', order: 3 },
  ],
  stream: {
    'census.layer_imported': refresh([['census'], ['risks']]),
    'census.layer_deleted': refresh([['census'], ['risks']]),
    'risks.grid_recomputed': refresh([['risks'], ['census', 'kinds']]),
    'risks.settings_changed': refresh([['risks']]),
    'prevention_project.created': refresh([['prevention-projects']]),
    'prevention_project.updated': refresh([['prevention-projects']]),
    'prevention_project.deleted': refresh([['prevention-projects']]),
    'prevention_project.progress': refresh([['prevention-projects']]),
  },
  map: () => import('./risks-on-map.tsx').then((m) => m.risksOnMap),
  incidentPanels: [
    {
      key: 'nearby-risks',
      label: 'nearby.tab',
      permission: 'risks.read',
      order: 25,
      component: () => import('./nearby-panel.tsx').then((m) => m.Panel),
    },
  ],
};
