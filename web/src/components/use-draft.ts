import type { FormInstance } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMe } from '../api/auth.ts';
import { clearDraft, debounced, type KeyValueStore, loadDraft, saveDraft } from './draft-store.ts';

const storage = (): KeyValueStore | undefined => globalThis.localStorage;

export interface DraftControl {
  /** when the draft put back into the form was saved (ISO), or null */
  restoredAt: string | null;
  /** Puts the saved draft, if any, into the form (call after setting the form's initial values); true if it did. */
  restore(): boolean;
  /** Form `onValuesChange`: saves the form's values once typing pauses. */
  onValuesChange(): void;
  /** After a successful save: the draft is done with (and nothing more is saved until the form opens again). */
  clear(): void;
  /** The user throws the draft away (the caller resets the form). */
  discard(): void;
}

/**
 * Keeps a local draft of a long form for the signed-in user: saved as they type (debounced, and at once when the form
 * closes or the page is left), put back when the form opens again, cleared on a successful save. `key` names the form
 * and the record (`incident.new`, `incident.edit.<id>`); null while the form is closed. `toStored` / `fromStored`
 * convert values JSON does not carry (dates).
 */
export function useDraft<T extends object>(
  key: string | null,
  form: FormInstance<T>,
  opts: {
    toStored?: (v: T) => unknown;
    fromStored?: (s: Record<string, unknown>) => Partial<T>;
    delayMs?: number;
  } = {},
): DraftControl {
  const userId = useMe().data?.user.id ?? null;
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  // saved: keys still pressed while the form closes must not write the draft back
  const done = useRef(false);

  const saver = useMemo(
    () =>
      debounced(() => {
        const store = storage();
        if (!store || !key || !userId || done.current) return;
        const values = form.getFieldsValue(true) as T;
        saveDraft(store, userId, key, optsRef.current.toStored ? optsRef.current.toStored(values) : values);
      }, opts.delayMs ?? 400),
    [key, userId, form, opts.delayMs],
  );

  // closing the form, changing record or leaving the page saves what is pending
  useEffect(() => {
    const flush = () => saver.flush();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      saver.flush();
    };
  }, [saver]);

  const restore = useCallback(() => {
    const store = storage();
    setRestoredAt(null);
    done.current = false;
    if (!store || !key || !userId) return false;
    const d = loadDraft<Record<string, unknown>>(store, userId, key);
    if (!d) return false;
    const from = optsRef.current.fromStored;
    form.setFieldsValue((from ? from(d.values) : d.values) as Parameters<typeof form.setFieldsValue>[0]);
    setRestoredAt(d.savedAt);
    return true;
  }, [key, userId, form]);

  const clear = useCallback(() => {
    done.current = true;
    saver.cancel();
    const store = storage();
    if (store && key && userId) clearDraft(store, userId, key);
    setRestoredAt(null);
  }, [saver, key, userId]);

  const discard = useCallback(() => {
    saver.cancel();
    const store = storage();
    if (store && key && userId) clearDraft(store, userId, key);
    setRestoredAt(null);
  }, [saver, key, userId]);

  return { restoredAt, restore, onValuesChange: saver.schedule, clear, discard };
}
