import { type Alert, type AlertAck, severityRank } from '../../../contracts/alerts.ts';
import { type LocationEntered, toWgs84 } from '../../../contracts/coordinates.ts';
import { EXERCISE_TAG, type ExerciseMark } from '../../../contracts/exercises-mark.ts';
import {
  describeLevelBasis,
  describeLogEntry,
  type LevelBasis,
  type ModuleLogFacts,
} from '../../../contracts/incident-text.ts';
import {
  type Casualties,
  type Category,
  categoryOf,
  DEFAULT_DUPLICATE_RULE,
  DuplicateRule,
  findEventType,
  type Incident,
  IncidentInput,
  type IncidentListQuery,
  IncidentPatch,
  isLeafType,
  LEVELS,
  type Level,
  type LogEntry,
  LogInput,
  STATUSES,
  type Status,
  TRANSITIONS,
  Transition,
} from '../../../contracts/incidents.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import type { ChangeCache } from '../../platform/cache/change-cache.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { nextNumber } from '../../platform/numbering.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { parseTime } from '../../platform/time.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import './incidents.errors.ts';
import * as repo from './incidents.repository.ts';
import { computeLevel, type LevelRule, type LevelRules, NATURAL_2016, ORDER_493 } from './level.ts';

export interface IncidentDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** called after a commit so that events go out at once */
  afterCommit: () => void;
  /** list pages with their totals, until the next change to incidents */
  listCache: ChangeCache<{ items: Incident[]; total: number }>;
  /** the district whose polygon holds a point (the geo module's boundaries) */
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  /** the city's sea area holding the point, with the district it is assigned to (null: the city's own) */
  seaAreaAt(lng: number, lat: number): Promise<{ districtCode: string | null } | undefined>;
  /** exports build their workbooks in worker threads; without a pool, in this thread */
  workers?: WorkerPool;
  /** the platform's alarms: a new incident and a level rise raise one */
  alerts: Pick<AlertsApi, 'raise' | 'resolve'>;
}

/**
 * An alarm for a new incident, or for its level's rise, by its level (an incident without a level alarms as IV),
 * visible as the incident is.
 */
async function raiseAlarm(
  deps: IncidentDeps,
  trx: Tx,
  now: Date,
  row: repo.IncidentRow,
  why: 'created' | 'raised',
): Promise<void> {
  const severity = (row.level as Level | null) ?? 'IV';
  const what = `${row.number} ${row.title}`;
  // an exercise's incident: its alarm says 演练 first (the tray, banner and sound show it as a drill)
  const zh = row.exercise_id ? EXERCISE_TAG.zh : '';
  const en = row.exercise_id ? EXERCISE_TAG.en : '';
  await deps.alerts.raise(trx, now, {
    source: 'incident',
    sourceId: row.id,
    severity,
    title:
      why === 'created'
        ? { zh: `${zh}新接报：${what}`, en: `${en}New incident: ${what}` }
        : { zh: `${zh}级别升至 ${severity}级：${what}`, en: `${en}Level raised to ${severity}: ${what}` },
    link: `/incidents/${row.id}`,
    visibility: incidentVisibility(row),
  });
}

/** A rise of the level in force (computed or set by hand); an unassessed incident counts as IV, as its alarm did. */
function levelRose(before: string | null, after: string | null): boolean {
  return severityRank((after ?? 'IV') as Level) < severityRank((before ?? 'IV') as Level);
}

/**
 * 接报确认 of an incident's alarm (the alert service calls it in the acknowledging transaction): who acknowledged, for
 * which unit and when, on the incident's log (its `data` complete enough to be said in either language), audited,
 * and the log's live event.
 */
export async function recordAcknowledgement(
  deps: IncidentDeps,
  trx: Tx,
  alert: Alert & { acknowledged: AlertAck },
  ctx: RequestCtx,
): Promise<void> {
  const r = await repo.findIncident(trx, alert.sourceId);
  if (!r) return;
  const ack = alert.acknowledged;
  const at = new Date(ack.at);
  const entryId = deps.ids.next();
  const data = {
    unitId: ack.unitId,
    unitCode: ack.unitCode,
    unitName: ack.unitName,
    ...(ack.unitNameEn ? { unitNameEn: ack.unitNameEn } : {}),
    userName: ack.userName,
    alertId: alert.id,
    severity: alert.severity,
  };
  // 接报确认：<unit>（<user>）, kept for the audit trail; readers see the facts in their language
  const text = describeLogEntry('acknowledged', data, 'zh') ?? '';
  await repo.insertLog(trx, {
    id: entryId,
    incidentId: r.id,
    at,
    kind: 'acknowledged',
    text,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    data,
  });
  await recordAudit(trx, ctx, at, { action: 'incident.acknowledged', entity: 'incident', entityId: r.id, after: data });
  await emitEvent(trx, at, {
    type: 'incident.log_added',
    entity: 'incident',
    entityId: r.id,
    payload: { incidentId: r.id, id: entryId, kind: 'acknowledged', text, data, at: ack.at, actor: ctx.actor.name },
    visibility: incidentVisibility(r),
  });
}

