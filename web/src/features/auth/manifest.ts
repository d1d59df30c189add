import type { FeatureManifest } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';

/** Signing in and changing one's password: the shell shows them itself (no routes, no menu). */
export const auth: FeatureManifest = {
  name: 'auth',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
};
