import { describe, expect, it } from 'vitest';
import { createThemeStore, LAST_THEME_KEY, resolveTheme, themeKey } from './theme.ts';

function fakeStorage() {
  const m = new Map<string, string>();
  return {
    m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

describe('the theme', () => {
  it("follows the system's colour scheme until one is chosen", () => {
    expect(resolveTheme(null, false)).toBe('light');
    expect(resolveTheme(null, true)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('purple', true)).toBe('dark');
  });

  it('is remembered per user, and the login page shows the last choice on this browser', () => {
    const storage = fakeStorage();
    let systemDark = false;
    const store = createThemeStore({ storage: () => storage, systemDark: () => systemDark });
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.get()));
    expect(store.get()).toBe('light');

    store.setUser('u-night');
    store.choose('dark');
    expect(store.get()).toBe('dark');
    expect(storage.m.get(themeKey('u-night'))).toBe('dark');
    expect(storage.m.get(LAST_THEME_KEY)).toBe('dark');

    // signed out: the login page stays dark
    store.setUser(null);
    expect(store.get()).toBe('dark');

    // another user who never chose gets the system's scheme, and follows it when it changes
    store.setUser('u-day');
    expect(store.get()).toBe('light');
    systemDark = true;
    store.refresh();
    expect(store.get()).toBe('dark');
    store.choose('light');
    systemDark = false;
    store.refresh();
    expect(store.get()).toBe('light');

    // the night officer signs in again: their own choice, whatever was chosen last
    store.setUser('u-night');
    expect(store.get()).toBe('dark');
    expect(seen).toEqual(['dark', 'light', 'dark', 'light', 'dark']);
  });

  it('still switches when the browser refuses storage', () => {
    const store = createThemeStore({
      storage: () => ({
        getItem: () => {
          throw new Error('denied');
        },
        setItem: () => {
          throw new Error('denied');
        },
      }),
      systemDark: () => false,
    });
    store.setUser('u');
    expect(store.get()).toBe('light');
    store.choose('dark');
    expect(store.get()).toBe('dark');
  });
});
