import { CarryOutOutlined, FileProtectOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onActivationChanged, onPlanChanged, onTaskChanged } from './stream.ts';

const plans = route('plans', 'plans.read', () => import('./plans-page.tsx').then((m) => m.PlansPage));
const plan = route('plans/:id', 'plans.read', () => import('./plan-page.tsx').then((m) => m.PlanPage));
const myTasks = route('tasks', 'tasks.read', () => import('./my-tasks-page.tsx').then((m) => m.MyTasksPage));

/** Command and response: the plans register, the incident's response panel, the department's tasks. */
export const command: FeatureManifest = {
  name: 'command',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [plans, plan, myTasks],
  menu: [
    { route: myTasks, icon: <CarryOutOutlined />, label: 'nav.myTasks', order: 12 },
    { route: plans, icon: <FileProtectOutlined />, label: 'nav.plans', order: 13 },
  ],
  stream: {
    'task.created': onTaskChanged,
    'task.updated': onTaskChanged,
    'plan.activated': onActivationChanged,
    'plan.level_changed': onActivationChanged,
    'plan.ended': onActivationChanged,
    'plan.created': onPlanChanged,
    'plan.updated': onPlanChanged,
  },
  incidentPanels: [
    {
      key: 'response',
      label: 'panel.response',
      permission: 'tasks.read',
      order: 10,
      component: () => import('./response-panel.tsx').then((m) => m.Panel),
    },
  ],
};