/** Who may see an incident: readers of incidents in its district, and its reporting unit. */
export function incidentVisibility(r: { district_code: string | null; created_by_unit: string | null }): Visibility {
  return { permission: 'incidents.read', district: r.district_code, unit: r.created_by_unit };
}

/**
 * A district user works inside their district: a report they make or a location they set must lie in it (a report
 * without a location stays theirs through their unit). Moving an incident elsewhere, or out of the city, would
 * take it out of their own register: refused as outside their scope.
 */
/**
 * A district user reports and moves incidents inside their district only (a report without a place is theirs). The
 * refusal names both districts in words: "the place is in Wendeng; district staff handle Huancui's records".
 */
async function requirePlaceInScope(
  deps: IncidentDeps,
  actor: RequestCtx['actor'],
  districtCode: string | null,
  creating: boolean,
): Promise<void> {
  if (actor.scope !== 'district') return;
  if (districtCode === actor.unitCode || (creating && districtCode === null)) return;
  const names = await repo.unitNames(deps.db.kysely, [actor.unitCode ?? '', districtCode ?? '']);
  const own = names.find((n) => n.code === actor.unitCode);
  const there = districtCode ? names.find((n) => n.code === districtCode) : undefined;
  const ownZh = own?.name ?? actor.unitCode ?? '';
  const ownEn = own?.name_en || ownZh;
  const scope = there
    ? {
        zh: `该位置在${there.name}，区市人员只能登记和处理本区市（${ownZh}）的事件`,
        en: `the place is in ${there.name_en || there.name}; district staff report and handle incidents in their own district (${ownEn})`,
      }
    : {
        zh: `该位置不在${ownZh}（在市外或未定位），区市人员只能登记和处理本区市的事件`,
        en: `the place is not in ${ownEn} (outside the city or unplaced); district staff report and handle incidents in their own district`,
      };
  throw new AppError('OUT_OF_SCOPE', { field: 'location', scope });
}

const NATURAL_RULE_KEY = 'incidents.level_rule.natural';
const DUPLICATE_RULE_KEY = 'incidents.duplicate_rule';

function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

/** The incident as the viewer may see it: the reporter's phone is masked without personal.read. */
export function toIncidentDto(r: repo.IncidentRow, ctx: RequestCtx | null): Incident {
  const showPhone = ctx === null || can(ctx.actor, 'personal.read');
  const type = findEventType(r.type_code);
  const basisFacts = r.level_basis_data as LevelBasis | null;
  return {
    id: r.id,
    number: r.number,
    title: r.title,
    description: r.description,
    typeCode: r.type_code,
    // the standard's name; ours in English for a reader in English (events and audit rows keep the standard's)
    typeName: (ctx?.lang === 'en' ? type?.nameEn : type?.name) ?? r.type_code,
    category: r.category as Category,
    occurredAt: r.occurred_at.toISOString(),
    reportedAt: r.reported_at.toISOString(),
    location: r.lng === null || r.lat === null ? null : { type: 'Point', coordinates: [Number(r.lng), Number(r.lat)] },
    locationEntered: (r.location_entered as unknown as LocationEntered | null) ?? null,
    address: r.address,
    reporter: {
      name: r.reporter_name,
      unit: r.reporter_unit,
      phone: showPhone ? r.reporter_phone : maskPhone(r.reporter_phone),
    },
    casualties: casualtiesOf(r),
    directLossWan: Number(r.direct_loss_wan),
    district: r.district_code ? { code: r.district_code, name: r.district_name ?? r.district_code } : null,
    districtStatus: r.district_status as Incident['districtStatus'],
    level: r.level as Level | null,
    computedLevel: r.computed_level as Level | null,
    levelBasis: basisFacts ? describeLevelBasis(basisFacts, 'zh') : r.level_basis,
    levelBasisEn: basisFacts ? describeLevelBasis(basisFacts, 'en') : r.level_basis,
    levelOverride: r.level_override
      ? {
          level: r.level_override,
          reason: r.level_override_reason ?? '',
          by: r.level_override_by ?? '',
          at: iso(r.level_override_at) ?? '',
        }
      : null,
    status: r.status as Status,
    closedAt: iso(r.closed_at),
    possibleDuplicateOf: r.possible_duplicate_of ?? [],
    mergedInto: r.merged_into
      ? {
          id: r.merged_into,
          number: r.merged_into_number ?? r.merged_into,
          at: iso(r.merged_at) ?? '',
          by: r.merged_by ?? '',
        }
      : null,
    demo: r.demo,
    exercise: r.exercise_id ? { id: r.exercise_id, title: r.exercise_title ?? '' } : null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The rules in force; `naturalVersion` is 0 while the default stands, and goes up with each change. */
export async function getLevelRules(db: Tx): Promise<LevelRules & { naturalVersion: number }> {
  const s = await getSetting(db, NATURAL_RULE_KEY);
  return {
    accident: ORDER_493,
    natural: (s?.value as LevelRule | undefined) ?? NATURAL_2016,
    naturalVersion: s?.version ?? 0,
  };
}

export async function setNaturalRule(
  deps: IncidentDeps,
  ctx: RequestCtx,
  body: LevelRule & { version?: number },
): Promise<LevelRules & { naturalVersion: number }> {
  const { version, ...rule } = body;
  requirePermission(ctx.actor, 'incidents.rules');
  for (const [i, c] of rule.criteria.entries()) {
    if (!(c.I > c.II && c.II > c.III && c.III > 0)) {
      throw new AppError('VALIDATION', { field: `criteria.${i}`, reason: 'I > II > III > 0' });
    }
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const before = await getLevelRules(trx);
    if (version !== undefined && version !== before.naturalVersion) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.naturalVersion });
    }
    await putSetting(trx, NATURAL_RULE_KEY, rule, now);
    await recordAudit(trx, ctx, now, {
      action: 'incident.level_rule_changed',
      entity: 'setting',
      entityId: NATURAL_RULE_KEY,
      before: before.natural,
      after: rule,
    });
  });
  return getLevelRules(deps.db.kysely);
}

