/**
 * The gazetteer: search over every place (kept in memory per instance, rebuilt after a change: a network swap, a
 * boundary import, a change of the place list, here or on another instance through the event bus) and the
 * administrators' place list (create, change, remove, import, export) under the one scope rule.
 */
import '../geo.errors.ts';
import {
  LIST_KINDS,
  type ListPlace,
  ListPlaceInput,
  type ListPlaceQuery,
  ListPlaceUpdate,
  PLACE_KINDS,
  type PlaceHit,
  PlaceSearchQuery,
} from '../../../contracts/places.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { containsPattern } from '../../platform/db/sql.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import { type PlaceEntry, PlaceIndex, type PlaceMatch } from './place-index.ts';
import * as repo from './places.repository.ts';

export interface PlaceDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  places: PlaceCache;
  /** the district whose polygon holds a point */
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  afterCommit?: () => void;
  workers?: WorkerPool;
}

export const PLACES_MANAGE = 'places.manage';
/** how long a search waits for the new index after a change before it is answered from the older one */
const STALE_AFTER_MS = 1500;

/** The search index of this instance: built on first use, built again on the first use after `invalidate()`. */
export class PlaceCache {
  #index: PlaceIndex | null = null;
  #loading: Promise<PlaceIndex> | null = null;
  #generation = 0;

  constructor(
    private readonly db: Db,
    /** the current road network (its places are searched), null without one */
    private readonly network: () => string | null,
    /** English names of the administrative units (unit code → name), which the boundaries lack */
    private readonly namesEn: () => Record<string, string> = () => ({}),
  ) {}

  invalidate(): void {
    this.#generation++;
  }

