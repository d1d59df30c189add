/**
 * The road network in service: which network is current, its engine in memory, and imports that build a new
 * network beside the old one and swap it in only when complete. A failed import leaves the current network as it
 * was (its rows, its file, its engine).
 */
import './geo.errors.ts';
import { fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorCode } from '../errors.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { RequestCtx } from '../platform/core/context.ts';
import type { Clock, Ids } from '../platform/core/ids.ts';
import type { Db } from '../platform/db/index.ts';
import { emitEvent } from '../platform/events/events.ts';
import { getSetting, putSetting } from '../platform/settings.ts';
import * as repo from './network.repository.ts';
import { type BuildProgress, type BuiltNetwork, buildNetwork } from './network-build.ts';
import type { ChildMessage, ChildRequest } from './network-import.child.ts';
import type { NetworkInfo, RoadEngine } from './road/engine.ts';
import type { AreaFeature, NetworkData, NetworkMeta } from './road/network.ts';
import { createRoadEngine, deserializeGraph, type RoadGraph } from './road/road-engine.ts';
import { readSharedGraph, type SharedNetwork } from './road/shared-graph.ts';

export interface NetworkDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  dataDir: string;
  /** a point farther than this from any drivable road is off the network */
  snapMaxMeters?: number;
  afterCommit?: () => void;
  log?: (msg: string, err?: unknown) => void;
}

export interface ImportJob {
  id: string;
  file: string;
  name: string;
  state: 'running' | 'done' | 'failed';
  phase: string;
  done: number;
  total: number;
  startedAt: string;
  finishedAt: string | null;
  networkId: string | null;
  error: { code: string; message: string; field?: string } | null;
  stats: unknown;
}

/** Called after a swap with the new engine (closures re-resolve their roads on it), inside the swap transaction. */
export type SwapHook = (
  trx: Parameters<Parameters<Db['transaction']>[0]>[0],
  engine: RoadEngine,
  networkId: string,
) => Promise<void>;

const CURRENT = 'roads.current';
const BATCH = 2000;

export class RoadNetworks {
  /** the graph lives in shared memory: worker threads answer from the same buffer (road.worker.ts) */
  #current: { engine: RoadEngine; meta: NetworkMeta; id: string; graph: SharedArrayBuffer } | null = null;
  #jobs = new Map<string, ImportJob>();
  #running: string | null = null;
  #swapHooks: SwapHook[] = [];
  #listeners: (() => void)[] = [];
  /** the current network could not be loaded (file missing or refused) and it was the synthetic demo network */
  #syntheticUnloadable = false;

  constructor(private readonly deps: NetworkDeps) {}

