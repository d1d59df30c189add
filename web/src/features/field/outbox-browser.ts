/**
 * The outbox in the browser: items in IndexedDB (they survive a closed tab, a flat battery, a reload offline), sent
 * by fetch with the session cookie, replayed when the browser says it is online again and every 30 s meanwhile.
 */
import { requestHeaders } from '../../api/client.ts';
import { MemoryStore, Outbox, type OutboxItem, type OutboxStore, type Transport } from './outbox.ts';

const DB_NAME = 'anlan-field';
const STORE = 'outbox';
const REPLAY_EVERY_MS = 30_000;

function requestOf<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class IndexedDbStore implements OutboxStore {
  private db: Promise<IDBDatabase>;
  constructor() {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
    this.db = requestOf(open);
  }
  private async tx(mode: IDBTransactionMode) {
    return (await this.db).transaction(STORE, mode).objectStore(STORE);
  }
  async all(): Promise<OutboxItem[]> {
    return requestOf((await this.tx('readonly')).getAll() as IDBRequest<OutboxItem[]>);
  }
  async put(item: OutboxItem): Promise<void> {
    await requestOf((await this.tx('readwrite')).put(item));
  }
  async delete(id: string): Promise<void> {
    await requestOf((await this.tx('readwrite')).delete(id));
  }
}

/** fetch with the cookie session, CSRF and language; a photo as multipart with the body's fields. */
export const fetchTransport: Transport = async (item, path, key) => {
  const headers: Record<string, string> = { ...requestHeaders(), Accept: 'application/json', 'Idempotency-Key': key };
  let body: BodyInit | undefined;
  if (item.file) {
    const form = new FormData();
    for (const [k, v] of Object.entries((item.body ?? {}) as Record<string, string>)) form.append(k, String(v));
    form.append('file', item.file.data, item.file.name);
    body = form;
  } else if (item.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(item.body);
  }
  const res = await fetch(`/api/v1${path}`, { method: item.method, headers, body, credentials: 'same-origin' });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { error: { code: `HTTP_${res.status}`, message: text.slice(0, 200) } };
  }
  return { status: res.status, body: parsed };
};

let shared: Outbox | null = null;

/** The one outbox of this tab, replaying on `online` and on a timer. */
export function fieldOutbox(): Outbox {
  if (shared) return shared;
  const store = typeof indexedDB === 'undefined' ? new MemoryStore() : new IndexedDbStore();
  const outbox = new Outbox(store, fetchTransport);
  shared = outbox;
  window.addEventListener('online', () => void outbox.replay());
  setInterval(() => {
    if (navigator.onLine) void outbox.replay();
  }, REPLAY_EVERY_MS);
  // sent items are kept a day so the user sees them go, then forgotten
  void outbox.prune(24 * 3600_000).then(() => outbox.replay());
  return outbox;
}

/**
 * A photo made smaller in the browser before it is queued: the longest side at most `max` px, JPEG. A phone's
 * 12-megapixel picture becomes ~300 KB, which a weak connection can carry.
 */
export async function resizePhoto(file: File, max = 1600, quality = 0.82): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, max / Math.max(bitmap.width, bitmap.height));
  const w = Math.round(bitmap.width * scale);
  const h = Math.round(bitmap.height * scale);
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('resize failed'))), 'image/jpeg', quality),
  );
}

/** The service worker that keeps the app's shell for offline use (HTTPS or localhost only). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}
