import { AuditOutlined, KeyOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

const audit = route('admin/audit', 'audit.read', () => import('./audit-page.tsx').then((m) => m.AuditPage));
const tokens = route('admin/tokens', 'tokens.manage', () => import('./tokens-page.tsx').then((m) => m.TokensPage));
// every signed-in user; opened from the user menu
const about = route('about', undefined, () => import('./about-page.tsx').then((m) => m.AboutPage));

/** The platform itself: the audit log, API tokens, and what the system is and where its data comes from. */
export const system: FeatureManifest = {
  name: 'system',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [audit, tokens, about],
  menu: [
    { route: audit, icon: <AuditOutlined />, label: 'nav.audit', group: 'admin', order: 50 },
    { route: tokens, icon: <KeyOutlined />, label: 'nav.tokens', group: 'admin', order: 60 },
  ],
};
