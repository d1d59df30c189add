import { MobileOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const field = route('field', 'incidents.create', () => import('./field-page.tsx').then((m) => m.FieldPage));

/** The field app for responders on a phone: report with GPS and photos, my tasks, share position; works offline. */
export const fieldApp: FeatureManifest = {
  name: 'field',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [field],
  menu: [{ route: field, icon: <MobileOutlined />, label: 'nav.field', order: 90 }],
};
