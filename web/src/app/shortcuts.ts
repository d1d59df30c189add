import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { allows } from '../api/auth.ts';
import type { UserDto } from '../api/contracts.ts';
import type { FeatureManifest, Shortcut } from './manifest.ts';

/** Inputs that take no typed text: a key pressed on them is no typing (the language switch's radios, a checkbox). */
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys pressed there are typing (a text field, a select's search, an editable element). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as (HTMLElement & { type?: string }) | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'input') return !NOT_TEXT.has(String(el.type ?? 'text').toLowerCase());
  return tag === 'textarea' || tag === 'select' || el.isContentEditable === true;
}

export interface KeyPress {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  repeat?: boolean;
  target: EventTarget | null;
}

/**
 * The shortcut a key press asks for: its key alone when the user is not typing (N), or with Alt wherever they are
 * (Alt+N in a field); none with Ctrl or ⌘ (the browser's own), none while a dialog holds the focus.
 */
export function shortcutFor(e: KeyPress, shortcuts: readonly Shortcut[], inDialog = false): Shortcut | undefined {
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return undefined;
  if (!e.altKey && (isTyping(e.target) || inDialog)) return undefined;
  return shortcuts.find((s) => s.code === e.code);
}

/** Where a shortcut leads: its address, keeping the page's own query (filters) when it is the same page. */
export function shortcutTarget(to: string, pathname: string, search: string): string {
  const url = new URL(to, 'http://x');
  if (url.pathname !== pathname) return to;
  const params = new URLSearchParams(search);
  for (const [k, v] of url.searchParams) params.set(k, v);
  return `${pathname}?${params}`;
}

/** The features' shortcuts the user may use, handled on the whole page. */
export function useShortcuts(features: readonly FeatureManifest[], user: UserDto, enabled: boolean): void {
  const navigate = useNavigate();
  useEffect(() => {
    if (!enabled) return;
    const mine = features.flatMap((f) => f.shortcuts ?? []).filter((s) => allows(user, s.permission));
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      const inDialog = !!el?.closest?.('[role="dialog"]');
      const s = shortcutFor(e, mine, inDialog);
      if (!s) return;
      e.preventDefault();
      navigate(shortcutTarget(s.to, window.location.pathname, window.location.search));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [features, user, enabled, navigate]);
}
