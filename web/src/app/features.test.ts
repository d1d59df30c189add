import { describe, expect, it } from 'vitest';
import type { UserDto } from '../api/contracts.ts';
import { FEATURES } from './features.ts';
import type { Translations } from './manifest.ts';
import { buildMenu, homePath, menuFor, selectedPath } from './menu.tsx';
import { featureRoutes } from './routes.tsx';
import { streamHandlers } from './stream.ts';

const userWith = (permissions: readonly string[]) => ({ permissions: [...permissions] }) as UserDto;
/** what the administrator holds on a fresh installation (the modules' declared permissions) */
const ALL = [
  'incidents.read',
  'incidents.create',
  'incidents.update',
  'incidents.level',
  'incidents.transition',
  'incidents.log',
  'incidents.rules',
  'org.read',
  'org.manage',
  'audit.read',
  'personal.read',
  'tokens.manage',
  'geo.read',
  'closures.manage',
  'roads.import',
];
const paths = (items: { path: string }[]) => items.map((i) => i.path);
const lookup = (tree: Translations, key: string): unknown =>
  key.split('.').reduce<unknown>((node, k) => (node as Translations | undefined)?.[k], tree);

describe('the app built from the feature list', () => {
  const menu = buildMenu(FEATURES);
  const routes = featureRoutes(FEATURES);

  it('has one feature per name and one route per path', () => {
    const names = FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('common');
    const routePaths = routes.map((r) => r.path);
    expect(new Set(routePaths).size).toBe(routePaths.length);
    expect(routePaths).toEqual(expect.arrayContaining(['map', 'incidents', 'incidents/:id', 'admin/users', 'about']));
  });

  it('gives every menu entry a route of the router and the permission of that route', () => {
    const declared = new Set(FEATURES.flatMap((f) => f.routes ?? []));
    const routed = new Set(routes.map((r) => `/${r.path}`));
    for (const f of FEATURES)
      for (const e of f.menu ?? []) {
        expect(declared.has(e.route), `${f.name}: ${e.label} opens a route of the app`).toBe(true);
        const p = e.route.permission;
        expect(typeof p === 'string' ? p : p?.[0], `${f.name}: ${e.label} has a permission`).toMatch(/^\w+\.\w+$/);
      }
    for (const item of [...menu.top, ...menu.groups.flatMap((g) => g.items)]) {
      expect(routed.has(item.path), item.path).toBe(true);
      expect(item.permission).toBeDefined();
    }
  });

  it('labels every menu entry and group in both languages', () => {
    const ns = new Map(FEATURES.map((f) => [f.name, f.i18n]));
    for (const item of [...menu.top, ...menu.groups.flatMap((g) => g.items)]) {
      const [name, key] = item.label.split(':');
      for (const lang of ['zh-CN', 'en'] as const)
        expect(typeof lookup(ns.get(name)?.[lang] ?? {}, key), `${item.label} (${lang})`).toBe('string');
    }
    expect(menu.groups.map((g) => g.label)).toContain('common:nav.admin');
  });

  it('shows a viewer the map, the register, the units and the level rules, and opens the map first', () => {
    const mine = menuFor(menu, userWith(['incidents.read', 'org.read', 'geo.read']));
    expect(paths(mine.top)).toEqual(['/map', '/incidents']);
    expect(mine.groups.map((g) => [g.key, paths(g.items)])).toEqual([
      ['admin', ['/admin/units', '/admin/level-rules']],
    ]);
    expect(homePath(mine)).toBe('/map');
  });

  it('shows an administrator every page in the order of old, and a user without permissions only the about page', () => {
    const all = menuFor(menu, userWith(ALL));
    // the field app (features/field) is for whoever reports incidents: last in the top level
    expect(paths(all.top)).toEqual(['/map', '/incidents', '/field']);
    expect(paths(all.groups[0].items)).toEqual([
      '/admin/users',
      '/admin/roles',
      '/admin/units',
      '/admin/level-rules',
      '/admin/audit',
      '/admin/tokens',
      '/admin/road-networks',
    ]);
    const none = menuFor(menu, userWith([]));
    expect(none).toEqual({ top: [], groups: [] });
    expect(homePath(none)).toBe('/about');
  });

  it('highlights the entry a page belongs to', () => {
    expect(selectedPath(menu, '/incidents/0190')).toBe('/incidents');
    expect(selectedPath(menu, '/admin/level-rules')).toBe('/admin/level-rules');
    expect(selectedPath(menu, '/about')).toBe('/about');
  });

  it('hands each live event type to the features that handle it', () => {
    const handlers = streamHandlers(FEATURES);
    // the incidents list and the duty board both follow new reports
    expect(handlers.get('incident.created')?.map((h) => h.ns)).toEqual(['incidents', 'duty']);
    expect(handlers.get('closure.cleared')?.map((h) => h.ns)).toEqual(['geo']);
    expect(handlers.get('network.swapped')?.map((h) => h.ns)).toEqual(['geo']);
  });
});
