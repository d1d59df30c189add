import type { FeatureManifest } from '../../app/manifest.ts';
import { AlertTray } from './alert-tray.tsx';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onAlertAcknowledged, onAlertRaised, onAlertResolved } from './stream.ts';

/** Alarms: the tray on every page, the alarm by level (banner, sound, notices), 接报确认. */
export const alerts: FeatureManifest = {
  name: 'alerts',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  header: AlertTray,
  stream: {
    'alert.raised': onAlertRaised,
    'alert.acknowledged': onAlertAcknowledged,
    'alert.resolved': onAlertResolved,
  },
};
