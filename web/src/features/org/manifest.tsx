import { ApartmentOutlined, SafetyCertificateOutlined, TeamOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const users = route('admin/users', 'org.manage', () => import('./users-page.tsx').then((m) => m.UsersPage));
const roles = route('admin/roles', 'org.manage', () => import('./roles-page.tsx').then((m) => m.RolesPage));
const units = route('admin/units', ['org.read', 'org.manage'], () =>
  import('./units-page.tsx').then((m) => m.UnitsPage),
);

/** The organisation: users, roles and their permissions, units. */
export const org: FeatureManifest = {
  name: 'org',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [users, roles, units],
  menu: [
    { route: users, icon: <TeamOutlined />, label: 'nav.users', group: 'admin', order: 10 },
    { route: roles, icon: <SafetyCertificateOutlined />, label: 'nav.roles', group: 'admin', order: 20 },
    { route: units, icon: <ApartmentOutlined />, label: 'nav.units', group: 'admin', order: 30 },
  ],
};