  /** The engine of the current network; NO_ROAD_NETWORK when none is loaded. */
  engine(): RoadEngine {
    if (!this.#current) throw new AppError('NO_ROAD_NETWORK');
    return this.#current.engine;
  }

  /** The current network as worker threads take it: its shared graph, never copied. */
  shared(): SharedNetwork {
    const c = this.#current;
    if (!c) throw new AppError('NO_ROAD_NETWORK');
    return { id: c.id, graph: c.graph, maxSnapMeters: this.deps.snapMaxMeters };
  }

  current(): { id: string; meta: NetworkMeta; info: NetworkInfo } | null {
    const c = this.#current;
    return c ? { id: c.id, meta: c.meta, info: c.engine.info } : null;
  }

  onSwap(hook: SwapHook): void {
    this.#swapHooks.push(hook);
  }

  /** Called after every change of the current network (tile caches, layer versions). */
  onChange(fn: () => void): void {
    this.#listeners.push(fn);
  }

  /** At start-up, and when another process swapped the network: load the current network's graph file. */
  async loadCurrent(): Promise<string> {
    const s = await getSetting(this.deps.db.kysely, CURRENT);
    const id = (s?.value as { id?: string } | undefined)?.id;
    if (!id) return 'no road network yet';
    if (this.#current?.id === id) return `road network ${this.#current.meta.name} already loaded`;
    const row = await repo.findNetwork(this.deps.db.kysely, id);
    this.#syntheticUnloadable = !!row?.synthetic;
    if (!row?.file || !existsSync(row.file)) {
      return `road network ${id}: graph file ${row?.file ?? '?'} is missing — import the network again`;
    }
    const t0 = performance.now();
    let graph: RoadGraph;
    let shared: SharedArrayBuffer;
    try {
      shared = readSharedGraph(row.file);
      graph = deserializeGraph(Buffer.from(shared));
    } catch (err) {
      // an old format or a damaged file: the server starts without roads and says so
      const why = err instanceof Error ? err.message : String(err);
      return `road network ${row.name}: ${why}${why.includes('import the network again') ? '' : ' — import the network again'}`;
    }
    const meta: NetworkMeta = {
      name: row.name,
      synthetic: row.synthetic,
      source: row.source,
      attribution: row.attribution,
    };
    this.#current = {
      id,
      meta,
      engine: createRoadEngine(graph, { maxSnapMeters: this.deps.snapMaxMeters }),
      graph: shared,
    };
    this.#syntheticUnloadable = false;
    this.#changed();
    return `road network ${row.name}${row.synthetic ? ' (synthetic demo)' : ''}: ${row.segment_count} segments, loaded in ${Math.round(performance.now() - t0)} ms`;
  }

  /** The demo network's file is missing or from an older build: the demo may simply build it again. */
  get syntheticUnloadable(): boolean {
    return this.#syntheticUnloadable;
  }

  /**
   * Imports a crash interrupted leave a 'building' network with some rows: marked failed and removed. On the
   * embedded database no other process can be importing; on a server another instance might be, so only those
   * older than a day are taken for interrupted there.
   */
  async recoverInterrupted(embedded: boolean): Promise<string | null> {
    const cutoff = new Date(this.deps.clock.now().getTime() - (embedded ? 0 : 86_400_000));
    const stale = await repo.buildingNetworks(this.deps.db.kysely, cutoff);
    for (const r of stale) await this.#fail(r.id, new Error('the import was interrupted (the process stopped)'));
    return stale.length ? `road networks: ${stale.length} interrupted import(s) cleaned up` : null;
  }

  #changed() {
    for (const fn of this.#listeners) fn();
  }

  jobs(): ImportJob[] {
    return [...this.#jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  job(id: string): ImportJob {
    const j = this.#jobs.get(id);
    if (!j) throw new AppError('NOT_FOUND', { entity: `import ${id}` });
    return j;
  }

  /** Builds a network from data at hand (the synthetic demo network) and makes it current. */
  async installNetwork(
    ctx: RequestCtx,
    net: NetworkData,
    areas: AreaFeature[],
    meta: NetworkMeta,
    onProgress?: (p: BuildProgress) => void,
  ): Promise<string> {
    const id = this.deps.ids.next();
    await repo.insertNetwork(this.deps.db.kysely, { id, ...meta, by: ctx.actor.name, now: this.deps.clock.now() });
    try {
      const built = buildNetwork(net, areas, {
        id,
        meta,
        dataDir: this.deps.dataDir,
        builtAt: this.deps.clock.now().toISOString(),
        onProgress,
      });
      await this.#install(ctx, built);
      return id;
    } catch (err) {
      await this.#fail(id, err);
      throw err;
    }
  }

  /**
   * Starts importing an OSM file (in a child process); returns the job at once. The job's progress is read with
   * job(id); `wait` resolves when it is done (the CLI without a server awaits it).
   */
  startOsmImport(
    ctx: RequestCtx,
    file: string,
    opts: { name?: string; datum?: 'wgs84' | 'gcj02' },
  ): { job: ImportJob; wait: Promise<ImportJob> } {
    if (this.#running) throw new AppError('IMPORT_RUNNING');
    const path = resolve(file);
    if (!existsSync(path)) {
      throw new AppError('OSM_INVALID', { field: 'file', file: basename(file), reason: 'no such file' });
    }
    const id = this.deps.ids.next();
    const job: ImportJob = {
      id,
      file: path,
      name: opts.name?.trim() || basename(path).replace(/\.osm(\.pbf)?$/i, ''),
      state: 'running',
      phase: 'start',
      done: 0,
      total: 0,
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
      networkId: null,
      error: null,
      stats: null,
    };
    this.#jobs.set(id, job);
    this.#running = id;
    const wait = this.#runImport(ctx, job, opts.datum ?? 'wgs84').finally(() => {
      this.#running = null;
      job.finishedAt = this.deps.clock.now().toISOString();
    });
    return { job, wait };
  }

  async #runImport(ctx: RequestCtx, job: ImportJob, datum: 'wgs84' | 'gcj02'): Promise<ImportJob> {
    const meta = { name: job.name, synthetic: false, source: `OpenStreetMap: ${basename(job.file)}` };
    await repo.insertNetwork(this.deps.db.kysely, {
      id: job.id,
      ...meta,
      attribution: '© OpenStreetMap contributors',
      by: ctx.actor.name,
      now: this.deps.clock.now(),
    });
    try {
      const built = await this.#buildInChild(job, {
        file: job.file,
        datum,
        id: job.id,
        name: job.name,
        dataDir: this.deps.dataDir,
        builtAt: this.deps.clock.now().toISOString(),
      });
      job.stats = built.stats;
      await this.#install(ctx, built, (p) => Object.assign(job, p));
      job.state = 'done';
      job.networkId = job.id;
      job.phase = 'done';
    } catch (err) {
      job.state = 'failed';
      job.error =
        err instanceof AppError
          ? { code: err.code, message: err.message_('en'), field: err.field }
          : { code: 'INTERNAL', message: (err as Error).message };
      await this.#fail(job.id, err);
    }
    return job;
  }

  #buildInChild(job: ImportJob, req: ChildRequest): Promise<BuiltNetwork> {
    const child = fork(fileURLToPath(new URL('./network-import.child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise<BuiltNetwork>((ok, fail) => {
      let settled = false;
      child.on('message', (m: ChildMessage) => {
        if (m.kind === 'progress') {
          job.phase = m.phase;
          job.done = m.done;
          job.total = m.total;
        } else if (m.kind === 'done') {
          settled = true;
          const built = JSON.parse(readFileSync(m.resultFile, 'utf8')) as BuiltNetwork;
          rmSync(m.resultFile, { force: true });
          ok(built);
        } else {
          settled = true;
          fail(m.code ? new AppError(m.code as ErrorCode, m.details ?? {}) : new Error(m.message));
        }
      });
      child.on('exit', (code) => {
        if (!settled) fail(new Error(`the import process stopped (exit code ${code})`));
      });
      child.send(req);
    });
  }

  /** Writes the rows of a built network, then swaps it in, in one short transaction. */
  async #install(ctx: RequestCtx, built: BuiltNetwork, onProgress?: (p: BuildProgress) => void): Promise<void> {
    const { db, clock } = this.deps;
    const total = built.roads.length;
    for (let i = 0; i < total; i += BATCH) {
      await repo.insertRoads(db.kysely, built.id, built.roads.slice(i, i + BATCH));
      onProgress?.({ phase: 'roads', done: Math.min(total, i + BATCH), total });
    }
    await repo.insertAreas(db.kysely, built.id, built.areas);
    const shared = readSharedGraph(built.graphFile);
    const engine = createRoadEngine(deserializeGraph(Buffer.from(shared)), {
      maxSnapMeters: this.deps.snapMaxMeters,
    });
    const previous = this.#current?.id ?? null;
    const now = clock.now();
    await db.transaction(async (trx) => {
      await repo.markNetwork(trx, built.id, {
        status: 'ready',
        nodeCount: built.nodeCount,
        segmentCount: built.segmentCount,
        bbox: built.bbox,
        file: built.graphFile,
        readyAt: now,
      });
      const before = await getSetting(trx, CURRENT);
      const old = (before?.value as { id?: string } | undefined)?.id;
      if (old) await repo.markNetwork(trx, old, { status: 'retired' });
      await putSetting(trx, CURRENT, { id: built.id }, now);
      for (const hook of this.#swapHooks) await hook(trx, engine, built.id);
      await recordAudit(trx, ctx, now, {
        action: 'network.swapped',
        entity: 'road_network',
        entityId: built.id,
        before: old ? { id: old } : null,
        after: { id: built.id, name: built.meta.name, source: built.meta.source, segments: built.segmentCount },
      });
      await emitEvent(trx, now, {
        type: 'network.swapped',
        entity: 'road_network',
        entityId: built.id,
        payload: { id: built.id, name: built.meta.name, synthetic: built.meta.synthetic },
        visibility: { permission: 'geo.read' },
      });
    });
    this.#current = { id: built.id, meta: built.meta, engine, graph: shared };
    this.#changed();
    this.deps.afterCommit?.();
    const old = previous && previous !== built.id ? previous : null;
    if (old) await this.#retire(old);
  }

  /** The old network's rows and file go once the new one serves. */
  async #retire(id: string): Promise<void> {
    try {
      const row = await repo.findNetwork(this.deps.db.kysely, id);
      await repo.deleteNetworkRows(this.deps.db.kysely, id);
      if (row?.file) rmSync(row.file, { force: true });
      await repo.markNetwork(this.deps.db.kysely, id, { status: 'retired', file: null });
    } catch (err) {
      this.deps.log?.(`could not remove the rows of retired road network ${id}`, err);
    }
  }

  async #fail(id: string, err: unknown): Promise<void> {
    const message = err instanceof AppError ? err.message_('en') : (err as Error).message;
    try {
      const row = await repo.findNetwork(this.deps.db.kysely, id);
      await repo.deleteNetworkRows(this.deps.db.kysely, id);
      if (row?.file) rmSync(row.file, { force: true });
      rmSync(`${this.deps.dataDir}/networks/${id}.graph`, { force: true });
      await repo.markNetwork(this.deps.db.kysely, id, { status: 'failed', message, file: null });
    } catch (cleanupErr) {
      this.deps.log?.(`could not clean up failed road network ${id}`, cleanupErr);
    }
  }

  async list() {
    const rows = await repo.listNetworks(this.deps.db.kysely);
    const cur = this.#current?.id;
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      source: r.source,
      attribution: r.attribution,
      synthetic: r.synthetic,
      status: r.status,
      nodeCount: r.node_count,
      segmentCount: r.segment_count,
      bbox: r.bbox,
      createdAt: r.created_at.toISOString(),
      readyAt: r.ready_at?.toISOString() ?? null,
      current: r.id === cur,
      message: r.message,
    }));
  }
}
