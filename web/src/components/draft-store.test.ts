// Nothing typed is lost (issue 9 §3): a long form's draft, per user, saved as they type and put back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDraft, DRAFT_MAX_AGE_MS, debounced, type KeyValueStore, loadDraft, saveDraft } from './draft-store.ts';

function memoryStore(): KeyValueStore & { size(): number } {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    size: () => m.size,
  };
}

const report = {
  title: '石岛港区油罐起火',
  typeCode: '12D03',
  occurredAt: '2026-12-04T02:10:00.000Z',
  casualties: { deaths: 1 },
};

describe("a form's local draft", () => {
  afterEach(() => vi.useRealTimers());

  it('is saved once typing pauses, not at every key, and at once when the form closes', () => {
    vi.useFakeTimers();
    const store = memoryStore();
    let values = { title: '石' };
    const saver = debounced(() => saveDraft(store, 'u1', 'incident.new', values), 400);
    for (const title of ['石', '石岛', '石岛港']) {
      values = { title };
      saver.schedule();
      vi.advanceTimersByTime(100);
    }
    expect(store.size()).toBe(0);
    vi.advanceTimersByTime(400);
    expect(loadDraft(store, 'u1', 'incident.new')?.values).toEqual({ title: '石岛港' });
    values = { title: '石岛港区' };
    saver.schedule();
    saver.flush(); // the drawer closes (or the session ends) before the pause
    expect(loadDraft(store, 'u1', 'incident.new')?.values).toEqual({ title: '石岛港区' });
  });

  it('is restored for the same user and form only, with the time it was saved', () => {
    const store = memoryStore();
    const at = new Date('2026-12-04T02:15:00Z');
    saveDraft(store, 'u1', 'incident.new', report, at);
    expect(loadDraft(store, 'u1', 'incident.new', at)).toEqual({ savedAt: at.toISOString(), values: report });
    expect(loadDraft(store, 'u2', 'incident.new', at)).toBeUndefined();
    expect(loadDraft(store, 'u1', 'incident.edit.x', at)).toBeUndefined();
  });

  it('is cleared on a successful save, and forgotten after a week or when unreadable', () => {
    const store = memoryStore();
    const at = new Date('2026-12-04T02:15:00Z');
    saveDraft(store, 'u1', 'incident.new', report, at);
    clearDraft(store, 'u1', 'incident.new');
    expect(loadDraft(store, 'u1', 'incident.new', at)).toBeUndefined();
    saveDraft(store, 'u1', 'incident.new', report, at);
    expect(loadDraft(store, 'u1', 'incident.new', new Date(at.getTime() + DRAFT_MAX_AGE_MS + 1))).toBeUndefined();
    expect(store.size()).toBe(0);
    store.setItem('anlan.draft.u1.incident.new', '{not json');
    expect(loadDraft(store, 'u1', 'incident.new')).toBeUndefined();
  });

  it('does not break the form when the storage refuses (full, private mode)', () => {
    const refusing: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    expect(() => saveDraft(refusing, 'u1', 'incident.new', report)).not.toThrow();
  });
});
