import { useSyncExternalStore } from 'react';

/** Light by day; dark for night duty and the wall screen. */
export type UiTheme = 'light' | 'dark';

/** Per user on this browser, like the layer panel: `anlan.theme.<user id>`. */
export const THEME_KEY = 'anlan.theme';
/** The last choice made on this browser, by whoever: what the login page shows before anyone has signed in. */
export const LAST_THEME_KEY = 'anlan.theme.last';

export const themeKey = (userId: string) => `${THEME_KEY}.${userId}`;

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The theme shown: what was chosen (by this user, or on this browser before sign-in), else the system's. */
export function resolveTheme(stored: string | null, systemDark: boolean): UiTheme {
  if (stored === 'light' || stored === 'dark') return stored;
  return systemDark ? 'dark' : 'light';
}

/**
 * The theme of the page: chosen per user (the login page follows the last choice on this browser), otherwise the
 * system's `prefers-color-scheme`, followed live while nothing is chosen.
 */
export function createThemeStore(env: { storage: () => KeyValueStore | undefined; systemDark: () => boolean }) {
  let user: string | null = null;
  const listeners = new Set<() => void>();
  const read = () => {
    try {
      return env.storage()?.getItem(user ? themeKey(user) : LAST_THEME_KEY) ?? null;
    } catch {
      return null;
    }
  };
  let current = resolveTheme(read(), env.systemDark());
  const update = () => {
    const next = resolveTheme(read(), env.systemDark());
    if (next === current) return;
    current = next;
    for (const l of listeners) l();
  };
  return {
    get: (): UiTheme => current,
    /** The signed-in user (null on the login page): their own choice applies. */
    setUser(id: string | null): void {
      user = id;
      update();
    },
    /** The user chooses: remembered for them, and as this browser's last choice. */
    choose(theme: UiTheme): void {
      try {
        const s = env.storage();
        if (user) s?.setItem(themeKey(user), theme);
        s?.setItem(LAST_THEME_KEY, theme);
      } catch {
        // storage refused (private mode, quota): the choice holds for this page only
      }
      if (theme === current) return;
      current = theme;
      for (const l of listeners) l();
    },
    /** The system's scheme changed (or another tab chose): read again. */
    refresh: update,
    subscribe(cb: () => void): () => void {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

const media = () =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : undefined;

export const themeStore = createThemeStore({
  storage: () => globalThis.localStorage,
  systemDark: () => media()?.matches ?? false,
});

/** The page's `<html data-theme>` (the app's CSS variables) and `color-scheme` (scrollbars, form controls). */
function applyToDocument(theme: UiTheme) {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}
if (typeof window !== 'undefined') {
  applyToDocument(themeStore.get());
  themeStore.subscribe(() => applyToDocument(themeStore.get()));
  media()?.addEventListener?.('change', themeStore.refresh);
  window.addEventListener('storage', (e) => {
    if (e.key?.startsWith(THEME_KEY)) themeStore.refresh();
  });
}

export function useTheme(): UiTheme {
  return useSyncExternalStore(themeStore.subscribe, themeStore.get);
}
