import {
  CalendarOutlined,
  ContactsOutlined,
  DashboardOutlined,
  ScheduleOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { type FeatureManifest, route } from '../../app/manifest.ts';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import { onDutyRelevant } from './stream.ts';

const board = route('duty', 'duty.read', () => import('./board-page.tsx').then((m) => m.BoardPage));
const roster = route('duty/roster', 'duty.read', () => import('./roster-page.tsx').then((m) => m.RosterPage));
const handovers = route('duty/handovers', 'duty.read', () => import('./handover-page.tsx').then((m) => m.HandoverPage));
const contacts = route('duty/contacts', 'duty.read', () => import('./contacts-page.tsx').then((m) => m.ContactsPage));

/** the events that change what the duty pages show (the board's incidents, warnings and tasks; the roster) */
const EVENTS = [
  'incident.created',
  'incident.updated',
  'incident.log_added',
  'warning.raised',
  'warning.changed',
  'warning.lifted',
  'task.created',
  'task.updated',
  'duty_shift.created',
  'duty_shift.updated',
  'duty_shift.deleted',
  'duty_shift.generated',
  'duty_handover.created',
  'duty_handover.accepted',
  'duty_contact.created',
  'duty_contact.updated',
  'duty_contact.deleted',
];

/** Duty (值班值守): the duty board, the roster calendar, handovers, the contact book. */
export const duty: FeatureManifest = {
  name: 'duty',
  title: 'title',
  i18n: { 'zh-CN': zhCN, en },
  routes: [board, roster, handovers, contacts],
  menuGroups: [{ key: 'duty', icon: <ScheduleOutlined />, label: 'duty:nav.group', order: 15 }],
  menu: [
    { route: board, icon: <DashboardOutlined />, label: 'nav.board', group: 'duty', order: 1 },
    { route: roster, icon: <CalendarOutlined />, label: 'nav.roster', group: 'duty', order: 2 },
    { route: handovers, icon: <SwapOutlined />, label: 'nav.handovers', group: 'duty', order: 3 },
    { route: contacts, icon: <ContactsOutlined />, label: 'nav.contacts', group: 'duty', order: 4 },
  ],
  stream: Object.fromEntries(EVENTS.map((e) => [e, onDutyRelevant])),
};
