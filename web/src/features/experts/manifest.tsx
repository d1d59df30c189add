import {
  CommentOutlined,
  ContactsOutlined,
  FileTextOutlined,
  ThunderboltOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type FeatureManifest, route, type StreamHandler } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const register = route('experts', 'experts.read', () => import('./expert-list-page.tsx').then((m) => m.ExpertListPage));
const draws = route('experts/draws', 'experts.read', () => import('./draws-page.tsx').then((m) => m.DrawsPage));
const draw = route('experts/draws/:id', 'experts.read', () => import('./draw-page.tsx').then((m) => m.DrawPage));
const expert = route('experts/:id', 'experts.read', () => import('./expert-page.tsx').then((m) => m.ExpertPage));
const consultations = route('consultations', 'consultations.read', () =>
  import('./consultations-page.tsx').then((m) => m.ConsultationsPage),
);
const consultation = route('consultations/:id', 'consultations.read', () =>
  import('./consultation-page.tsx').then((m) => m.ConsultationPage),
);
const templates = route('consultations/templates', 'consultations.read', () =>
  import('./templates-page.tsx').then((m) => m.TemplatesPage),
);

/** Changes made elsewhere refresh what is on screen. */
const refresh =
  (keys: string[]): StreamHandler =>
  ({ queryClient }) => {
    for (const k of keys) void queryClient.invalidateQueries({ queryKey: [k] });
  };

/** Experts (专家库) and consultations (会商研判): the register, draws, sessions, assessment templates. */
export const experts: FeatureManifest = {
  name: 'experts',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [register, draws, draw, expert, consultations, templates, consultation],
  menuGroups: [{ key: 'experts', icon: <ContactsOutlined />, label: 'experts:nav.group', order: 38 }],
  menu: [
    { route: register, icon: <UserOutlined />, label: 'nav.register', group: 'experts', order: 1 },
    { route: draws, icon: <ThunderboltOutlined />, label: 'nav.draws', group: 'experts', order: 2 },
    { route: consultations, icon: <CommentOutlined />, label: 'nav.consultations', group: 'experts', order: 3 },
    { route: templates, icon: <FileTextOutlined />, label: 'nav.templates', group: 'experts', order: 4 },
  ],
  stream: {
    'expert.created': refresh(['experts']),
    'expert.updated': refresh(['experts']),
    'expert_draw.created': refresh(['experts']),
    'expert_invitation.replied': refresh(['experts']),
    'consultation.created': refresh(['consultations']),
    'consultation.updated': refresh(['consultations']),
    'consultation_template.changed': refresh(['consultations']),
  },
  incidentPanels: [
    {
      key: 'consultations',
      label: 'panel.title',
      permission: 'consultations.read',
      order: 50,
      component: () => import('./incident-panel.tsx').then((m) => m.Panel),
    },
  ],
};
