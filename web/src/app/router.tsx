import { createBrowserRouter, Navigate } from 'react-router';
import { AuditPage } from '../features/admin/audit-page.tsx';
import { RolesPage } from '../features/admin/roles-page.tsx';
import { TokensPage } from '../features/admin/tokens-page.tsx';
import { UnitsPage } from '../features/admin/units-page.tsx';
import { UsersPage } from '../features/admin/users-page.tsx';
import { IncidentDetailPage } from '../features/incidents/incident-detail-page.tsx';
import { IncidentListPage } from '../features/incidents/incident-list-page.tsx';
import { CommandMapPage } from '../features/map/command-map-page.tsx';
import { AboutPage } from './about-page.tsx';
import { Guard, HomeRedirect, NotFound, Shell } from './shell.tsx';

export const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'login', element: <Navigate to="/" replace /> },
      {
        path: 'map',
        element: (
          <Guard permission="incidents.read">
            <CommandMapPage />
          </Guard>
        ),
      },
      {
        path: 'incidents',
        element: (
          <Guard permission="incidents.read">
            <IncidentListPage />
          </Guard>
        ),
      },
      {
        path: 'incidents/:id',
        element: (
          <Guard permission="incidents.read">
            <IncidentDetailPage />
          </Guard>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <Guard permission="org.manage">
            <UsersPage />
          </Guard>
        ),
      },
      {
        path: 'admin/roles',
        element: (
          <Guard permission="org.manage">
            <RolesPage />
          </Guard>
        ),
      },
      {
        path: 'admin/units',
        element: (
          <Guard permission={['org.read', 'org.manage']}>
            <UnitsPage />
          </Guard>
        ),
      },
      {
        path: 'admin/audit',
        element: (
          <Guard permission="audit.read">
            <AuditPage />
          </Guard>
        ),
      },
      {
        path: 'admin/tokens',
        element: (
          <Guard permission="tokens.manage">
            <TokensPage />
          </Guard>
        ),
      },
      { path: 'about', element: <AboutPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