/** When a report is flagged as a possible duplicate; `version` is 0 while the default stands. */
export async function getDuplicateRule(db: Tx): Promise<DuplicateRule & { version: number }> {
  const s = await getSetting(db, DUPLICATE_RULE_KEY);
  return { ...DEFAULT_DUPLICATE_RULE, ...(s?.value as DuplicateRule | undefined), version: s?.version ?? 0 };
}

export async function setDuplicateRule(
  deps: IncidentDeps,
  ctx: RequestCtx,
  body: DuplicateRule & { version?: number },
): Promise<DuplicateRule & { version: number }> {
  requirePermission(ctx.actor, 'incidents.rules');
  const { version, ...rule } = body;
  checkInput(DuplicateRule, rule);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const before = await getDuplicateRule(trx);
    if (version !== undefined && version !== before.version) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    }
    await putSetting(trx, DUPLICATE_RULE_KEY, rule, now);
    const { version: _v, ...was } = before;
    await recordAudit(trx, ctx, now, {
      action: 'incident.duplicate_rule_changed',
      entity: 'setting',
      entityId: DUPLICATE_RULE_KEY,
      before: was,
      after: rule,
    });
  });
  return getDuplicateRule(deps.db.kysely);
}

/**
 * Finds and stores the open incidents this one may repeat (none without a place). Run when an incident is reported
 * and when its place, time or type changes; the row passed is updated to match.
 */
async function flagDuplicates(trx: Tx, row: repo.IncidentRow, rule: DuplicateRule): Promise<void> {
  const ids =
    row.lng === null || row.lat === null || row.merged_into
      ? []
      : await repo.findDuplicateCandidates(trx, {
          excludeId: row.id,
          match: rule.match,
          typeCode: row.type_code,
          category: row.category,
          lng: Number(row.lng),
          lat: Number(row.lat),
          occurredAt: row.occurred_at,
          meters: rule.distanceMeters,
          hours: rule.hours,
        });
  const had = row.possible_duplicate_of ?? [];
  if (ids.length === had.length && ids.every((x, i) => x === had[i])) return;
  await repo.setPossibleDuplicates(trx, row.id, ids);
  row.possible_duplicate_of = ids;
}

function checkType(code: string): Category {
  const category = categoryOf(code);
  if (!category) throw new AppError('UNKNOWN_TYPE_CODE', { field: 'typeCode', value: code });
  // a report names what happened: a type, not a class of types (11G00 forest and grassland fires)
  if (!isLeafType(code)) throw new AppError('TYPE_NOT_LEAF', { field: 'typeCode', value: code });
  return category;
}

/** The point entered in a datum, converted to WGS-84 (undefined when none was entered). */
function enteredPoint(e: LocationEntered | undefined): { coordinates: number[] } | undefined {
  return e ? { coordinates: toWgs84(e.datum, e.coordinates[0], e.coordinates[1]) } : undefined;
}

