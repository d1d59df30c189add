import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/client.ts';
import { FEATURES } from './features.ts';
import { FeaturesProvider } from './manifest.ts';
import { router } from './router.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

export const FONT_FAMILY =
  '-apple-system, BlinkMacSystemFont, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", "Source Han Sans SC", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export function Root() {
  const { i18n } = useTranslation();
  // names and messages the server localises (Accept-Language) are fetched again in the new language
  const lang = useRef(i18n.language);
  useEffect(() => {
    if (lang.current === i18n.language) return;
    lang.current = i18n.language;
    void queryClient.invalidateQueries();
  }, [i18n.language]);
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#0b5cad',
          fontFamily: FONT_FAMILY,
          borderRadius: 4,
          fontSize: 14,
          colorBgLayout: '#f0f2f5',
        },
        components: {
          Layout: { headerBg: '#0b2545', siderBg: '#0f2f57', headerHeight: 52, headerPadding: '0 16px' },
          Menu: {
            darkItemBg: '#0f2f57',
            darkSubMenuItemBg: '#0b2545',
            darkItemSelectedBg: '#0b5cad',
          },
          Table: { cellPaddingBlockSM: 6, headerBg: '#f5f7fa' },
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <FeaturesProvider value={FEATURES}>
            <RouterProvider router={router} />
          </FeaturesProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
