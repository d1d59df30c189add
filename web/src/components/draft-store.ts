/**
 * Local drafts of long forms, per user and form, in the browser's storage: nothing typed is lost to an ended session,
 * a reload or a closed tab. Pure (a Storage-like store is passed in), so that it is tested without a browser.
 */

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Draft<T = unknown> {
  /** when it was last saved (ISO) */
  savedAt: string;
  values: T;
}

/** Drafts older than this are dropped when read: a week-old half report misleads more than it helps. */
export const DRAFT_MAX_AGE_MS = 7 * 24 * 3600_000;

export const draftStorageKey = (userId: string, key: string) => `anlan.draft.${userId}.${key}`;

export function saveDraft(store: KeyValueStore, userId: string, key: string, values: unknown, now = new Date()): void {
  const draft: Draft = { savedAt: now.toISOString(), values };
  try {
    store.setItem(draftStorageKey(userId, key), JSON.stringify(draft));
  } catch {
    // a full or refused storage: the form still works, only without a draft
  }
}

export function loadDraft<T>(
  store: KeyValueStore,
  userId: string,
  key: string,
  now = new Date(),
): Draft<T> | undefined {
  const raw = store.getItem(draftStorageKey(userId, key));
  if (!raw) return undefined;
  try {
    const d = JSON.parse(raw) as Draft<T>;
    const at = Date.parse(d.savedAt);
    if (!d.values || typeof d.values !== 'object' || !(now.getTime() - at < DRAFT_MAX_AGE_MS)) {
      store.removeItem(draftStorageKey(userId, key));
      return undefined;
    }
    return d;
  } catch {
    store.removeItem(draftStorageKey(userId, key));
    return undefined;
  }
}

export function clearDraft(store: KeyValueStore, userId: string, key: string): void {
  store.removeItem(draftStorageKey(userId, key));
}

/** Calls `fn` once typing has paused for `ms`; `flush` runs a pending call now (closing, leaving the page). */
export function debounced(fn: () => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    },
    flush() {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      fn();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
