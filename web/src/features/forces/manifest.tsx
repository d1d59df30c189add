import { AimOutlined, ApartmentOutlined, BorderOutlined, FundOutlined, TeamOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import { onDispatchChanged, onTeamPosition } from './dispatch-stream.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onTeamChanged } from './stream.ts';

const teams = route('forces/teams', 'forces.read', () => import('./team-list-page.tsx').then((m) => m.TeamListPage));
const team = route('forces/teams/:id', 'forces.read', () => import('./team-page.tsx').then((m) => m.TeamPage));
const board = route('forces/board', 'forces.read', () => import('./board-page.tsx').then((m) => m.BoardPage));
const analyses = route('forces/analyses', 'forces.analyze', () =>
  import('./analyses-page.tsx').then((m) => m.AnalysesPage),
);
const areas = route('forces/areas', 'forces.read', () => import('./areas-page.tsx').then((m) => m.AreasPage));

/** Rescue forces: the register, a team's page, the commanders' board, the coverage analyses, their areas, the map. */
export const forces: FeatureManifest = {
  name: 'forces',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [teams, team, board, analyses, areas],
  menuGroups: [{ key: 'forces', icon: <ApartmentOutlined />, label: 'forces:nav.group', order: 35 }],
  menu: [
    { route: board, icon: <FundOutlined />, label: 'nav.board', group: 'forces', order: 1 },
    { route: teams, icon: <TeamOutlined />, label: 'nav.teams', group: 'forces', order: 2 },
    { route: analyses, icon: <AimOutlined />, label: 'nav.analysesMenu', group: 'forces', order: 3 },
    { route: areas, icon: <BorderOutlined />, label: 'nav.areas', group: 'forces', order: 4 },
  ],
  stream: {
    'team.created': onTeamChanged,
    'team.updated': onTeamChanged,
    'team.status': onTeamChanged,
    'team.position': onTeamPosition,
    'team.dispatched': onDispatchChanged,
    'team.arrived': onDispatchChanged,
    'team.released': onDispatchChanged,
  },
  incidentPanels: [
    {
      key: 'dispatch',
      label: 'dispatch.tab',
      permission: 'forces.read',
      order: 20,
      component: () => import('./dispatch-panel.tsx').then((m) => m.Panel),
    },
  ],
  map: () => import('./teams-on-map.tsx').then((m) => m.teamsOnMap),
};