function checkPoint(p: { coordinates: number[] } | null | undefined): { lng: number | null; lat: number | null } {
  if (!p) return { lng: null, lat: null };
  const [lng, lat] = p.coordinates;
  if (!Number.isFinite(lng) || !Number.isFinite(lat) || lng < -180 || lng > 180 || lat < -90 || lat > 90) {
    throw new AppError('COORDINATES_OUT_OF_RANGE', { field: 'location.coordinates' });
  }
  return { lng, lat };
}

async function locate(deps: IncidentDeps, lng: number | null, lat: number | null) {
  if (lng === null || lat === null) return { district_code: null, district_status: 'unknown' };
  const d = await deps.districtAt(lng, lat);
  if (d) return { district_code: d.code, district_status: 'inside' };
  // at sea off the city: the district the waters are assigned to sees it (the city's own waters: city-wide users)
  const sea = await deps.seaAreaAt(lng, lat);
  if (sea) return { district_code: sea.districtCode, district_status: 'sea' };
  return { district_code: null, district_status: 'outside' };
}

const ZERO: Casualties = { deaths: 0, missing: 0, seriouslyInjured: 0, injured: 0, affected: 0, relocated: 0 };

/** The one mapping between the casualty fields and their columns. */
const CASUALTY_COLUMNS = {
  deaths: 'deaths',
  missing: 'missing',
  seriouslyInjured: 'seriously_injured',
  injured: 'injured',
  affected: 'affected',
  relocated: 'relocated',
} as const satisfies Record<keyof Casualties, keyof repo.IncidentRow>;
type CasualtyColumns = { [K in keyof Casualties as (typeof CASUALTY_COLUMNS)[K]]: number };

function casualtyColumns(c: Casualties): CasualtyColumns {
  const out: Record<string, number> = {};
  for (const [field, column] of Object.entries(CASUALTY_COLUMNS)) out[column] = c[field as keyof Casualties];
  return out as CasualtyColumns;
}

function casualtiesOf(r: CasualtyColumns): Casualties {
  const out: Record<string, number> = {};
  for (const [field, column] of Object.entries(CASUALTY_COLUMNS)) out[field] = r[column];
  return out as Casualties;
}

// Counts are cached until the next write: the register asks the same totals again and again.
function filtersOf(q: IncidentListQuery): repo.IncidentFilters {
  const split = (s?: string) =>
    s
      ?.split(',')
      .map((x) => x.trim())
      .filter(Boolean) ?? [];
  const statuses = split(q.status);
  for (const s of statuses)
    if (!(STATUSES as readonly string[]).includes(s)) throw new AppError('VALIDATION', { field: 'status', reason: s });
  const levels = split(q.level);
  for (const l of levels)
    if (l !== 'none' && !(LEVELS as readonly string[]).includes(l))
      throw new AppError('VALIDATION', { field: 'level', reason: l });
  const f: repo.IncidentFilters = {
    statuses,
    categories: split(q.category),
    levels: levels.filter((l) => l !== 'none'),
    includeUnassessed: levels.includes('none'),
    district: q.district || undefined,
    // checked again here: other modules and the export call this without the route's schema
    from: q.from ? parseTime(q.from, 'from') : undefined,
    to: q.to ? parseTime(q.to, 'to') : undefined,
    q: q.q?.trim() || undefined,
    merged: q.merged ?? 'exclude',
    exercise: q.exercise ?? 'include',
  };
  if (q.typeCode) {
    const t = findEventType(q.typeCode);
    if (!t) throw new AppError('UNKNOWN_TYPE_CODE', { field: 'typeCode', value: q.typeCode });
    // 11000 matches every 11xxx; 11B00 every 11Bxx; 11B03 itself.
    if (t.level === 1) f.typeCode = { prefix: t.code.slice(0, 2) };
    else if (t.level === 2) f.typeCode = { prefix: t.code.slice(0, 3) };
    else f.typeCode = { exact: t.code };
  }
  return f;
}

export async function listIncidents(deps: IncidentDeps, ctx: RequestCtx, q: IncidentListQuery) {
  requirePermission(ctx.actor, 'incidents.read');
  const f = filtersOf(q);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  // The same page looks the same to everyone with the same scope and the same right to personal fields.
  const key = JSON.stringify([
    ctx.actor.scope,
    ctx.actor.scope === 'city' || ctx.actor.scope === 'department' ? '' : ctx.actor.unitCode,
    can(ctx.actor, 'personal.read'),
    f,
    limit,
    offset,
  ]);
  const hit = deps.listCache.get(key);
  if (hit) return hit;
  const rows = await repo.listIncidents(deps.db.kysely, ctx.actor, f, limit, offset);
  const total =
    offset === 0 && rows.length < limit ? rows.length : await repo.countIncidents(deps.db.kysely, ctx.actor, f);
  const page = { items: rows.map((r) => toIncidentDto(r, ctx)), total };
  deps.listCache.set(key, page);
  return page;
}

