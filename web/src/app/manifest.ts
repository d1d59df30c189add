import type { QueryClient } from '@tanstack/react-query';
import type { App } from 'antd';
import type { TFunction } from 'i18next';
import { type ComponentType, createContext, type ReactNode, useContext } from 'react';
import type { EnterpriseView } from '../../../contracts/safety.ts';
import type { Incident } from '../api/contracts.ts';
import type { StreamEvent } from '../api/stream.ts';
import type { MapContribution } from '../map/map-host.tsx';

/**
 * What a feature gives the app. Every feature exports one (`features/<name>/manifest.tsx`) and `app/features.ts`
 * lists them; the router, the menu, the live stream and the translations are built from that list, so adding a
 * feature is a folder and one line there.
 */
export interface FeatureManifest {
  /** the feature's name, also its i18n namespace; a server module of the same name is this feature's */
  name: string;
  /** what users call it (a key in its namespace): e.g. the roles page heads the module's permissions with it */
  title: string;
  /** its namespace in both languages (`features/<name>/i18n/*.json`, the same keys in each) */
  i18n: { 'zh-CN': Translations; en: Translations };
  routes?: FeatureRoute[];
  menu?: MenuEntry[];
  /** menu groups this feature introduces (the app has `admin`, 系统管理) */
  menuGroups?: MenuGroup[];
  /** live-stream handlers by event type (`incident.created`); several features may handle one type */
  stream?: Record<string, StreamHandler>;
  /** what it puts in the header of every page (the alarm tray), shown once the password is changed */
  header?: ComponentType;
  /** what it draws and shows on the command map, loaded with the map page */
  map?: () => Promise<MapContribution>;
  /** keys that open one of its pages from anywhere (the key alone when not typing, or with Alt) */
  shortcuts?: Shortcut[];
  /** panels it adds to an incident's page (response and tasks, reports, dispatched forces), as tabs below the record */
  incidentPanels?: IncidentPanel[];
  /** panels it adds to an enterprise's page (hidden dangers, drills), as tabs after the safety feature's own */
  enterprisePanels?: EnterprisePanel[];
}

/** A panel another feature shows on an enterprise's page (safety feature), fetched when the page first shows it. */
export interface EnterprisePanel {
  /** unique across features: the tab's key (and `?panel=` in the address) */
  key: string;
  /** a key in the feature's namespace (or `ns:key`) */
  label: string;
  /** who sees it; absent: everyone who can read the enterprise */
  permission?: Permission;
  /** position among the tabs, ascending (the safety feature's own tabs are 10, 20, 30) */
  order: number;
  component: () => Promise<ComponentType<{ enterprise: EnterpriseView }>>;
}

/** A panel another feature shows on an incident's page, fetched when the page first shows it. */
export interface IncidentPanel {
  /** unique across features: the tab's key (and `?panel=` in the address) */
  key: string;
  /** a key in the feature's namespace (or `ns:key`) */
  label: string;
  /** who sees it; absent: everyone who can read the incident */
  permission?: Permission;
  /** position among the tabs, ascending */
  order: number;
  component: () => Promise<ComponentType<{ incident: Incident }>>;
}

/** A key that opens a page: `{ code: 'KeyN', to: '/incidents?new=1', permission: 'incidents.create' }`. */
export interface Shortcut {
  /** `KeyboardEvent.code` (the key's place, whatever the layout or Alt make of it) */
  code: string;
  /** the address it opens */
  to: string;
  /** who may use it; absent: every signed-in user */
  permission?: Permission;
}

/** One permission, or several of which any one is enough. */
export type Permission = string | readonly string[];

export interface FeatureRoute {
  /** the path below `/`, as React Router writes it: `incidents/:id` */
  path: string;
  /** who may open it; absent: every signed-in user */
  permission?: Permission;
  /** the page component, fetched on the first visit */
  page: () => Promise<ComponentType>;
}

/** A side-menu entry. It opens `route` and is shown to those the route lets in: the permission is the route's. */
export interface MenuEntry {
  route: FeatureRoute;
  icon: ReactNode;
  /** a key in the feature's namespace (or `ns:key`) */
  label: string;
  /** the group's key; absent: top level */
  group?: string;
  /** position within the top level or the group, ascending */
  order: number;
}

export interface MenuGroup {
  key: string;
  icon: ReactNode;
  /** `ns:key` */
  label: string;
  order: number;
}

export interface Translations {
  [key: string]: string | Translations;
}

type AppApi = ReturnType<typeof App.useApp>;

export interface StreamContext {
  event: StreamEvent;
  queryClient: QueryClient;
  notification: AppApi['notification'];
  message: AppApi['message'];
  /** translations of the handler's own feature */
  t: TFunction;
}
export type StreamHandler = (ctx: StreamContext) => void;

/** A route in one place: `route('incidents', 'incidents.read', () => import('./page.tsx').then((m) => m.Page))`. */
export function route(path: string, permission: Permission | undefined, page: () => Promise<ComponentType>) {
  return { path, permission, page } satisfies FeatureRoute;
}

const FeaturesContext = createContext<readonly FeatureManifest[]>([]);
export const FeaturesProvider = FeaturesContext.Provider;
/** The features the app was built from (for pages that gather what other features add, like the map). */
export const useFeatures = () => useContext(FeaturesContext);
