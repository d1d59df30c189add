/**
 * The field app's outbox: every write (a report, a photo, a task update, a position) is queued here first, with its
 * Idempotency-Key made when the item is made, and sent in order when the connection allows. A retry after a lost
 * answer sends the same key, so the server does the work once and answers the first answer again.
 *
 * No browser needed: the store (IndexedDB in the browser, memory in tests) and the transport (fetch, or a test's
 * HTTP injection) are passed in.
 */

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxError {
  status: number;
  code: string;
  message: string;
}

export interface OutboxItem {
  /** local id, also the Idempotency-Key sent with every attempt */
  id: string;
  /** order of creation: items are sent in this order */
  seq: number;
  /** what it is, for the list the user sees */
  kind: 'incident' | 'danger' | 'photo' | 'task' | 'position';
  label: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** below /api/v1, e.g. `/incidents`; `{ref}` is replaced by the id the item `dependsOn` was answered with */
  path: string;
  body?: unknown;
  /** a file sent as multipart `file` with the body's fields as form fields (a photo) */
  file?: { name: string; type: string; data: Blob };
  /** another item whose answer's `id` this one needs (a photo of a report made offline) */
  dependsOn?: string;
  state: OutboxState;
  attempts: number;
  error?: OutboxError;
  /** the server's answer once sent */
  result?: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface OutboxStore {
  all(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  delete(id: string): Promise<void>;
}

/** The answer to one attempt; a transport throws when no answer came (offline, connection lost). */
export interface SendResult {
  status: number;
  body: unknown;
}
export type Transport = (item: OutboxItem, path: string, idempotencyKey: string) => Promise<SendResult>;

export type NewItem = Pick<OutboxItem, 'kind' | 'label' | 'method' | 'path' | 'body' | 'file' | 'dependsOn'>;

/** Answers worth another try later: the server is busy, failing, or the first attempt still runs. */
function retryable(status: number): boolean {
  return status === 409 || status === 408 || status === 425 || status === 429 || status >= 500 || status === 401;
}

function errorOf(r: SendResult): OutboxError {
  const e = (r.body as { error?: { code?: string; message?: string } } | null)?.error;
  return { status: r.status, code: e?.code ?? `HTTP_${r.status}`, message: e?.message ?? `HTTP ${r.status}` };
}

export class Outbox {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly listeners = new Set<(items: OutboxItem[]) => void>();

  constructor(
    private readonly store: OutboxStore,
    private readonly transport: Transport,
    private readonly opts: { newKey?: () => string; now?: () => number } = {},
  ) {}

  private now() {
    return this.opts.now?.() ?? Date.now();
  }

  async items(): Promise<OutboxItem[]> {
    return (await this.store.all()).sort((a, b) => a.seq - b.seq);
  }

  /** Tells `fn` the items after every change; returns the unsubscribe. */
  subscribe(fn: (items: OutboxItem[]) => void): () => void {
    this.listeners.add(fn);
    void this.items().then(fn);
    return () => this.listeners.delete(fn);
  }

  private async changed(item: OutboxItem): Promise<void> {
    item.updatedAt = this.now();
    await this.store.put(item);
    const all = await this.items();
    for (const fn of this.listeners) fn(all);
  }

  /** Queues a write; its Idempotency-Key is made now, once, and kept for every attempt. */
  async add(input: NewItem): Promise<OutboxItem> {
    const all = await this.store.all();
    const seq = all.reduce((m, i) => Math.max(m, i.seq), 0) + 1;
    const id = this.opts.newKey?.() ?? crypto.randomUUID();
    const item: OutboxItem = { ...input, id, seq, state: 'queued', attempts: 0, createdAt: this.now(), updatedAt: 0 };
    await this.changed(item);
    return item;
  }

  /** A failed item sent again (the user fixed what was refused, or insists). */
  async retry(id: string): Promise<void> {
    const item = (await this.store.all()).find((i) => i.id === id);
    if (item?.state !== 'failed') return;
    item.state = 'queued';
    item.error = undefined;
    await this.changed(item);
  }

  async remove(id: string): Promise<void> {
    await this.store.delete(id);
    const all = await this.items();
    for (const fn of this.listeners) fn(all);
  }

  /** Forgets what was sent longer ago than `ms`. */
  async prune(ms: number): Promise<void> {
    for (const i of await this.store.all())
      if (i.state === 'sent' && this.now() - i.updatedAt > ms) await this.store.delete(i.id);
  }

  /**
   * Sends what is queued, in order, until done or the connection fails (what is left waits for the next call: the
   * `online` event or the timer). Calls while a replay runs make it go round once more instead of running twice.
   */
  replay(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const all = await this.items();
    const byId = new Map(all.map((i) => [i.id, i]));
    // 'sending' left over from a closed page: sent again with the same key (the server answers once)
    for (const item of all.filter((i) => i.state === 'queued' || i.state === 'sending')) {
      let path = item.path;
      if (item.dependsOn) {
        const dep = byId.get(item.dependsOn);
        if (dep?.state === 'failed' || !dep) {
          item.state = 'failed';
          item.error = { status: 0, code: 'DEPENDENCY_FAILED', message: dep?.error?.message ?? 'dependency missing' };
          await this.changed(item);
          continue;
        }
        if (dep.state !== 'sent') return; // wait for it, keeping the order
        const ref = (dep.result as { id?: string } | undefined)?.id ?? '';
        path = path.replace('{ref}', encodeURIComponent(ref));
        if (item.body && typeof item.body === 'object') {
          item.body = JSON.parse(JSON.stringify(item.body).replaceAll('{ref}', ref));
        }
      }
      item.state = 'sending';
      item.attempts += 1;
      await this.changed(item);
      let r: SendResult;
      try {
        r = await this.transport(item, path, item.id);
      } catch {
        // no answer: offline or the connection dropped (perhaps after the server did it: the key makes that safe)
        item.state = 'queued';
        await this.changed(item);
        return;
      }
      if (r.status >= 200 && r.status < 300) {
        item.state = 'sent';
        item.result = r.body;
        item.error = undefined;
        await this.changed(item);
      } else if (retryable(r.status)) {
        item.state = 'queued';
        item.error = errorOf(r);
        await this.changed(item);
        return;
      } else {
        // refused for what it is: shown to the user with the server's words, not sent again by itself
        item.state = 'failed';
        item.error = errorOf(r);
        await this.changed(item);
      }
    }
  }
}

/** The store for tests (and browsers without IndexedDB): items as structured clones in a map. */
export class MemoryStore implements OutboxStore {
  private readonly map = new Map<string, OutboxItem>();
  async all() {
    return [...this.map.values()].map((i) => ({ ...i }));
  }
  async put(item: OutboxItem) {
    this.map.set(item.id, { ...item });
  }
  async delete(id: string) {
    this.map.delete(id);
  }
}