/**
 * One page read fresh, without a total and without the cache: for walks over many pages (exports), which
 * would otherwise count again for every page and fill the cache with pages nobody asks for twice. `after` (the
 * previous page's last incident) takes the place of an offset: each page then costs the same, however deep.
 */
export async function readIncidentPage(
  deps: IncidentDeps,
  ctx: RequestCtx,
  q: IncidentListQuery,
  after?: Pick<Incident, 'occurredAt' | 'id'>,
): Promise<Incident[]> {
  requirePermission(ctx.actor, 'incidents.read');
  const rows = await repo.listIncidents(
    deps.db.kysely,
    ctx.actor,
    filtersOf(q),
    q.limit ?? 50,
    after ? 0 : (q.offset ?? 0),
    after ? { occurredAt: new Date(after.occurredAt), id: after.id } : undefined,
  );
  return rows.map((r) => toIncidentDto(r, ctx));
}

export async function load(trx: Tx, ctx: RequestCtx, id: string, forUpdate = false) {
  const r = await repo.findIncident(trx, id, forUpdate);
  if (!r) throw new AppError('NOT_FOUND', { entity: 'incident' });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.created_by_unit });
  return r;
}

export async function getIncident(deps: IncidentDeps, ctx: RequestCtx, id: string): Promise<Incident> {
  requirePermission(ctx.actor, 'incidents.read');
  return toIncidentDto(await load(deps.db.kysely, ctx, id), ctx);
}

/**
 * Audits a change to an incident and writes its event, in the writer's transaction; returns the viewer's DTO. The
 * row as written comes from the write itself where it can (`returning`), else it is read back.
 */
async function recordChange(
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  id: string,
  type: 'incident.created' | 'incident.updated',
  audit: { action: string; before?: unknown; after?: unknown },
  written?: repo.IncidentRow,
): Promise<Incident> {
  const row = written ?? (await repo.findIncident(trx, id))!;
  const full = toIncidentDto(row, null);
  await recordAudit(trx, ctx, now, {
    action: audit.action,
    entity: 'incident',
    entityId: id,
    before: audit.before,
    after: audit.after ?? full,
  });
  await emitEvent(trx, now, {
    type,
    entity: 'incident',
    entityId: id,
    payload: full,
    visibility: incidentVisibility(row),
  });
  return toIncidentDto(row, ctx);
}

/** After a commit: counts are stale, and the event goes out at once. */
export function committed(deps: IncidentDeps): void {
  deps.listCache.clear();
  deps.afterCommit();
}

/** A report checked by `prepareIncident`: everything known before anything is written. */
export interface PreparedIncident {
  input: IncidentInput;
  category: Category;
  lng: number | null;
  lat: number | null;
  occurredAt: Date;
  reportedAt: Date;
  casualties: Casualties;
  loss: number;
  place: { district_code: string | null; district_status: string };
  /** the level rules in force when the report came */
  rules: LevelRules;
  /** when it is flagged as a possible duplicate */
  duplicateRule: DuplicateRule;
}

/**
 * The rules of a new report, without writing: permission, type code, coordinates, times, and the place (a district
 * user reports inside their district). A form's report and every row of an import go through here.
 */
const BLANK = { zh: '不能只有空白', en: 'must not be blank' };

function checkNotBlank(v: string, field: string): void {
  if (!v.trim()) throw new AppError('VALIDATION', { field, reason: BLANK });
}

export async function prepareIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  input: IncidentInput,
  now: Date,
): Promise<PreparedIncident> {
  requirePermission(ctx.actor, 'incidents.create');
  checkInput(IncidentInput, input);
  checkNotBlank(input.title, 'title');
  const category = checkType(input.typeCode);
  const { lng, lat } = checkPoint(enteredPoint(input.locationEntered) ?? input.location);
  const occurredAt = parseTime(input.occurredAt, 'occurredAt', { notAfter: now });
  const reportedAt = input.reportedAt ? parseTime(input.reportedAt, 'reportedAt', { notAfter: now }) : now;
  const place = await locate(deps, lng, lat);
  await requirePlaceInScope(deps, ctx.actor, place.district_code, true);
  return {
    // Read before the transaction: on the embedded database a transaction holds the one connection for all of its
    // round trips, and every other request waits meanwhile. The rule in force when the report came is the one used.
    rules: await getLevelRules(deps.db.kysely),
    duplicateRule: await getDuplicateRule(deps.db.kysely),
    input,
    category,
    lng,
    lat,
    occurredAt,
    reportedAt,
    casualties: { ...ZERO, ...input.casualties },
    loss: input.directLossWan ?? 0,
    place,
  };
}

/**
 * Writes a prepared report in the caller's transaction: its number, level, first log line, audit row and event.
 * The caller commits and then calls `committed` (a form's report alone, an import's rows all at once).
 */
