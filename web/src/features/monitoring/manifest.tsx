import { ControlOutlined, DashboardOutlined, InboxOutlined } from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onDeviceChanged, onDeviceStatus, onDeviceWarning, onRuleChanged } from './stream.ts';

const devices = route('monitoring/devices', 'monitoring.read', () =>
  import('./device-list-page.tsx').then((m) => m.DeviceListPage),
);
const device = route('monitoring/devices/:id', 'monitoring.read', () =>
  import('./device-page.tsx').then((m) => m.DevicePage),
);
const rules = route('monitoring/rules', 'monitoring.read', () => import('./rules-page.tsx').then((m) => m.RulesPage));
const deadLetters = route('monitoring/dead-letters', 'monitoring.admin', () =>
  import('./dead-letters-page.tsx').then((m) => m.DeadLettersPage),
);

/** Monitoring: the device register, a device's page with its readings, the warning rules, the dead letters. */
export const monitoring: FeatureManifest = {
  name: 'monitoring',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [devices, device, rules, deadLetters],
  menu: [
    { route: devices, icon: <DashboardOutlined />, label: 'nav.devices', order: 30 },
    { route: rules, icon: <ControlOutlined />, label: 'nav.rules', group: 'admin', order: 42 },
    { route: deadLetters, icon: <InboxOutlined />, label: 'nav.deadLetters', group: 'admin', order: 44 },
  ],
  stream: {
    'device.created': onDeviceChanged,
    'device.updated': onDeviceChanged,
    'device.status': onDeviceStatus,
    'rule.changed': onRuleChanged,
    'warning.raised': onDeviceWarning,
    'warning.changed': onDeviceWarning,
    'warning.lifted': onDeviceWarning,
  },
  map: () => import('./devices-on-map.tsx').then((m) => m.devicesOnMap),
};
