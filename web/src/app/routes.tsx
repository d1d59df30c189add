import { FileSearchOutlined } from '@ant-design/icons';
import { Result, Spin } from 'antd';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouteObject } from 'react-router';
import { allows, useCurrentUser } from '../api/auth.ts';
import type { FeatureManifest, Permission } from './manifest.ts';

const RELOAD_KEY = 'anlan.chunkReload';

/**
 * React.lazy for a route's page. When a chunk cannot be fetched (typically: the server was upgraded and the old
 * hashed files are gone), reload the page once to pick up the new build; a second failure goes to RouteError.
 */
function lazyPage(load: () => Promise<ComponentType>) {
  return lazy(async () => {
    try {
      const page = await load();
      sessionStorage.removeItem(RELOAD_KEY);
      return { default: page };
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

function PageLoading() {
  return (
    <div className="page full-center-inner" data-testid="page-loading">
      <Spin size="large" />
    </div>
  );
}

/** The page when the user may open it, else 403 (the chunk of a refused page is not even fetched). */
export function Guard({ permission, children }: { permission: Permission | undefined; children: ReactNode }) {
  const user = useCurrentUser();
  const { t } = useTranslation();
  if (!allows(user, permission))
    return <Result status="403" title="403" subTitle={t('shell.forbidden')} icon={<FileSearchOutlined />} />;
  return <>{children}</>;
}

/** The routes of every feature, each behind its permission and loaded on its first visit. */
export function featureRoutes(features: readonly FeatureManifest[]): RouteObject[] {
  return features.flatMap((f) =>
    (f.routes ?? []).map((r) => {
      const Page = lazyPage(r.page);
      return {
        path: r.path,
        element: (
          <Guard permission={r.permission}>
            <Suspense fallback={<PageLoading />}>
              <Page />
            </Suspense>
          </Guard>
        ),
      };
    }),
  );
}
