// The keyboard path (issue 9 §4): a new report from anywhere with N, or Alt+N while typing.
import { describe, expect, it } from 'vitest';
import type { Shortcut } from './manifest.ts';
import { type KeyPress, shortcutFor, shortcutTarget } from './shortcuts.ts';

const NEW: Shortcut = { code: 'KeyN', to: '/incidents?new=1', permission: 'incidents.create' };
const el = (tagName: string, isContentEditable = false, type?: string) =>
  ({ tagName, isContentEditable, type }) as unknown as EventTarget;
const press = (over: Partial<KeyPress> = {}): KeyPress => ({
  code: 'KeyN',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  target: el('BODY'),
  ...over,
});

describe('page shortcuts', () => {
  it('N opens a new report when nobody is typing, Alt+N even in a field', () => {
    expect(shortcutFor(press(), [NEW])).toBe(NEW);
    expect(shortcutFor(press({ target: el('TR') }), [NEW])).toBe(NEW);
    expect(shortcutFor(press({ target: el('INPUT') }), [NEW])).toBeUndefined();
    expect(shortcutFor(press({ target: el('TEXTAREA') }), [NEW])).toBeUndefined();
    expect(shortcutFor(press({ target: el('DIV', true) }), [NEW])).toBeUndefined();
    expect(shortcutFor(press({ target: el('INPUT'), altKey: true }), [NEW])).toBe(NEW);
    // a radio (the language switch) or a checkbox takes no text: N there is the shortcut
    expect(shortcutFor(press({ target: el('INPUT', false, 'radio') }), [NEW])).toBe(NEW);
    expect(shortcutFor(press({ target: el('INPUT', false, 'checkbox') }), [NEW])).toBe(NEW);
    expect(shortcutFor(press({ target: el('INPUT', false, 'search') }), [NEW])).toBeUndefined();
  });

  it("leaves the browser's own keys, held keys and open dialogs alone", () => {
    expect(shortcutFor(press({ ctrlKey: true }), [NEW])).toBeUndefined();
    expect(shortcutFor(press({ metaKey: true }), [NEW])).toBeUndefined();
    expect(shortcutFor(press({ repeat: true }), [NEW])).toBeUndefined();
    expect(shortcutFor(press(), [NEW], true)).toBeUndefined();
    expect(shortcutFor(press({ code: 'KeyM' }), [NEW])).toBeUndefined();
  });

  it("keeps the register's filters when pressed on the register", () => {
    expect(shortcutTarget('/incidents?new=1', '/map', '')).toBe('/incidents?new=1');
    expect(shortcutTarget('/incidents?new=1', '/incidents', '?level=I,II&q=港')).toBe(
      `/incidents?${new URLSearchParams({ level: 'I,II', q: '港', new: '1' })}`,
    );
  });
});
