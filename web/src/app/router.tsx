import { Spin } from 'antd';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { CommandMapPage } from '../features/geo/command-map-page.tsx';
import { IncidentListPage } from '../features/incidents/incident-list-page.tsx';
import { AboutPage } from '../features/system/about-page.tsx';
import { Guard, HomeRedirect, NotFound, RouteError, Shell } from './shell.tsx';

const RELOAD_KEY = 'anlan.chunkReload';

/**
 * React.lazy for a named export. When a chunk cannot be fetched (typically: the server was upgraded and the old
 * hashed files are gone), reload the page once to pick up the new build; a second failure goes to RouteError.
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => {
    try {
      const m = await load();
      sessionStorage.removeItem(RELOAD_KEY);
      return { default: m[name] };
    } catch (err) {
      const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
      if (Date.now() - last > 30_000) {
        sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
        window.location.reload();
        return new Promise<never>(() => {});
      }
      throw err;
    }
  });
}

// The map and the register are the first screens a duty officer sees: they stay in the main chunk.
// Detail and administration pages load on first visit.
const IncidentDetailPage = lazyPage(
  () => import('../features/incidents/incident-detail-page.tsx'),
  'IncidentDetailPage',
);
const UsersPage = lazyPage(() => import('../features/org/users-page.tsx'), 'UsersPage');
const RolesPage = lazyPage(() => import('../features/org/roles-page.tsx'), 'RolesPage');
const UnitsPage = lazyPage(() => import('../features/org/units-page.tsx'), 'UnitsPage');
const AuditPage = lazyPage(() => import('../features/system/audit-page.tsx'), 'AuditPage');
const TokensPage = lazyPage(() => import('../features/system/tokens-page.tsx'), 'TokensPage');
const RoadNetworksPage = lazyPage(() => import('../features/geo/road-networks-page.tsx'), 'RoadNetworksPage');
const LevelRulesPage = lazyPage(() => import('../features/incidents/level-rules-page.tsx'), 'LevelRulesPage');

function PageLoading() {
  return (
    <div className="page full-center-inner" data-testid="page-loading">
      <Spin size="large" />
    </div>
  );
}

function guarded(permission: string | string[], page: ReactNode) {
  return (
    <Guard permission={permission}>
      <Suspense fallback={<PageLoading />}>{page}</Suspense>
    </Guard>
  );
}

export const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    errorElement: <RouteError />,
    children: [
      {
        // errors of a page (a chunk that cannot be loaded, a render error) show inside the shell
        errorElement: <RouteError />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: 'login', element: <Navigate to="/" replace /> },
          { path: 'map', element: guarded('incidents.read', <CommandMapPage />) },
          { path: 'incidents', element: guarded('incidents.read', <IncidentListPage />) },
          { path: 'incidents/:id', element: guarded('incidents.read', <IncidentDetailPage />) },
          { path: 'admin/users', element: guarded('org.manage', <UsersPage />) },
          { path: 'admin/roles', element: guarded('org.manage', <RolesPage />) },
          { path: 'admin/units', element: guarded(['org.read', 'org.manage'], <UnitsPage />) },
          { path: 'admin/level-rules', element: guarded('incidents.read', <LevelRulesPage />) },
          { path: 'admin/audit', element: guarded('audit.read', <AuditPage />) },
          { path: 'admin/tokens', element: guarded('tokens.manage', <TokensPage />) },
          { path: 'admin/road-networks', element: guarded('roads.import', <RoadNetworksPage />) },
          { path: 'about', element: <AboutPage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