export async function writeIncident(
  deps: IncidentDeps,
  trx: Tx,
  ctx: RequestCtx,
  r: PreparedIncident,
  now: Date,
  opts: {
    demo?: boolean;
    /**
     * which new incidents alarm: every one (a report taken by hand), only levels I–II (a register imported in bulk:
     * thousands of past records must not bury the one that matters), or none (the demo's history)
     */
    alarm?: 'all' | 'serious' | 'none';
    /** drill mode: the exercise playing this report (its mark on the record, its alarm and its events) */
    exercise?: ExerciseMark;
  } = {},
): Promise<Incident> {
  const { input, casualties } = r;
  const id = deps.ids.next();
  const lvl = computeLevel(r.category, casualties, r.loss, r.rules);
  const number = await nextNumber(trx, 'WH', r.reportedAt);
  const written = await repo.insertIncident(trx, {
    id,
    number,
    title: input.title.trim(),
    description: input.description ?? '',
    type_code: input.typeCode,
    category: r.category,
    occurred_at: r.occurredAt,
    reported_at: r.reportedAt,
    lng: r.lng,
    lat: r.lat,
    address: input.address ?? '',
    location_entered: input.locationEntered ? JSON.stringify(input.locationEntered) : null,
    reporter_name: input.reporter?.name ?? '',
    reporter_unit: input.reporter?.unit ?? '',
    reporter_phone: input.reporter?.phone ?? '',
    ...casualtyColumns(casualties),
    direct_loss_wan: r.loss,
    ...r.place,
    computed_level: lvl.level,
    level_basis: lvl.basis,
    level_basis_data: JSON.stringify(lvl.facts),
    level_override: null,
    level_override_reason: null,
    level_override_by: null,
    level_override_at: null,
    status: 'reported',
    created_by: ctx.actor.id,
    created_by_unit: ctx.actor.unitCode,
    demo: opts.demo ?? false,
    exercise_id: opts.exercise?.id ?? null,
    exercise_title: opts.exercise?.title ?? null,
    now,
  });
  // a drill's report is no duplicate of a real one, nor a real one of it
  if (!opts.exercise) await flagDuplicates(trx, written, r.duplicateRule);
  await repo.insertLog(trx, {
    id: deps.ids.next(),
    incidentId: id,
    at: now,
    kind: 'created',
    text: describeLogEntry('created', { number, level: lvl.level }, 'zh') ?? '',
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    data: { number, level: lvl.level },
  });
  const alarm = opts.alarm ?? (opts.demo ? 'none' : 'all');
  if (alarm === 'all' || (alarm === 'serious' && (written.level === 'I' || written.level === 'II')))
    await raiseAlarm(deps, trx, now, written, 'created');
  return recordChange(trx, ctx, now, id, 'incident.created', { action: 'incident.created' }, written);
}

export async function createIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  input: IncidentInput,
  opts: { demo?: boolean; now?: Date; exercise?: ExerciseMark } = {},
): Promise<Incident> {
  const now = opts.now ?? deps.clock.now();
  const prepared = await prepareIncident(deps, ctx, input, now);
  const dto = await deps.db.transaction((trx) => writeIncident(deps, trx, ctx, prepared, now, opts));
  committed(deps);
  return dto;
}

