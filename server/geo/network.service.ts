/**
 * The road network in service: which network is current, its engine in memory, and imports that build a new
 * network beside the old one and swap it in only when complete. A failed import leaves the current network as it
 * was (its rows, its file, its engine).
 */
import './geo.errors.ts';
import { type ChildProcess, fork } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, type ErrorCode } from '../errors.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { type RequestCtx, systemCtx } from '../platform/core/context.ts';
import type { Clock, Ids } from '../platform/core/ids.ts';
import { entryExecArgv, siblingModule } from '../platform/core/source-file.ts';
import type { Db } from '../platform/db/index.ts';
import { emitEvent } from '../platform/events/events.ts';
import type { Job, JobService } from '../platform/jobs/jobs.service.ts';
import { getSetting, putSetting } from '../platform/settings.ts';
import * as repo from './network.repository.ts';
import { type BuildProgress, type BuiltNetwork, buildNetwork, networkDir } from './network-build.ts';
import type { ChildMessage, ChildRequest } from './network-import.child.ts';
import * as placesRepo from './places/places.repository.ts';
import type { NetworkInfo, RoadEngine } from './road/engine.ts';
import type { AreaFeature, NetworkData, NetworkMeta } from './road/network.ts';
import { createRoadEngine, deserializeGraph, type RoadGraph } from './road/road-engine.ts';
import { readSharedGraph, type SharedNetwork } from './road/shared-graph.ts';

export interface NetworkDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** imports run as the platform's jobs: any instance answers for them */
  jobs: JobService;
  dataDir: string;
  /** a point farther than this from any drivable road is off the network */
  snapMaxMeters?: number;
  snapToleranceMeters?: number;
  afterCommit?: () => void;
  log?: (msg: string, err?: unknown) => void;
}

