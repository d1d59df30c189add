import { DownOutlined, InfoCircleOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import type { MenuProps } from 'antd';
import { Button, Dropdown, Layout, Menu, Result, Space, Spin, Tag, Tooltip } from 'antd';
import { useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useLocation, useNavigate, useRouteError } from 'react-router';
import { can, logout, ME_KEY, useCurrentUser, useMe, useSystemInfo } from '../api/auth.ts';
import { setPasswordChangeHandler } from '../api/client.ts';
import { ROLE_INFO, type Role } from '../api/contracts.ts';
import { useUnits } from '../api/org.ts';
import { BannerSlotContext } from '../components/banner-slot.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { themeStore } from '../components/theme.ts';
import { ThemeSwitch } from '../components/theme-switch.tsx';
import { ChangePasswordModal } from '../features/auth/change-password-modal.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { SessionGuard } from '../features/auth/session-guard.tsx';
import { useFeatures } from './manifest.ts';
import { homePath, selectedPath, useMenuItems, useUserMenu } from './menu.tsx';
import { useShortcuts } from './shortcuts.ts';
import { useFeatureStream } from './stream.ts';

const { Header, Sider, Content } = Layout;

/** The authenticated frame: side menu by permission, header with the user, and the live incident stream. */
export function Shell() {
  const me = useMe();
  const qc = useQueryClient();
  const { t } = useTranslation();

  useEffect(() => {
    // (a session that ends is the SessionGuard's: the user signs in again over the page they are on)
    // the server says the password must be changed first: /auth/me tells the shell, which then asks for it
    setPasswordChangeHandler(() => void qc.invalidateQueries({ queryKey: ME_KEY }));
    return () => {
      setPasswordChangeHandler(null);
    };
  }, [qc]);

  if (me.isPending) {
    return (
      <div className="full-center">
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="full-center">
        <Result
          status="warning"
          title={t('shell.serverDown')}
          subTitle={String((me.error as Error).message)}
          extra={<Button onClick={() => me.refetch()}>{t('retry')}</Button>}
        />
      </div>
    );
  }
  if (!me.data) return <SignedOut />;
  return <AuthenticatedShell />;
}

/** The login page, in the theme last chosen on this browser (or the system's). */
function SignedOut() {
  useLayoutEffect(() => themeStore.setUser(null), []);
  return <LoginPage />;
}

function AuthenticatedShell() {
  const user = useCurrentUser();
  // the user's own theme from the first paint of the shell
  useLayoutEffect(() => themeStore.setUser(user.id), [user.id]);
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const info = useSystemInfo();
  const [pwOpen, setPwOpen] = useState(false);
  // the strip under the header that banners (the level I–II alarm) take their place in, pushing the page down
  const [bannerSlot, setBannerSlot] = useState<HTMLDivElement | null>(null);
  const [collapsed, setCollapsed] = useState(false);
  const en = i18n.language === 'en';
  // until the password is changed the server answers nothing but the change: pages and stream wait for it
  const locked = user.mustChangePassword;
  const units = useUnits(can(user, 'org.read') && !locked);
  const features = useFeatures();
  useFeatureStream(features, !locked, useMe().data?.csrfToken);
  useShortcuts(features, user, !locked);
  const menu = useUserMenu();
  const menuItems = useMenuItems(menu);
  const selected = selectedPath(menu, location.pathname);

  const roleNames = user.roles.map((r) => (r in ROLE_INFO ? ROLE_INFO[r as Role][en ? 'en' : 'zh'] : r)).join('、');

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      // leave the authenticated shell first, then forget everything the session loaded
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] || q.queryKey[1] !== ME_KEY[1] });
      navigate('/');
    }
  };

  const userMenu: MenuProps = {
    items: [
      { key: 'pw', icon: <LockOutlined />, label: t('auth:changePassword') },
      { key: 'about', icon: <InfoCircleOutlined />, label: t('system:nav.about') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('auth:logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'pw') setPwOpen(true);
      else if (key === 'about') navigate('/about');
      else if (key === 'logout') void onLogout();
    },
  };

  const isMap = location.pathname === '/map';

  return (
    <BannerSlotContext.Provider value={bannerSlot}>
      <Layout className="app-layout">
        <Header className="app-header">
          <Link to="/" className="brand">
            <span className="brand-mark">安澜</span>
            <span className="brand-name">{t('app.platformName')}</span>
          </Link>
          {info.data?.demo && (
            <Tooltip title={t('shell.demoHint')}>
              <Tag color="orange" className="demo-tag" data-testid="demo-tag">
                {t('shell.demo')}
              </Tag>
            </Tooltip>
          )}
          <div className="header-spacer" />
          <Space size={16} className="header-right">
            {!locked && features.map((f) => f.header && <f.header key={f.name} />)}
            <ThemeSwitch dark />
            <LanguageSwitch dark />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <button type="button" className="user-button" data-testid="user-menu">
                <UserOutlined />
                <span className="user-name">{user.displayName}</span>
                <span className="user-meta">
                  {(en && units.data?.items.find((u) => u.code === user.unitCode)?.nameEn) || user.unitName}
                  {roleNames ? ` · ${roleNames}` : ''}
                </span>
                <DownOutlined style={{ fontSize: 10 }} />
              </button>
            </Dropdown>
          </Space>
        </Header>
        <div ref={setBannerSlot} className="shell-banners" />
        <Layout>
          <Sider
            width={196}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            collapsedWidth={56}
            theme="dark"
            className="app-sider"
          >
            <Menu
              theme="dark"
              mode="inline"
              selectedKeys={[selected]}
              defaultOpenKeys={menu.groups.map((g) => g.key)}
              items={menuItems}
            />
          </Sider>
          <Layout className="app-main">
            <Content className={isMap ? 'app-content app-content-full' : 'app-content'}>
              {!locked && <Outlet />}
            </Content>
            {!isMap && (
              <footer className="app-footer">
                <span>
                  {t('app.footer', { version: info.data?.version ?? '' })}
                  {info.data?.demo ? ` · ${t('shell.demoFooter')}` : ''}
                </span>
                {!!info.data?.dataAttribution?.length && (
                  <span className="attribution" data-testid="data-attribution">
                    {info.data.dataAttribution.join(' · ')}
                  </span>
                )}
              </footer>
            )}
          </Layout>
        </Layout>
        <SessionGuard user={user} />
        <ChangePasswordModal
          open={pwOpen || user.mustChangePassword}
          forced={user.mustChangePassword}
          onClose={() => setPwOpen(false)}
        />
      </Layout>
    </BannerSlotContext.Provider>
  );
}

export function HomeRedirect() {
  return <Navigate to={homePath(useUserMenu())} replace />;
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('shell.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('shell.home')}</Button>
        </Link>
      }
    />
  );
}

/** A page that failed to load or render: say so and offer a reload (a new build may have replaced the old files). */
export function RouteError() {
  const { t } = useTranslation();
  const err = useRouteError();
  return (
    <Result
      status="warning"
      title={t('shell.pageLoadFailed')}
      subTitle={err instanceof Error ? err.message : undefined}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('shell.reload')}
        </Button>
      }
    />
  );
}
