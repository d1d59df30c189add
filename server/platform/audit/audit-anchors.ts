/**
 * Anchors of the audit chain outside the database. Someone with write access to the database can edit a row and
 * recompute every later hash, or delete the newest rows, and the chain still verifies; the chain's head (seq, hash)
 * written every minute it moved (and at shutdown) to an append-only file elsewhere pins every anchored row: an
 * anchored row whose hash changed, or a chain that ends before the last anchor, is tampering. Rows newer than the
 * last anchor are not protected by it.
 */
import { appendFileSync, chmodSync, closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Db } from '../db/index.ts';

export interface Anchor {
  at: string;
  seq: number;
  hash: string;
}

export interface AnchorFile {
  anchors: Anchor[];
  /** lines that are not anchors (a damaged or edited file) */
  unreadable: number;
}

function parseLine(line: string): Anchor | undefined {
  try {
    const a = JSON.parse(line) as Partial<Anchor>;
    if (
      typeof a.seq === 'number' &&
      Number.isSafeInteger(a.seq) &&
      typeof a.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(a.hash)
    )
      return { at: String(a.at ?? ''), seq: a.seq, hash: a.hash };
  } catch {
    // counted as unreadable below
  }
  return undefined;
}

/** Every anchor in the file (none when it does not exist). */
export function readAnchors(path: string): AnchorFile {
  if (!existsSync(path)) return { anchors: [], unreadable: 0 };
  const anchors: Anchor[] = [];
  let unreadable = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const a = parseLine(line);
    if (a) anchors.push(a);
    else unreadable++;
  }
  return { anchors, unreadable };
}

/** The file's last anchor, read from its end (the file grows by a line a minute for years). */
function lastAnchor(path: string): Anchor | undefined {
  if (!existsSync(path)) return undefined;
  const size = statSync(path).size;
  const len = Math.min(size, 4096);
  const buf = Buffer.alloc(len);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, len, size - len);
  } finally {
    closeSync(fd);
  }
  const lines = buf
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const a = parseLine(lines[i]);
    if (a) return a;
  }
  return undefined;
}

export async function readHead(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  const r = await db.kysely
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r && { seq: Number(r.seq), hash: r.hash };
}

/** Appends the chain's head to the anchor file whenever it moved: on a schedule and at shutdown. */
export class AuditAnchors {
  #last: { seq: number; hash: string } | undefined;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<Anchor | undefined> | null = null;

  constructor(
    private readonly deps: { db: Db; now: () => Date; onError: (err: unknown) => void },
    readonly path: string,
  ) {
    this.#last = lastAnchor(path);
    // Only the server's user reads it: it tells when the trail moved.
    if (existsSync(path)) chmodSync(path, 0o600);
  }

  /** Writes the head if it moved since the last anchor; returns the anchor written, if any. */
  anchorNow(): Promise<Anchor | undefined> {
    // One write at a time (the schedule and a shutdown may meet).
    this.#running ??= this.#write().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #write(): Promise<Anchor | undefined> {
    const head = await readHead(this.deps.db);
    if (!head || (this.#last && this.#last.seq === head.seq && this.#last.hash === head.hash)) return undefined;
    const anchor: Anchor = { at: this.deps.now().toISOString(), seq: head.seq, hash: head.hash };
    appendFileSync(this.path, `${JSON.stringify(anchor)}\n`, { mode: 0o600, flag: 'a' });
    this.#last = anchor;
    return anchor;
  }

  start(everyMs = 60_000): void {
    this.#timer = setInterval(() => {
      this.anchorNow().catch(this.deps.onError);
    }, everyMs);
    this.#timer.unref();
  }

  /** Stops the schedule and writes a last anchor (call before the database closes). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
    await this.anchorNow().catch(this.deps.onError);
  }
}
