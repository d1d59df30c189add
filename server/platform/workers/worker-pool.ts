/**
 * Heavy work off the event loop: worker threads (piscina) that any module hands a task to, with a per-user limit
 * and a fair queue. The main thread answers every other request while a workbook is built or a matrix computed;
 * a user who already has `perUser` computations running or waiting is refused at once (429 JOB_LIMIT) rather than
 * allowed to fill the queue, and waiting tasks are taken user by user in turn, so one user's burst does not stand
 * in front of everyone else's.
 *
 * A task names its entry file (a module whose default export is made with `workerTask`, worker-task.ts); threads
 * start on first use and end after a minute idle. An AppError thrown in a worker arrives here as the same AppError.
 */
import type { TransferListItem } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError } from '../../errors.ts';
import { entryExecArgv } from '../core/source-file.ts';
import { fromWorkerError } from './worker-task.ts';

export interface WorkerPoolOptions {
  /** worker threads */
  threads: number;
  /** tasks one user may have running or waiting */
  perUser: number;
  /** tasks waiting in all; beyond it TOO_MANY_REQUESTS */
  maxQueue?: number;
  /** an idle thread ends after this long (ms) */
  idleTimeoutMs?: number;
}

export interface HeavyTask {
  /** the worker entry (a module whose default export is a `workerTask`) */
  entry: URL;
  task: unknown;
  /** buffers and ports moved (not copied) to the worker */
  transferList?: TransferListItem[];
  /** the caller is gone: a waiting task is dropped, a running one stopped */
  signal?: AbortSignal;
}

interface Pending {
  t: HeavyTask;
  user: string;
  ok(v: unknown): void;
  fail(err: unknown): void;
}

/** Who a task counts against: a user by id; system work is never refused for the limit. */
export interface TaskOwner {
  kind: 'user' | 'token' | 'system' | string;
  id: string | null;
}

export class WorkerPool {
  readonly threads: number;
  readonly perUser: number;
  readonly #maxQueue: number;
  readonly #idleTimeout: number;
  #pool: Piscina | null = null;
  #running = 0;
  #waiting = 0;
  /** running + waiting, per user */
  #inFlight = new Map<string, number>();
  /** waiting tasks per user; the map's order is the turn order */
  #queues = new Map<string, Pending[]>();
  #closed = false;

  constructor(o: WorkerPoolOptions) {
    this.threads = Math.max(1, o.threads);
    this.perUser = Math.max(1, o.perUser);
    this.#maxQueue = o.maxQueue ?? 200;
    this.#idleTimeout = o.idleTimeoutMs ?? 60_000;
  }

  /** Tasks running and waiting now (metrics, tests). */
  stats(): { running: number; waiting: number; threads: number } {
    return { running: this.#running, waiting: this.#waiting, threads: this.#pool?.threads.length ?? 0 };
  }

  /**
   * Runs a task in a worker thread on behalf of `owner`. JOB_LIMIT when the owner (a user) already has `perUser`
   * tasks running or waiting; TOO_MANY_REQUESTS when the queue is full.
   */
  run<T>(owner: TaskOwner, t: HeavyTask): Promise<T> {
    if (this.#closed) return Promise.reject(new AppError('NOT_READY'));
    if (t.signal?.aborted) return Promise.reject(t.signal.reason ?? new Error('aborted'));
    const user = owner.id ?? owner.kind;
    const had = this.#inFlight.get(user) ?? 0;
    if (owner.kind !== 'system' && had >= this.perUser) {
      return Promise.reject(new AppError('JOB_LIMIT', { running: had }));
    }
    if (this.#waiting >= this.#maxQueue) return Promise.reject(new AppError('TOO_MANY_REQUESTS', { seconds: 10 }));
    this.#inFlight.set(user, had + 1);
    return new Promise<T>((ok, fail) => {
      const p: Pending = { t, user, ok: ok as (v: unknown) => void, fail };
      const q = this.#queues.get(user);
      if (q) q.push(p);
      else this.#queues.set(user, [p]);
      this.#waiting++;
      t.signal?.addEventListener('abort', () => this.#dropWaiting(p), { once: true });
      this.#dispatch();
    });
  }

  #dropWaiting(p: Pending): void {
    const q = this.#queues.get(p.user);
    const i = q?.indexOf(p) ?? -1;
    if (!q || i < 0) return; // already running: piscina stops it through the same signal
    q.splice(i, 1);
    if (!q.length) this.#queues.delete(p.user);
    this.#waiting--;
    this.#release(p.user);
    p.fail(p.t.signal?.reason ?? new Error('aborted'));
  }

  #release(user: string): void {
    const n = (this.#inFlight.get(user) ?? 1) - 1;
    if (n > 0) this.#inFlight.set(user, n);
    else this.#inFlight.delete(user);
  }

  #dispatch(): void {
    while (this.#running < this.threads && this.#queues.size > 0) {
      const [user, q] = this.#queues.entries().next().value as [string, Pending[]];
      const p = q.shift()!;
      // this user's turn is over: the next waiting task of theirs goes behind the other users'
      this.#queues.delete(user);
      if (q.length) this.#queues.set(user, q);
      this.#waiting--;
      this.#running++;
      this.#start(p);
    }
  }

  #start(p: Pending): void {
    this.#pool ??= new Piscina({
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: this.#idleTimeout,
      execArgv: entryExecArgv(),
    });
    this.#pool
      .run(p.t.task, { filename: p.t.entry.href, transferList: p.t.transferList, signal: p.t.signal })
      // a task stopped because its caller left fails with the caller's reason, not piscina's AbortError
      .then(p.ok, (err: unknown) => p.fail(p.t.signal?.aborted ? (p.t.signal.reason ?? err) : fromWorkerError(err)))
      .finally(() => {
        this.#running--;
        this.#release(p.user);
        this.#dispatch();
      });
  }

  /** Ends the threads; waiting tasks fail with NOT_READY. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const q of this.#queues.values()) for (const p of q) p.fail(new AppError('NOT_READY'));
    this.#queues.clear();
    this.#waiting = 0;
    const pool = this.#pool;
    this.#pool = null;
    await pool?.destroy();
  }
}