  /**
   * The index as of the last change. A search after a change waits for the new index, but not longer than
   * `STALE_AFTER_MS` when an older one exists (a province's index takes seconds to build): it is then answered from
   * the older one.
   */
  async index(): Promise<PlaceIndex> {
    for (;;) {
      const generation = this.#generation;
      if (this.#index && this.#builtFor === generation) return this.#index;
      this.#loading ??= this.#load()
        .then((index) => {
          this.#index = index;
          this.#builtFor = generation;
          return index;
        })
        .finally(() => {
          this.#loading = null;
        });
      const older = this.#index;
      if (!older) {
        await this.#loading;
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<null>((r) => {
        timer = setTimeout(() => r(null), STALE_AFTER_MS);
      });
      // a failed build leaves the older index answering (the next search tries again)
      const built = await Promise.race([this.#loading.catch(() => null), late]).finally(() => clearTimeout(timer));
      if (built === null) return older;
    }
  }

  #builtFor = -1;

  async #load(): Promise<PlaceIndex> {
    const rows = await repo.allPlaces(this.db.kysely, this.network());
    const en = this.namesEn();
    const entries: PlaceEntry[] = rows.map((r) => ({
      id: r.id,
      name: r.name,
      nameEn: r.name_en ?? (r.source === 'admin' && r.district_code ? (en[r.district_code] ?? null) : null),
      kind: r.kind,
      source: r.source as PlaceEntry['source'],
      districtCode: r.district_code,
      lon: Number(r.lon),
      lat: Number(r.lat),
      demo: r.demo,
      approximate: r.approximate,
    }));
    return PlaceIndex.build(entries);
  }
}

function parseNear(near: string | undefined): [number, number] | undefined {
  if (!near) return undefined;
  const [lon, lat] = near.split(',').map(Number);
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw new AppError('VALIDATION', { field: 'near', reason: { zh: '格式为 经度,纬度', en: 'lon,lat in degrees' } });
  }
  return [lon, lat];
}

/** A match as the API answers it. */
export function placeHit(m: PlaceMatch): PlaceHit {
  const e = m.entry;
  return {
    id: e.id,
    name: e.name,
    nameEn: e.nameEn,
    kind: e.kind,
    source: e.source,
    districtCode: e.districtCode,
    point: [e.lon, e.lat],
    demo: e.demo,
    approximate: e.approximate,
    match: m.match,
    ...(m.meters !== undefined ? { meters: m.meters } : {}),
  };
}

/** `GET /api/v1/geo/places?q=&near=&limit=`: the best places for the query, nearer to `near` first among equals. */
export async function searchPlaces(
  deps: Pick<PlaceDeps, 'places'>,
  ctx: RequestCtx,
  query: PlaceSearchQuery,
): Promise<{ items: PlaceHit[]; total: number }> {
  requirePermission(ctx.actor, 'geo.read');
  checkInput(PlaceSearchQuery, query);
  const index = await deps.places.index();
  const items = index.search(query.q, { near: parseNear(query.near), limit: query.limit ?? 10 }).map(placeHit);
  return { items, total: items.length };
}

/** A place's kind in words: `镇 Town`, with `示例 demo` / `位置近似 approximate` when so marked. */
export function placeSubtitle(h: PlaceHit, lang: 'zh' | 'en'): string {
  const k = (PLACE_KINDS as Record<string, { zh: string; en: string }>)[h.kind];
  const parts = [k ? k[lang] : h.kind];
  if (lang === 'zh' && h.nameEn) parts.push(h.nameEn);
  if (lang === 'en' && h.nameEn) parts.unshift(h.name);
  if (h.approximate) parts.push(lang === 'zh' ? '位置近似' : 'approximate position');
  if (h.demo) parts.push(lang === 'zh' ? '示例数据' : 'demo data');
  return parts.join(' · ');
}

// ---- the place list

function listPlaceOf(r: repo.ListPlaceRow): ListPlace {
  return {
    id: r.id,
    name: r.name,
    nameEn: r.name_en,
    kind: r.kind,
    source: 'list',
    districtCode: r.district_code,
    point: [Number(r.lon), Number(r.lat)],
    demo: r.demo,
    approximate: r.approximate,
    note: r.note,
    createdBy: r.created_by,
    updatedAt: new Date(r.updated_at).toISOString(),
    version: r.version,
  };
}

export async function listListPlaces(
  deps: Pick<PlaceDeps, 'db'>,
  ctx: RequestCtx,
  q: ListPlaceQuery,
): Promise<{ items: ListPlace[]; total: number }> {
  requirePermission(ctx.actor, PLACES_MANAGE);
  const { rows, total } = await repo.listListPlaces(
    deps.db.kysely,
    { like: q.q?.trim() ? containsPattern(q.q.trim()) : undefined, kind: q.kind, district: q.district, demo: q.demo },
    { limit: q.limit ?? 20, offset: q.offset ?? 0 },
  );
  return { items: rows.map(listPlaceOf), total };
}

async function getListPlace(deps: Pick<PlaceDeps, 'db'>, id: string, db: Tx = deps.db.kysely) {
  const row = await repo.findListPlace(db, id);
  if (!row) throw new AppError('NOT_FOUND', { entity: `place ${id}` });
  return row;
}

export interface PreparedPlace extends repo.ListPlaceValues {}

/** The checks of a new or changed place, without writing: input, permission, its district, the data scope. */
export async function preparePlace(deps: PlaceDeps, ctx: RequestCtx, input: ListPlaceInput): Promise<PreparedPlace> {
  requirePermission(ctx.actor, PLACES_MANAGE);
  checkInput(ListPlaceInput, input);
  const [lon, lat] = input.point;
  const district = await deps.districtAt(lon, lat);
  // a place is the district's it lies in and its creator's unit: the one scope rule
  requireInScope(ctx.actor, { district: district?.code ?? null, unit: ctx.actor.unitCode }, 'point');
  return {
    name: input.name.trim(),
    nameEn: input.nameEn?.trim() || null,
    kind: input.kind,
    lon,
    lat,
    districtCode: district?.code ?? null,
    approximate: input.approximate ?? false,
    demo: false,
    note: input.note?.trim() || null,
  };
}

async function changed(
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  action: string,
  id: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(trx, ctx, now, {
    action,
    entity: 'place',
    entityId: id,
    before: before as Record<string, unknown> | null,
    after: after as Record<string, unknown> | null,
  });
  // every instance rebuilds its search index (internal: no browser needs it)
  await emitEvent(trx, now, {
    type: 'places.changed',
    entity: 'place',
    entityId: id,
    payload: { id },
    visibility: { permission: 'geo.read', internal: true },
  });
}

/** Writes a checked place inside the caller's transaction (the import's, or createListPlace's). */
export async function writePlace(
  deps: Pick<PlaceDeps, 'ids'>,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedPlace,
  now: Date,
): Promise<string> {
  const id = deps.ids.next();
  await repo.insertListPlace(trx, { ...p, id, by: ctx.actor.name, unit: ctx.actor.unitCode, now });
  await changed(trx, ctx, now, 'place.created', id, null, { name: p.name, kind: p.kind, point: [p.lon, p.lat] });
  return id;
}

export function committedPlaces(deps: Pick<PlaceDeps, 'places' | 'afterCommit'>): void {
  deps.places.invalidate();
  deps.afterCommit?.();
}

export async function createListPlace(deps: PlaceDeps, ctx: RequestCtx, input: ListPlaceInput): Promise<ListPlace> {
  const p = await preparePlace(deps, ctx, input);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writePlace(deps, trx, ctx, p, now));
  committedPlaces(deps);
  return listPlaceOf(await getListPlace(deps, id));
}

export async function updateListPlace(
  deps: PlaceDeps,
  ctx: RequestCtx,
  id: string,
  input: ListPlaceUpdate,
): Promise<ListPlace> {
  requirePermission(ctx.actor, PLACES_MANAGE);
  checkInput(ListPlaceUpdate, input);
  const before = await getListPlace(deps, id);
  requireInScope(ctx.actor, { district: before.district_code, unit: before.created_by_unit });
  const { version, ...rest } = input;
  const p = await preparePlace(deps, ctx, rest);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const n = await repo.updateListPlace(trx, id, version, { ...p, demo: before.demo, now });
    if (n === 0) throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    await changed(
      trx,
      ctx,
      now,
      'place.updated',
      id,
      { name: before.name, kind: before.kind, point: [before.lon, before.lat] },
      { name: p.name, kind: p.kind, point: [p.lon, p.lat] },
    );
  });
  committedPlaces(deps);
  return listPlaceOf(await getListPlace(deps, id));
}