export async function updateIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  patch: IncidentPatch,
  ifMatchVersion?: number,
): Promise<Incident> {
  requirePermission(ctx.actor, 'incidents.read');
  checkInput(IncidentPatch, patch);
  if (patch.title !== undefined) checkNotBlank(patch.title, 'title');
  const { version: bodyVersion, level, levelReason, locationEntered, ...fields } = patch;
  // a point entered in a datum is the new location (converted); a point given as such was picked or is WGS-84
  if (locationEntered) fields.location = { type: 'Point', coordinates: enteredPoint(locationEntered)!.coordinates };
  const touchesFields = Object.keys(fields).length > 0;
  // A change of fields, or a patch that changes nothing, needs the edit right; setting the level needs its own.
  if (touchesFields || level === undefined) requirePermission(ctx.actor, 'incidents.update');
  if (level !== undefined) requirePermission(ctx.actor, 'incidents.level');
  if (level && !levelReason?.trim()) throw new AppError('LEVEL_REASON_REQUIRED', { field: 'levelReason' });
  if (!touchesFields && level === undefined) {
    // nothing to change: no new version, no audit row, no event
    const r = await load(deps.db.kysely, ctx, id);
    const expected = ifMatchVersion ?? bodyVersion;
    if (expected !== undefined && expected !== r.version) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    }
    return toIncidentDto(r, ctx);
  }
  const now = deps.clock.now();
  const category = fields.typeCode !== undefined ? checkType(fields.typeCode) : undefined;
  const point = fields.location !== undefined ? checkPoint(fields.location) : undefined;
  const occurredAt =
    fields.occurredAt !== undefined ? parseTime(fields.occurredAt, 'occurredAt', { notAfter: now }) : undefined;
  const newPlace = point ? await locate(deps, point.lng, point.lat) : undefined;
  if (newPlace) await requirePlaceInScope(deps, ctx.actor, newPlace.district_code, false);
  const rules = await getLevelRules(deps.db.kysely);
  const moved = point !== undefined || occurredAt !== undefined || category !== undefined;
  const duplicateRule = moved ? await getDuplicateRule(deps.db.kysely) : undefined;
  const dto = await deps.db.transaction(async (trx) => {
    const r = await load(trx, ctx, id, true);
    const expected = ifMatchVersion ?? bodyVersion;
    if (expected !== undefined && expected !== r.version) {
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    }
    if (r.status === 'closed') throw new AppError('INCIDENT_CLOSED', { field: 'status' });
    const before = toIncidentDto(r, null);
    const casualties = { ...casualtiesOf(r), ...fields.casualties };
    const loss = fields.directLossWan ?? Number(r.direct_loss_wan);
    const cat = category ?? (r.category as Category);
    const lng = point ? point.lng : r.lng === null ? null : Number(r.lng);
    const lat = point ? point.lat : r.lat === null ? null : Number(r.lat);
    const place = newPlace ?? { district_code: r.district_code, district_status: r.district_status };
    const lvl = computeLevel(cat, casualties, loss, rules);
    const override =
      level === undefined
        ? {
            level_override: r.level_override,
            level_override_reason: r.level_override_reason,
            level_override_by: r.level_override_by,
            level_override_at: r.level_override_at,
          }
        : level === null
          ? { level_override: null, level_override_reason: null, level_override_by: null, level_override_at: null }
          : {
              level_override: level,
              level_override_reason: levelReason!.trim(),
              level_override_by: ctx.actor.name,
              level_override_at: now,
            };
    const written = await repo.updateIncident(
      trx,
      id,
      r.version,
      {
        title: fields.title?.trim() ?? r.title,
        description: fields.description ?? r.description,
        type_code: fields.typeCode ?? r.type_code,
        category: cat,
        occurred_at: occurredAt ?? r.occurred_at,
        reported_at: r.reported_at,
        lng,
        lat,
        address: fields.address ?? r.address,
        location_entered:
          fields.location === undefined
            ? r.location_entered === null
              ? null
              : JSON.stringify(r.location_entered)
            : locationEntered
              ? JSON.stringify(locationEntered)
              : null,
        reporter_name: fields.reporter?.name ?? r.reporter_name,
        reporter_unit: fields.reporter?.unit ?? r.reporter_unit,
        reporter_phone: fields.reporter?.phone ?? r.reporter_phone,
        ...casualtyColumns(casualties),
        direct_loss_wan: loss,
        ...place,
        computed_level: lvl.level,
        level_basis: lvl.basis,
        level_basis_data: JSON.stringify(lvl.facts),
        ...override,
        status: r.status,
      },
      now,
    );
    if (!written) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version + 1 });
    if (duplicateRule) await flagDuplicates(trx, written, duplicateRule);
    // the Chinese text is kept for the audit trail; readers see the facts rendered in their language
    const log = (kind: string, data: Record<string, unknown>) =>
      repo.insertLog(trx, {
        id: deps.ids.next(),
        incidentId: id,
        at: now,
        kind,
        text: describeLogEntry(kind, data, 'zh') ?? '',
        actorId: ctx.actor.id,
        actorName: ctx.actor.name,
        data,
      });
    if (touchesFields) await log('updated', { fields: Object.keys(fields) });
    if (lvl.level !== r.computed_level) {
      await log('level', {
        from: r.computed_level,
        to: lvl.level,
        override: override.level_override,
        basis: lvl.basis,
        basisFacts: lvl.facts,
      });
    }
    if (level !== undefined) await log('level', { override: level, reason: levelReason?.trim() ?? null });
    if (levelRose(r.level, written.level)) await raiseAlarm(deps, trx, now, written, 'raised');
    return recordChange(
      trx,
      ctx,
      now,
      id,
      'incident.updated',
      { action: level !== undefined && !touchesFields ? 'incident.level_set' : 'incident.updated', before },
      written,
    );
  });
  committed(deps);
  return dto;
}