/** An import as `GET /api/v1/geo/imports/{id}` answers it: the platform's job with the network's name. */
export interface ImportJob {
  id: string;
  /** the extract's file name */
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
const IMPORT_KIND = 'roads.import';

/**
 * Import children of this process. The parent ends them when it ends (a crash or a signal); a child whose parent died
 * without that (SIGKILL) sees its IPC channel close and exits (network-import.child.ts).
 */
const children = new Set<ChildProcess>();
let reaping = false;
function reapChildrenOnExit(): void {
  if (reaping) return;
  reaping = true;
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
}

/** Forks the import child, tied to this process's life. */
export function forkImportChild(): ChildProcess {
  reapChildrenOnExit();
  const child = fork(fileURLToPath(siblingModule(import.meta.url, './network-import.child')), [], {
    execArgv: entryExecArgv([]),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export class RoadNetworks {
  /** the graph lives in shared memory: worker threads answer from the same buffer (road.worker.ts) */
  #current: {
    engine: RoadEngine;
    meta: NetworkMeta;
    id: string;
    graph: SharedArrayBuffer;
    /** the engine's graph, for what is read beside a route (its directions) */
    roadGraph: RoadGraph;
  } | null = null;
  #running: string | null = null;
  #children = new Set<ChildProcess>();
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

  /**
   * The current network's id, engine and graph taken together, so that what is read beside an answer (road names,
   * directions) is of the network that answered, even when a swap comes between.
   */
  routing(): { id: string; engine: RoadEngine; graph: RoadGraph } {
    const c = this.#current;
    if (!c) throw new AppError('NO_ROAD_NETWORK');
    return { id: c.id, engine: c.engine, graph: c.roadGraph };
  }

  #snapping(): { maxSnapMeters?: number; snapToleranceMeters?: number } {
    return { maxSnapMeters: this.deps.snapMaxMeters, snapToleranceMeters: this.deps.snapToleranceMeters };
  }

  /** The current network as worker threads take it: its shared graph, never copied. */
  shared(): SharedNetwork {
    const c = this.#current;
    if (!c) throw new AppError('NO_ROAD_NETWORK');
    return { id: c.id, graph: c.graph, ...this.#snapping() };
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
    const file = row?.file ? await this.#localGraph(id, row.file) : null;
    if (!row || !file) {
      return `road network ${id}: graph file ${row?.file ?? '?'} is missing — import the network again`;
    }
    const t0 = performance.now();
    let graph: RoadGraph;
    let shared: SharedArrayBuffer;
    try {
      shared = readSharedGraph(file);
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
      engine: createRoadEngine(graph, this.#snapping()),
      graph: shared,
      roadGraph: graph,
    };
    this.#syntheticUnloadable = false;
    this.#changed();
    await this.#removeOtherGraphs();
    return `road network ${row.name}${row.synthetic ? ' (synthetic demo)' : ''}: ${row.segment_count} segments, loaded in ${Math.round(performance.now() - t0)} ms`;
  }

  /** The demo network's file is missing or from an older build: the demo may simply build it again. */
  get syntheticUnloadable(): boolean {
    return this.#syntheticUnloadable;
  }

  /**
   * The graph file of a network, on this instance's disk: where it was built (this DATA_DIR), or, on a PostgreSQL
   * server with several instances, fetched once from the database into this DATA_DIR. Null when there is none.
   */
  async #localGraph(id: string, built: string): Promise<string | null> {
    // never another instance's DATA_DIR (even on the same machine): its files come and go with that instance
    if (resolve(built).startsWith(`${resolve(networkDir(this.deps.dataDir))}/`) && existsSync(built)) return built;
    const local = join(networkDir(this.deps.dataDir), `${id}.graph`);
    if (existsSync(local)) return local;
    if (this.deps.db.engine !== 'postgres') return null;
    mkdirSync(networkDir(this.deps.dataDir), { recursive: true });
    const part = `${local}.${process.pid}.part`;
    const out = createWriteStream(part);
    let bytes = 0;
    try {
      for await (const chunk of repo.networkFileParts(this.deps.db.kysely, id)) {
        bytes += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
    } catch (err) {
      out.destroy();
      rmSync(part, { force: true });
      throw err;
    }
    if (!bytes) {
      rmSync(part, { force: true });
      return null;
    }
    renameSync(part, local);
    return local;
  }

  /** Graph files of networks no longer current (built or fetched here), and unfinished fetches; not those building. */
  async #removeOtherGraphs(): Promise<void> {
    const dir = networkDir(this.deps.dataDir);
    if (!existsSync(dir)) return;
    const building = new Set(
      (await repo.buildingNetworks(this.deps.db.kysely, this.deps.clock.now())).map((r) => r.id),
    );
    for (const name of readdirSync(dir)) {
      const id = /^([0-9a-f-]{36})\.graph(\.\d+\.part)?$/.exec(name)?.[1];
      if (!id || id === this.#current?.id || id === this.#running || building.has(id)) continue;
      rmSync(join(dir, name), { force: true });
    }
  }

  /**
   * Imports a crash interrupted leave a 'building' network with some rows: marked failed and removed, with the
   * child's result file left behind. On the embedded database no other process can be importing; on a server
   * another instance might be: there only those whose job is no longer running (or, made without a job, older than a
   * day) are taken for interrupted.
   */
  async recoverInterrupted(embedded: boolean): Promise<string | null> {
    const { db, clock } = this.deps;
    const dayAgo = new Date(clock.now().getTime() - 86_400_000);
    const building = await repo.buildingNetworks(db.kysely, clock.now());
    const stale: string[] = [];
    for (const r of building) {
      if (embedded) stale.push(r.id);
      else {
        const job = await this.#findJob(r.id);
        if (job ? job.state !== 'running' : r.created_at <= dayAgo) stale.push(r.id);
      }
    }
    for (const id of stale) await this.#fail(id, new Error('the import was interrupted (the process stopped)'));
    const dir = networkDir(this.deps.dataDir);
    let leftovers = 0;
    if (existsSync(dir)) {
      const alive = new Set(building.filter((r) => !stale.includes(r.id)).map((r) => r.id));
      for (const name of readdirSync(dir)) {
        const m = /^([0-9a-f-]{36})\.result\.json$/.exec(name);
        if (!m || alive.has(m[1])) continue;
        rmSync(join(dir, name), { force: true });
        leftovers++;
      }
    }
    const notes = [
      stale.length ? `${stale.length} interrupted import(s) cleaned up` : '',
      leftovers ? `${leftovers} leftover import result file(s) removed` : '',
    ].filter(Boolean);
    return notes.length ? `road networks: ${notes.join(', ')}` : null;
  }

  async #findJob(id: string): Promise<Job | undefined> {
    try {
      return await this.deps.jobs.get(systemCtx(), id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  /** Ends running import children (shutdown): their jobs fail, the networks they built are cleaned up. */
  async stop(): Promise<void> {
    const exits = [...this.#children].map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(0))));
    for (const c of this.#children) c.kill('SIGTERM');
    await Promise.all(exits);
    await this.deps.jobs.settle();
  }

  #changed() {
    for (const fn of this.#listeners) fn();
  }

  /** An import, on any instance: its job (404 to those who may not read it) with the network's name. */
  async job(ctx: RequestCtx, id: string): Promise<ImportJob> {
    let job: Job;
    try {
      job = await this.deps.jobs.get(ctx, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_FOUND')
        throw new AppError('NOT_FOUND', { entity: `import ${id}` });
      throw err;
    }
    if (job.kind !== IMPORT_KIND) throw new AppError('NOT_FOUND', { entity: `import ${id}` });
    const row = await repo.findNetwork(this.deps.db.kysely, id);
    const result = (job.result ?? null) as { stats?: unknown } | null;
    return {
      id: job.id,
      file: row?.source.replace(/^OpenStreetMap: /, '') ?? '',
      name: row?.name ?? '',
      state: job.state,
      phase: job.phase,
      done: job.done,
      total: job.total,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      networkId: job.state === 'done' ? job.id : null,
      error: job.error,
      stats: result?.stats ?? null,
    };
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
   * Starts importing an OSM file (in a child process) as a platform job; returns the import at once. Any instance
   * answers `job(id)` (and `GET /api/v1/jobs/{id}`); `wait` resolves when it is done (the CLI without a server).
   */
  async startOsmImport(
    ctx: RequestCtx,
    file: string,
    opts: { name?: string; datum?: 'wgs84' | 'gcj02' },
  ): Promise<{ job: ImportJob; wait: Promise<ImportJob> }> {
    if (this.#running) throw new AppError('IMPORT_RUNNING');
    const path = resolve(file);
    if (!existsSync(path)) {
      throw new AppError('OSM_INVALID', { field: 'file', file: basename(file), reason: 'no such file' });
    }
    // one import at a time on the database, whichever instance runs it
    for (const r of await repo.buildingNetworks(this.deps.db.kysely, this.deps.clock.now())) {
      if ((await this.#findJob(r.id))?.state === 'running') throw new AppError('IMPORT_RUNNING');
    }
    const id = this.deps.ids.next();
    const name = opts.name?.trim() || basename(path).replace(/\.osm(\.pbf)?$/i, '');
    this.#running = id;
    try {
      await repo.insertNetwork(this.deps.db.kysely, {
        id,
        name,
        source: `OpenStreetMap: ${basename(path)}`,
        attribution: '© OpenStreetMap contributors',
        synthetic: false,
        by: ctx.actor.name,
        now: this.deps.clock.now(),
      });
      const { done } = await this.deps.jobs.start(
        ctx,
        { kind: IMPORT_KIND, permission: 'roads.import', id, phase: 'start' },
        (progress) => this.#runImport(ctx, { id, path, name, datum: opts.datum ?? 'wgs84' }, progress),
      );
      const wait = done.finally(() => {
        this.#running = null;
      });
      return { job: await this.job(ctx, id), wait: wait.then(() => this.job(ctx, id)) };
    } catch (err) {
      this.#running = null;
      throw err;
    }
  }

  async #runImport(
    ctx: RequestCtx,
    imp: { id: string; path: string; name: string; datum: 'wgs84' | 'gcj02' },
    progress: (p: BuildProgress) => void,
  ): Promise<{ networkId: string; stats: unknown }> {
    try {
      const built = await this.#buildInChild(
        {
          file: imp.path,
          datum: imp.datum,
          id: imp.id,
          name: imp.name,
          dataDir: this.deps.dataDir,
          builtAt: this.deps.clock.now().toISOString(),
        },
        progress,
      );
      await this.#install(ctx, built, progress);
      progress({ phase: 'done', done: 1, total: 1 });
      return { networkId: imp.id, stats: built.stats };
    } catch (err) {
      await this.#fail(imp.id, err);
      throw err;
    }
  }

  #buildInChild(req: ChildRequest, progress: (p: BuildProgress) => void): Promise<BuiltNetwork> {
    const child = forkImportChild();
    this.#children.add(child);
    return new Promise<BuiltNetwork>((ok, fail) => {
      let settled = false;
      child.on('message', (m: ChildMessage) => {
        if (m.kind === 'progress') {
          progress({ phase: m.phase, done: m.done, total: m.total });
        } else if (m.kind === 'done') {
          settled = true;
          try {
            const built = JSON.parse(readFileSync(m.resultFile, 'utf8')) as BuiltNetwork;
            ok(built);
          } catch (err) {
            fail(err);
          } finally {
            rmSync(m.resultFile, { force: true });
          }
        } else {
          settled = true;
          fail(m.code ? new AppError(m.code as ErrorCode, m.details ?? {}) : new Error(m.message));
        }
      });
      child.on('exit', (code, signal) => {
        this.#children.delete(child);
        if (!settled) fail(new Error(`the import process stopped (${signal ?? `exit code ${code}`})`));
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
    const places = built.places ?? [];
    for (let i = 0; i < places.length; i += BATCH) {
      const rows = places.slice(i, i + BATCH).map((pl) => ({ ...pl, id: this.deps.ids.next() }));
      // the synthetic demo network's junctions are demo data like its roads
      await placesRepo.insertNetworkPlaces(db.kysely, built.id, rows, clock.now(), built.meta.synthetic);
      onProgress?.({ phase: 'places', done: Math.min(places.length, i + BATCH), total: places.length });
    }
    await placesRepo.placeNetworkPlaces(db.kysely, built.id);
    const shared = readSharedGraph(built.graphFile);
    // other instances on this server load the graph from the database (they have no such file)
    if (db.engine === 'postgres') await repo.insertNetworkFile(db.kysely, built.id, Buffer.from(shared));
    const roadGraph = deserializeGraph(Buffer.from(shared));
    const engine = createRoadEngine(roadGraph, this.#snapping());
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
    this.#current = { id: built.id, meta: built.meta, engine, graph: shared, roadGraph };
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
      await repo.deleteNetworkFile(this.deps.db.kysely, id);
      if (row?.file) rmSync(row.file, { force: true });
      rmSync(join(networkDir(this.deps.dataDir), `${id}.graph`), { force: true });
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
      await repo.deleteNetworkFile(this.deps.db.kysely, id);
      if (row?.file) rmSync(row.file, { force: true });
      rmSync(join(networkDir(this.deps.dataDir), `${id}.graph`), { force: true });
      rmSync(join(networkDir(this.deps.dataDir), `${id}.result.json`), { force: true });
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