export async function deleteListPlace(deps: PlaceDeps, ctx: RequestCtx, id: string): Promise<void> {
  requirePermission(ctx.actor, PLACES_MANAGE);
  const before = await getListPlace(deps, id);
  requireInScope(ctx.actor, { district: before.district_code, unit: before.created_by_unit });
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.deleteListPlace(trx, id);
    await changed(trx, ctx, now, 'place.deleted', id, { name: before.name, kind: before.kind }, null);
  });
  committedPlaces(deps);
}

const kindLabel = (k: string, lang: 'zh' | 'en') =>
  (PLACE_KINDS as Record<string, { zh: string; en: string }>)[k]?.[lang] ?? k;

/** The place list as a workbook (the filters of the list; at most 50,000 rows), in the reader's language. */
export async function exportListPlaces(
  deps: PlaceDeps,
  ctx: RequestCtx,
  q: ListPlaceQuery,
): Promise<{ file: Buffer; rows: number }> {
  requirePermission(ctx.actor, PLACES_MANAGE);
  const zh = ctx.lang === 'zh';
  const PAGE = 1000;
  let rows = 0;
  async function* pages() {
    for (let offset = 0; offset < 50_000; offset += PAGE) {
      const page = await listListPlaces(deps, ctx, { ...q, limit: PAGE, offset });
      if (page.items.length === 0) return;
      rows += page.items.length;
      yield page.items;
      if (page.items.length < PAGE) return;
    }
  }
  // the import's own column headers, so that an export can be edited and imported again
  const columns: Column<ListPlace>[] = [
    { header: zh ? '名称' : 'Name', width: 24, value: (p) => p.name },
    { header: zh ? '英文名称' : 'English name', width: 28, value: (p) => p.nameEn },
    { header: zh ? '类别' : 'Kind', width: 12, value: (p) => `${p.kind} ${kindLabel(p.kind, ctx.lang)}` },
    { header: zh ? '经度' : 'Longitude', width: 12, value: (p) => p.point[0] },
    { header: zh ? '纬度' : 'Latitude', width: 12, value: (p) => p.point[1] },
    {
      header: zh ? '位置近似' : 'Approximate',
      width: 10,
      value: (p) => (p.approximate ? (zh ? '是' : 'yes') : zh ? '否' : 'no'),
    },
    { header: zh ? '备注' : 'Note', width: 30, value: (p) => p.note },
    { header: zh ? '所属区市' : 'District', width: 10, value: (p) => p.districtCode },
    { header: zh ? '示例数据' : 'Demo', width: 8, value: (p) => (p.demo ? (zh ? '是' : 'yes') : '') },
  ];
  const note = zh
    ? '地名表导出（WGS-84 坐标）。示例数据的位置为近似位置。'
    : 'Place list export (WGS-84). Demo places have approximate positions.';
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor } : undefined;
  const file = await workbookOf(zh ? '地名表' : 'Places', columns, pages(), note, offThread);
  return { file, rows };
}

export const LIST_KIND_OPTIONS = LIST_KINDS.map((k) => ({ value: k, ...PLACE_KINDS[k] }));
