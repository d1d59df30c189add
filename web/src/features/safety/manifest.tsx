import {
  AlertOutlined,
  CalculatorOutlined,
  FireOutlined,
  SafetyOutlined,
  SettingOutlined,
  ShopOutlined,
} from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const enterprises = route('safety/enterprises', 'enterprises.read', () =>
  import('./enterprise-list-page.tsx').then((m) => m.EnterpriseListPage),
);
const enterprise = route('safety/enterprises/:id', 'enterprises.read', () =>
  import('./enterprise-page.tsx').then((m) => m.EnterprisePage),
);
const calculator = route('safety/gb18218', 'enterprises.read', () =>
  import('./calculator-page.tsx').then((m) => m.CalculatorPage),
);
const risks = route('safety/risk-points', 'enterprises.read', () =>
  import('./risk-overview-page.tsx').then((m) => m.RiskOverviewPage),
);
const majorHazards = route('safety/major-hazards', 'enterprises.read', () =>
  import('./major-hazards-page.tsx').then((m) => m.MajorHazardsPage),
);
const grading = route('safety/risk-grading', 'enterprises.read', () =>
  import('./grading-page.tsx').then((m) => m.GradingPage),
);

const refresh =
  (keys: string[][]): StreamHandler =>
  ({ queryClient }) => {
    for (const k of keys) void queryClient.invalidateQueries({ queryKey: k });
  };

/**
 * Work safety (安全生产): the enterprises register and an enterprise's page (overview, major hazards, risk points, and
 * the tabs other features add through `enterprisePanels`), the GB 18218-2018 calculator, risk points by colour and
 * the grading rule.
 */
export const safety: FeatureManifest = {
  name: 'safety',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [enterprises, enterprise, calculator, risks, majorHazards, grading],
  menuGroups: [{ key: 'safety', icon: <SafetyOutlined />, label: 'safety:nav.group', order: 38 }],
  menu: [
    { route: enterprises, icon: <ShopOutlined />, label: 'nav.enterprises', group: 'safety', order: 1 },
    { route: risks, icon: <AlertOutlined />, label: 'nav.risks', group: 'safety', order: 2 },
    { route: majorHazards, icon: <FireOutlined />, label: 'nav.majorHazards', group: 'safety', order: 2.5 },
    { route: calculator, icon: <CalculatorOutlined />, label: 'nav.calculator', group: 'safety', order: 3 },
    { route: grading, icon: <SettingOutlined />, label: 'nav.grading', group: 'safety', order: 4 },
  ],
  stream: {
    'enterprise.created': refresh([['enterprises']]),
    'enterprise.updated': refresh([['enterprises']]),
    'hazard_unit.created': refresh([['enterprises']]),
    'hazard_unit.updated': refresh([['enterprises']]),
    'hazard_unit.deleted': refresh([['enterprises']]),
    'risk_point.created': refresh([['enterprises'], ['safety']]),
    'risk_point.updated': refresh([['enterprises'], ['safety']]),
    'risk_point.deleted': refresh([['enterprises'], ['safety']]),
    'safety.grading_changed': refresh([['enterprises'], ['safety']]),
  },
};
