import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/client.ts';
import { useTheme } from '../components/theme.ts';
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

/** The frame's own colours by theme (the header and side menu stay navy by day, near-black at night). */
const FRAME = {
  light: { layout: '#f0f2f5', header: '#0b2545', sider: '#0f2f57', subMenu: '#0b2545', tableHead: '#f5f7fa' },
  dark: { layout: '#0b0f14', header: '#0a1420', sider: '#0f1a27', subMenu: '#0a1420', tableHead: '#1a2230' },
};

export function Root() {
  const { i18n } = useTranslation();
  const mode = useTheme();
  const frame = FRAME[mode];
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
        algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: {
          // a lighter blue at night: #0b5cad on near-black is too dim to read as a link or a primary button
          colorPrimary: mode === 'dark' ? '#3b82d6' : '#0b5cad',
          fontFamily: FONT_FAMILY,
          borderRadius: 4,
          fontSize: 14,
          colorBgLayout: frame.layout,
        },
        components: {
          Layout: { headerBg: frame.header, siderBg: frame.sider, headerHeight: 52, headerPadding: '0 16px' },
          Menu: {
            darkItemBg: frame.sider,
            darkSubMenuItemBg: frame.subMenu,
            darkItemSelectedBg: '#0b5cad',
          },
          Table: { cellPaddingBlockSM: 6, headerBg: frame.tableHead },
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