export async function transitionIncident(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  t: { to: Status; note?: string; version?: number },
): Promise<Incident> {
  requirePermission(ctx.actor, 'incidents.transition');
  checkInput(Transition, t);
  const now = deps.clock.now();
  const dto = await deps.db.transaction(async (trx) => {
    const r = await load(trx, ctx, id, true);
    if (t.version !== undefined && t.version !== r.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    const from = r.status as Status;
    if (!TRANSITIONS[from].includes(t.to)) throw new AppError('INVALID_TRANSITION', { field: 'to', from, to: t.to });
    if (!(await repo.setStatus(trx, id, r.version, t.to, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version + 1 });
    await repo.insertLog(trx, {
      id: deps.ids.next(),
      incidentId: id,
      at: now,
      kind: 'status',
      text: describeLogEntry('status', { from, to: t.to, note: t.note ?? null }, 'zh') ?? '',
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      data: { from, to: t.to, note: t.note ?? null },
    });
    // a closed incident needs nobody's acknowledgement any more: its alarms leave the trays
    if (t.to === 'closed') await deps.alerts.resolve(trx, now, 'incident', id);
    return recordChange(trx, ctx, now, id, 'incident.updated', {
      action: 'incident.status_changed',
      before: { status: from },
      after: { status: t.to, note: t.note ?? null },
    });
  });
  committed(deps);
  return dto;
}

function toLogDto(r: Awaited<ReturnType<typeof repo.listLog>>['items'][number]): LogEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    kind: r.kind,
    text: r.text,
    actor: r.actor_id ? { id: r.actor_id, displayName: r.actor_name ?? '' } : null,
    data: r.data ?? null,
  };
}

export async function listLog(deps: IncidentDeps, ctx: RequestCtx, id: string, limit = 200, offset = 0) {
  requirePermission(ctx.actor, 'incidents.read');
  await load(deps.db.kysely, ctx, id);
  const { items, total } = await repo.listLog(deps.db.kysely, id, limit, offset);
  return { items: items.map(toLogDto), total };
}

export async function addLog(deps: IncidentDeps, ctx: RequestCtx, id: string, text: string): Promise<LogEntry> {
  requirePermission(ctx.actor, 'incidents.log');
  checkInput(LogInput, { text });
  checkNotBlank(text, 'text');
  return writeLog(deps, ctx, id, 'note', text.trim(), null);
}

/**
 * Another module's fact on an incident's log (a plan activated, a team dispatched, a report issued): stored with its
 * kind and facts, rendered in the reader's language by `describeLogEntry`; the stored text is the Chinese rendering.
 * The caller has checked its own permission; the incident must be in the caller's scope and not closed unless the
 * fact may follow closing (`final` report, merge).
 */
export async function recordFact(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  facts: ModuleLogFacts,
  opts: { allowClosed?: boolean } = {},
): Promise<LogEntry> {
  const text = describeLogEntry(facts.kind, facts, 'zh') ?? facts.kind;
  return writeLog(deps, ctx, id, facts.kind, text, facts, opts.allowClosed ?? false);
}

async function writeLog(
  deps: IncidentDeps,
  ctx: RequestCtx,
  id: string,
  kind: string,
  text: string,
  data: unknown,
  allowClosed = false,
): Promise<LogEntry> {
  const now = deps.clock.now();
  const entryId = deps.ids.next();
  await deps.db.transaction(async (trx) => {
    const r = await load(trx, ctx, id);
    if (r.status === 'closed' && !allowClosed) throw new AppError('INCIDENT_CLOSED', { field: 'status' });
    await repo.insertLog(trx, {
      id: entryId,
      incidentId: id,
      at: now,
      kind,
      text,
      actorId: ctx.actor.id,
      actorName: ctx.actor.name,
      data: data ?? undefined,
    });
    await recordAudit(trx, ctx, now, {
      action: 'incident.log_added',
      entity: 'incident',
      entityId: id,
      after: data ? { kind, data } : { text },
    });
    await emitEvent(trx, now, {
      type: 'incident.log_added',
      entity: 'incident',
      entityId: id,
      payload: {
        incidentId: id,
        id: entryId,
        text,
        kind,
        data: data ?? null,
        at: now.toISOString(),
        actor: ctx.actor.name,
      },
      visibility: incidentVisibility(r),
    });
  });
  deps.afterCommit();
  return {
    id: entryId,
    at: now.toISOString(),
    kind,
    text,
    actor: ctx.actor.id ? { id: ctx.actor.id, displayName: ctx.actor.name } : null,
    data: (data ?? null) as LogEntry['data'],
  };
}

/** Masks what the viewer may not see in an incident carried by an event. */
export function redactIncidentPayload(payload: unknown, ctx: RequestCtx): unknown {
  if (!payload || typeof payload !== 'object' || can(ctx.actor, 'personal.read')) return payload;
  const p = payload as Incident;
  if (!p.reporter) return payload;
  return { ...p, reporter: { ...p.reporter, phone: maskPhone(p.reporter.phone ?? '') } };
}
