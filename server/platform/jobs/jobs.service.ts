/**
 * Jobs: long work (a road network import, a register import or export, a large analysis) that answers at once with
 * a job, runs in the background, and reports its progress in the database, so that any instance can answer
 * `GET /api/v1/jobs/{id}`. A job whose instance stopped (no heartbeat for a while) is marked failed at the next
 * start of any instance.
 */
import { hostname } from 'node:os';
import type { Job } from '../../../contracts/jobs.ts';
import { AppError } from '../../errors.ts';
import { can, type RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db } from '../db/index.ts';
import * as repo from './jobs.repository.ts';

export interface JobProgress {
  phase: string;
  done: number;
  total: number;
}

export type { Job };

const PROGRESS_EVERY_MS = 500;
const HEARTBEAT_MS = 30_000;
/** a running job not heard of for this long belongs to an instance that stopped */
const STALE_MS = 3 * HEARTBEAT_MS;

export class JobService {
  readonly instance = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  #running = new Map<string, Promise<Job>>();
  #beat: NodeJS.Timeout | null = null;

  constructor(private readonly deps: { db: Db; clock: Clock; ids: Ids; log?: (msg: string, err?: unknown) => void }) {}

  /**
   * Starts `run` in the background and returns its job at once. `permission` lets others than the owner read it;
   * `id` names the job after the record it makes (a road network import's network).
   * `run` reports progress through its argument; its result (or its AppError) ends the job.
   */
  async start(
    ctx: RequestCtx,
    opts: { kind: string; permission: string; phase?: string; id?: string },
    run: (progress: (p: Partial<JobProgress>) => void) => Promise<unknown>,
  ): Promise<{ job: Job; done: Promise<Job> }> {
    const { db, clock, ids } = this.deps;
    const id = opts.id ?? ids.next();
    const now = clock.now();
    await repo.insertJob(db.kysely, {
      id,
      kind: opts.kind,
      permission: opts.permission,
      owner_id: ctx.actor.id,
      owner_name: ctx.actor.name,
      state: 'running',
      phase: opts.phase ?? 'start',
      instance: this.instance,
      started_at: now,
      heartbeat_at: now,
    });
    this.#startHeartbeat();
    const progress: JobProgress = { phase: opts.phase ?? 'start', done: 0, total: 0 };
    let written = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const report = (p: Partial<JobProgress>) => {
      Object.assign(progress, p);
      const t = Date.now();
      if (t - written < PROGRESS_EVERY_MS) return;
      written = t;
      const snapshot = { ...progress };
      writing = writing.then(() =>
        repo.updateJob(db.kysely, id, { ...snapshot, heartbeat_at: clock.now() }).catch(() => undefined),
      );
    };
    const done = (async () => {
      let end: Parameters<typeof repo.updateJob>[2];
      try {
        const result = await run(report);
        end = { ...progress, state: 'done', result: JSON.stringify(result ?? null) };
      } catch (err) {
        const error =
          err instanceof AppError
            ? { code: err.code, message: err.message_(ctx.lang), field: err.field }
            : { code: 'INTERNAL', message: (err as Error).message };
        if (!(err instanceof AppError)) this.deps.log?.(`job ${opts.kind} ${id} failed`, err);
        end = { ...progress, state: 'failed', error: JSON.stringify(error) };
      }
      await writing;
      await repo.updateJob(db.kysely, id, { ...end, finished_at: clock.now(), heartbeat_at: clock.now() });
      this.#running.delete(id);
      return this.get(ctx, id, { skipAccess: true });
    })();
    this.#running.set(id, done);
    const job = await this.get(ctx, id, { skipAccess: true });
    return { job, done };
  }

  /** The job, to its owner or to users with the job's permission; 404 to anyone else. */
  async get(ctx: RequestCtx, id: string, opts: { skipAccess?: boolean } = {}): Promise<Job> {
    const r = await repo.findJob(this.deps.db.kysely, id);
    const allowed = r && (opts.skipAccess || r.owner_id === ctx.actor.id || can(ctx.actor, r.permission));
    if (!r || !allowed) throw new AppError('NOT_FOUND', { entity: `job ${id}` });
    return {
      id: r.id,
      kind: r.kind,
      state: r.state as Job['state'],
      phase: r.phase,
      done: Number(r.done),
      total: Number(r.total),
      ownerName: r.owner_name,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      result: r.result ?? null,
      error: (r.error as Job['error']) ?? null,
    };
  }

  /** Jobs of a kind, newest first (an administration page's history). */
  async list(ctx: RequestCtx, kind: string, limit = 20): Promise<Job[]> {
    const rows = await repo.listJobs(this.deps.db.kysely, kind, limit);
    const visible = rows.filter((r) => r.owner_id === ctx.actor.id || can(ctx.actor, r.permission));
    return Promise.all(visible.map((r) => this.get(ctx, r.id, { skipAccess: true })));
  }

  /** At start: jobs of instances that stopped mid-way are failed (their work is gone). Returns how many. */
  async failAbandoned(): Promise<number> {
    const { db, clock } = this.deps;
    const before = new Date(clock.now().getTime() - STALE_MS);
    return repo.failStale(db.kysely, before, clock.now(), {
      code: 'INTERRUPTED',
      message: 'the process running this job stopped / 执行该任务的进程已停止',
    });
  }

  /** Waits for this instance's running jobs (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  stop(): void {
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
  }

  #startHeartbeat(): void {
    if (this.#beat) return;
    this.#beat = setInterval(() => {
      if (!this.#running.size) return;
      void repo
        .heartbeat(this.deps.db.kysely, [...this.#running.keys()], this.deps.clock.now())
        .catch((err) => this.deps.log?.('job heartbeat failed', err));
    }, HEARTBEAT_MS);
    this.#beat.unref();
  }
}
