import { SettingOutlined } from '@ant-design/icons';
import type { MenuProps } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { allows, useCurrentUser } from '../api/auth.ts';
import type { UserDto } from '../api/contracts.ts';
import { type FeatureManifest, type MenuGroup, type Permission, useFeatures } from './manifest.ts';

/** 系统管理: the group every feature's administration pages go into. */
const ADMIN_GROUP: MenuGroup = { key: 'admin', icon: <SettingOutlined />, label: 'common:nav.admin', order: 1000 };

export interface MenuItem {
  /** the path it opens, `/incidents` */
  path: string;
  icon: ReactNode;
  /** `ns:key` */
  label: string;
  permission: Permission | undefined;
  order: number;
}
export interface Menu {
  top: MenuItem[];
  groups: (MenuGroup & { items: MenuItem[] })[];
}

const byOrder = (a: { order: number }, b: { order: number }) => a.order - b.order;

/** The whole menu as the features declare it, in order (before anyone's permissions are applied). */
export function buildMenu(features: readonly FeatureManifest[]): Menu {
  const groups = [ADMIN_GROUP, ...features.flatMap((f) => f.menuGroups ?? [])].map((g) => ({
    ...g,
    items: [] as MenuItem[],
  }));
  const top: MenuItem[] = [];
  for (const f of features)
    for (const e of f.menu ?? []) {
      const item: MenuItem = {
        path: `/${e.route.path}`,
        icon: e.icon,
        label: e.label.includes(':') ? e.label : `${f.name}:${e.label}`,
        permission: e.route.permission,
        order: e.order,
      };
      if (!e.group) top.push(item);
      else {
        const g = groups.find((x) => x.key === e.group);
        if (!g) throw new Error(`menu group "${e.group}" of ${f.name} is not declared`);
        g.items.push(item);
      }
    }
  top.sort(byOrder);
  for (const g of groups) g.items.sort(byOrder);
  return { top, groups: groups.sort(byOrder) };
}

/** What this user may open: entries their permissions allow, groups that keep an entry. */
export function menuFor(menu: Menu, user: UserDto): Menu {
  const mine = (items: MenuItem[]) => items.filter((i) => allows(user, i.permission));
  return {
    top: mine(menu.top),
    groups: menu.groups.map((g) => ({ ...g, items: mine(g.items) })).filter((g) => g.items.length > 0),
  };
}

/** The signed-in user's menu. */
export function useUserMenu(): Menu {
  const features = useFeatures();
  const user = useCurrentUser();
  const all = useMemo(() => buildMenu(features), [features]);
  return useMemo(() => menuFor(all, user), [all, user]);
}

/** Where `/` takes the user: the first page of their menu, else the about page (open to everyone). */
export function homePath(menu: Menu): string {
  return (menu.top[0] ?? menu.groups[0]?.items[0])?.path ?? '/about';
}

/** The menu entry to highlight: the one whose path starts the location (`/incidents/123` → `/incidents`). */
export function selectedPath(menu: Menu, pathname: string): string {
  const paths = [...menu.top, ...menu.groups.flatMap((g) => g.items)].map((i) => i.path);
  return (
    paths.filter((p) => pathname === p || pathname.startsWith(`${p}/`)).sort((a, b) => b.length - a.length)[0] ??
    pathname
  );
}

/** The side menu in Ant Design's shape, labels in the UI language. */
export function useMenuItems(menu: Menu): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  return useMemo(() => {
    const item = (i: MenuItem) => ({ key: i.path, icon: i.icon, label: <Link to={i.path}>{t(i.label)}</Link> });
    return [
      ...menu.top.map(item),
      ...menu.groups.map((g) => ({ key: g.key, icon: g.icon, label: t(g.label), children: g.items.map(item) })),
    ];
  }, [menu, t]);
}
