import { createBrowserRouter, Navigate } from 'react-router';
import { FEATURES } from './features.ts';
import { featureRoutes } from './routes.tsx';
import { HomeRedirect, NotFound, RouteError, Shell } from './shell.tsx';

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
          ...featureRoutes(FEATURES),
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
