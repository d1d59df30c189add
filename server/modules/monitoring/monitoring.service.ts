/**
 * Devices (registry, tokens, scope), rules (built-in and users'), readings as people read them, dead letters.
 * Ingestion itself is `ingest.ts`.
 */
import { findEventType } from '../../../contracts/incidents.ts';
import {
  COLOURS,
  type DeadLetter,
  type Device,
  DeviceInput,
  type DeviceListQuery,
  DeviceListQuery as DeviceListQuerySchema,
  DevicePatch,
  type IngestReply,
  type Metric,
  type ReadingsQuery,
  type ReadingsReply,
  RULE_FN_INFO,
  type Rule,
  RuleInput,
  RulePatch,
} from '../../../contracts/monitoring.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import type { WarningsApi } from '../warnings/index.ts';
import { BUILTIN_RULES } from './builtin-rules.ts';
import { hashDeviceToken, newDeviceToken } from './device-token.ts';
import { cachedDevice, deviceStatus, type Ingestion, MAX_ITEMS_PER_MESSAGE } from './ingest.ts';
import * as repo from './monitoring.repository.ts';
import { mosquittoAclFile, mosquittoPasswordFile } from './mqtt/mosquitto-files.ts';
import { parseReadingsCsv } from './readings-csv.ts';
import { thresholdFor } from './rule-engine.ts';
import './monitoring.errors.ts';

export const DEVICE_ENTITY = { zh: '监测设备', en: 'device' };
export const RULE_ENTITY = { zh: '预警规则', en: 'rule' };
const DAY = 86_400_000;
/** raw readings at most this many days at a time (hourly roll-ups beyond) */
export const RAW_MAX_DAYS = 31;

export interface MonitoringDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  ingestion: Ingestion;
  warnings: () => WarningsApi;
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  /** a station at sea (a buoy, a pier's gauge) belongs to the district its waters are assigned to */
  seaAreaAt(lng: number, lat: number): Promise<{ districtCode: string | null } | undefined>;
  units(): Map<string, { code: string; name: string; nameEn: string }>;
  districtName(code: string): string;
  /** the rules in memory (every instance follows `rule.changed`) */
  rules: { list: Rule[] };
  /** worker threads for heavy work (the register's export) */
  workers?: WorkerPool;
}

export function deviceVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'monitoring.read', district: r.district_code, unit: r.owner_unit };
}

export function toDevice(deps: MonitoringDeps, r: repo.DeviceRow): Device {
  const live = deps.ingestion.devices.get(r.id);
  const now = deps.clock.now().getTime();
  const lastSeen = live?.lastSeen ?? (r.last_seen_at ? r.last_seen_at.getTime() : null);
  const unit = r.owner_unit ? deps.units().get(r.owner_unit) : undefined;
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    kind: r.kind as Device['kind'],
    metrics: r.metrics as Metric[],
    location: { type: 'Point', coordinates: [r.lng, r.lat] },
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code) } : null,
    ownerUnit: unit ? { code: unit.code, name: unit.name, nameEn: unit.nameEn } : null,
    params: (r.params ?? {}) as Device['params'],
    streamUrl: r.stream_url,
    offlineAfterMinutes: r.offline_after_minutes,
    enabled: r.enabled,
    status: deviceStatus({ enabled: r.enabled, lastSeen, offlineAfterMinutes: r.offline_after_minutes }, now),
    lastSeenAt: lastSeen !== null ? new Date(lastSeen).toISOString() : null,
    latest: { ...((r.latest ?? {}) as Device['latest']), ...(live?.latest ?? {}) },
    warningColour: deps.warnings().activeColourOf(r.id),
    notes: r.notes,
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

async function readDevice(deps: MonitoringDeps, ctx: RequestCtx, id: string): Promise<repo.DeviceRow> {
  requirePermission(ctx.actor, 'monitoring.read');
  const r = await repo.findDevice(deps.db.kysely, id);
  if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: DEVICE_ENTITY });
  requireInScope(ctx.actor, deviceVisibility(r), 'id');
  return r;
}

export async function getDevice(deps: MonitoringDeps, ctx: RequestCtx, id: string): Promise<Device> {
  return toDevice(deps, await readDevice(deps, ctx, id));
}

export async function listDevices(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  q: DeviceListQuery,
): Promise<{ items: Device[]; total: number }> {
  requirePermission(ctx.actor, 'monitoring.read');
  checkInput(DeviceListQuerySchema, q);
  const f: repo.DeviceFilter = { q: q.q?.trim() || undefined, kind: q.kind, district: q.district };
  // status is computed from the last reading: ask the database the matching time condition
  if (q.status === 'disabled') f.enabled = false;
  else if (q.status) {
    f.enabled = true;
    if (q.status === 'never') f.neverSeen = true;
    // each device has its own offline-after minutes: the condition is on its row
    else f.seen = { recent: q.status === 'online', now: deps.clock.now() };
  }
  const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
  const { rows, total } = await repo.listDevices(deps.db.kysely, ctx.actor, f, page);
  return { items: rows.map((r) => toDevice(deps, r)), total };
}

async function deviceWrite(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  input: DeviceInput,
  had?: repo.DeviceRow,
): Promise<repo.DeviceWrite> {
  const [lng, lat] = input.location.coordinates as [number, number];
  if (!(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('VALIDATION', { field: 'location.coordinates', reason: '[longitude, latitude] in degrees' });
  const district =
    had && had.lng === lng && had.lat === lat
      ? had.district_code
      : ((await deps.districtAt(lng, lat))?.code ?? (await deps.seaAreaAt(lng, lat))?.districtCode ?? null);
  const ownerUnit = input.ownerUnit ?? had?.owner_unit ?? ctx.actor.unitCode;
  if (ownerUnit && !deps.units().has(ownerUnit))
    throw new AppError('UNKNOWN_UNIT', { field: 'ownerUnit', value: ownerUnit });
  requireInScope(ctx.actor, { district, unit: ownerUnit }, 'location');
  if (input.streamUrl && !/^(rtsp|rtmp|https?):\/\//i.test(input.streamUrl))
    throw new AppError('VALIDATION', { field: 'streamUrl', reason: 'rtsp://, rtmp://, http:// or https://' });
  return {
    name: input.name.trim(),
    code: input.code?.trim() || null,
    kind: input.kind,
    metrics: [...input.metrics],
    lng,
    lat,
    district_code: district,
    owner_unit: ownerUnit ?? null,
    params: Object.fromEntries(Object.entries(input.params ?? {}).filter(([, v]) => v !== undefined)) as Record<
      string,
      number
    >,
    stream_url: input.streamUrl?.trim() || null,
    offline_after_minutes: input.offlineAfterMinutes ?? 30,
    enabled: input.enabled ?? true,
    notes: input.notes ?? '',
  };
}

async function codeFree(trx: Tx, code: string | null, id: string | null): Promise<void> {
  if (!code) return;
  const other = await repo.findDeviceByCode(trx, code);
  if (other && other.id !== id) throw new AppError('DEVICE_CODE_TAKEN', { field: 'code', value: code });
}

/** A device checked by `prepareDevice`: the row to write, everything known before anything is written. */
export interface PreparedDevice {
  input: DeviceInput;
  write: repo.DeviceWrite;
}

/**
 * The rules of a new device, without writing: permission, input, coordinates, district, owner, scope, stream link,
 * a free station code. A form's device and every row of an import go through here.
 */
export async function prepareDevice(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  input: DeviceInput,
): Promise<PreparedDevice> {
  requirePermission(ctx.actor, 'monitoring.manage');
  checkInput(DeviceInput, input);
  const w = await deviceWrite(deps, ctx, input);
  // read before any transaction (the embedded database's one connection); checked again inside the write
  await codeFree(deps.db.kysely, w.code, null);
  return { input, write: w };
}

/**
 * Writes a prepared device in the caller's transaction: the row with the hash of its token, the audit row, the
 * event. The caller puts the device into the ingestion cache after its commit (`devicesCommitted`).
 */
export async function writeDevice(
  deps: MonitoringDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedDevice,
  token: string,
  now: Date,
  opts: { demo?: boolean } = {},
): Promise<repo.DeviceRow> {
  const id = deps.ids.next();
  await codeFree(trx, p.write.code, null);
  await repo.insertDevice(trx, id, { ...p.write, demo: opts.demo ?? false }, hashDeviceToken(token), ctx.actor.id, now);
  const r = (await repo.findDevice(trx, id)) as repo.DeviceRow;
  await recordAudit(trx, ctx, now, { action: 'device.created', entity: 'device', entityId: id, after: p.input });
  await emitEvent(trx, now, {
    type: 'device.created',
    entity: 'device',
    entityId: id,
    payload: { id },
    visibility: deviceVisibility(r),
  });
  return r;
}

/** After the commit of new devices: this instance ingests from them at once (others follow `device.created`). */
export async function devicesCommitted(deps: MonitoringDeps, ids: readonly string[]): Promise<void> {
  for (const r of await repo.findDevices(deps.db.kysely, ids)) deps.ingestion.put(cachedDevice(r));
  deps.afterCommit();
}

export async function createDevice(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  input: DeviceInput,
  opts: { demo?: boolean } = {},
): Promise<{ device: Device; token: string }> {
  const prepared = await prepareDevice(deps, ctx, input);
  const token = newDeviceToken();
  const now = deps.clock.now();
  const row = await deps.db.transaction((trx) => writeDevice(deps, trx, ctx, prepared, token, now, opts));
  deps.ingestion.put(cachedDevice(row));
  deps.afterCommit();
  return { device: toDevice(deps, row), token };
}

export async function updateDevice(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  id: string,
  patch: DevicePatch,
): Promise<Device> {
  requirePermission(ctx.actor, 'monitoring.manage');
  checkInput(DevicePatch, patch);
  const had = await readDevice(deps, ctx, id);
  const merged: DeviceInput = {
    name: patch.name ?? had.name,
    code: patch.code ?? had.code ?? undefined,
    kind: patch.kind ?? (had.kind as DeviceInput['kind']),
    metrics: patch.metrics ?? (had.metrics as DeviceInput['metrics']),
    location: patch.location ?? { type: 'Point', coordinates: [had.lng, had.lat] },
    ownerUnit: patch.ownerUnit ?? had.owner_unit ?? undefined,
    params: patch.params ?? (had.params as DeviceInput['params']),
    streamUrl: patch.streamUrl ?? had.stream_url ?? undefined,
    offlineAfterMinutes: patch.offlineAfterMinutes ?? had.offline_after_minutes,
    enabled: patch.enabled ?? had.enabled,
    notes: patch.notes ?? had.notes,
  };
  const w = await deviceWrite(deps, ctx, merged, had);
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (trx) => {
    await codeFree(trx, w.code, id);
    if (!(await repo.updateDevice(trx, id, w, patch.version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    const r = (await repo.findDevice(trx, id)) as repo.DeviceRow;
    await recordAudit(trx, ctx, now, {
      action: 'device.updated',
      entity: 'device',
      entityId: id,
      before: had,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'device.updated',
      entity: 'device',
      entityId: id,
      payload: { id },
      visibility: deviceVisibility(r),
    });
    return r;
  });
  deps.ingestion.put(cachedDevice(row));
  deps.afterCommit();
  return toDevice(deps, row);
}

/** A new token; the old one stops working at once (here, and on other instances at their next event). */
export async function rotateToken(deps: MonitoringDeps, ctx: RequestCtx, id: string): Promise<{ token: string }> {
  requirePermission(ctx.actor, 'monitoring.manage');
  await readDevice(deps, ctx, id);
  const token = newDeviceToken();
  const now = deps.clock.now();
  const row = await deps.db.transaction(async (trx) => {
    await repo.setTokenHash(trx, id, hashDeviceToken(token), now);
    const r = (await repo.findDevice(trx, id)) as repo.DeviceRow;
    await recordAudit(trx, ctx, now, { action: 'device.token_rotated', entity: 'device', entityId: id });
    await emitEvent(trx, now, {
      type: 'device.updated',
      entity: 'device',
      entityId: id,
      payload: { id },
      visibility: deviceVisibility(r),
    });
    return r;
  });
  deps.ingestion.put(cachedDevice(row));
  deps.afterCommit();
  return { token };
}

// ---- readings ----

export async function readings(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  id: string,
  q: ReadingsQuery,
): Promise<ReadingsReply> {
  const r = await readDevice(deps, ctx, id);
  if (!r.metrics.includes(q.metric)) throw new AppError('METRIC_NOT_OF_KIND', { field: 'metric', value: q.metric });
  const to = q.to ? new Date(q.to) : deps.clock.now();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY);
  if (from > to) throw new AppError('VALIDATION', { field: 'from', reason: 'from ≤ to' });
  const days = (to.getTime() - from.getTime()) / DAY;
  const resolution = q.resolution ?? (days > 7 ? 'hour' : 'raw');
  if (resolution === 'raw' && days > RAW_MAX_DAYS)
    throw new AppError('READINGS_RANGE_TOO_LONG', { field: 'to', value: RAW_MAX_DAYS });
  const points: (string | number)[][] =
    resolution === 'raw'
      ? (await repo.rawReadings(deps.db.kysely, id, q.metric, from, to, 50_000)).map((x) => [
          x.ts.toISOString(),
          x.value,
        ])
      : (await repo.hourlyReadings(deps.db.kysely, id, q.metric, from, to, 50_000)).map((x) => [
          x.hour.toISOString(),
          x.min,
          x.max,
          x.sum,
          x.sum / x.count,
          x.count,
        ]);
  const params = (r.params ?? {}) as Parameters<typeof thresholdFor>[1];
  const thresholds: ReadingsReply['thresholds'] = [];
  const dev = cachedDevice(r);
  for (const rule of deps.rules.list) {
    if (!rule.enabled) continue;
    if (rule.deviceIds.length > 0 ? !rule.deviceIds.includes(id) : rule.kind && rule.kind !== dev.kind) continue;
    for (const colour of COLOURS)
      for (const c of rule.colours[colour]?.clauses ?? []) {
        if (c.metric !== q.metric || c.fn === 'absence') continue;
        const value = thresholdFor(c.value, params);
        if (value === undefined) continue;
        thresholds.push({
          colour,
          value,
          fn: c.fn,
          windowMinutes: RULE_FN_INFO[c.fn].window ? (c.windowMinutes ?? 60) : null,
          hazardCode: rule.hazardCode,
        });
      }
  }
  return { metric: q.metric, resolution, points, thresholds };
}

export async function deadLetters(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  q: { deviceId?: string; limit?: number; offset?: number },
): Promise<{ items: DeadLetter[]; total: number }> {
  requirePermission(ctx.actor, 'monitoring.admin');
  const { rows, total } = await repo.listDeadLetters(deps.db.kysely, q.deviceId, q.limit ?? 50, q.offset ?? 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      deviceId: r.device_id,
      via: r.via,
      reason: r.reason,
      payload: r.payload,
    })),
    total,
  };
}

// ---- rules ----

export function toRule(r: repo.RuleRow): Rule {
  return {
    id: r.id,
    builtin: r.builtin,
    modified: r.modified,
    name: r.name,
    nameEn: r.name_en,
    hazardCode: r.hazard_code,
    kind: r.kind as Rule['kind'],
    deviceIds: r.device_ids,
    colours: r.colours as Rule['colours'],
    hysteresis: r.hysteresis,
    clearAfterMinutes: r.clear_after_minutes,
    enabled: r.enabled,
    basis: r.basis,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

function ruleWrite(input: RuleInput): repo.RuleWrite {
  if (!findEventType(input.hazardCode))
    throw new AppError('UNKNOWN_HAZARD', { field: 'hazardCode', value: input.hazardCode });
  let any = false;
  for (const colour of COLOURS) {
    const cond = input.colours[colour];
    if (!cond) continue;
    any = true;
    cond.clauses.forEach((c, i) => {
      if (RULE_FN_INFO[c.fn].window && c.windowMinutes === undefined)
        throw new AppError('RULE_WINDOW_REQUIRED', {
          field: `colours.${colour}.clauses.${i}.windowMinutes`,
          value: c.fn,
        });
    });
  }
  if (!any) throw new AppError('RULE_NO_COLOUR', { field: 'colours' });
  return {
    name: input.name.trim(),
    name_en: input.nameEn?.trim() ?? '',
    hazard_code: input.hazardCode,
    kind: input.kind ?? null,
    device_ids: input.deviceIds ?? [],
    colours: input.colours,
    hysteresis: input.hysteresis ?? 0,
    clear_after_minutes: input.clearAfterMinutes ?? 60,
    enabled: input.enabled ?? true,
    basis: input.basis ?? '',
  };
}

export async function reloadRules(deps: MonitoringDeps): Promise<void> {
  deps.rules.list = (await repo.allRules(deps.db.kysely)).map(toRule);
  deps.ingestion.rulesChanged();
}

/** Every start: the built-in rules that are not there yet (an edited or disabled one is left as it is). */
export async function seedRules(deps: MonitoringDeps): Promise<void> {
  const now = deps.clock.now();
  for (const b of BUILTIN_RULES) {
    const { key, ...input } = b;
    await repo.insertRule(deps.db.kysely, deps.ids.next(), key, ruleWrite(input), now);
  }
}

export async function listRules(deps: MonitoringDeps, ctx: RequestCtx): Promise<{ items: Rule[]; total: number }> {
  requirePermission(ctx.actor, 'monitoring.read');
  const items = (await repo.allRules(deps.db.kysely)).map(toRule);
  return { items, total: items.length };
}

async function ruleChanged(
  _deps: MonitoringDeps,
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  id: string,
  action: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(trx, ctx, now, { action, entity: 'rule', entityId: id, before, after });
  await emitEvent(trx, now, {
    type: 'rule.changed',
    entity: 'rule',
    entityId: id,
    payload: { id },
    visibility: { permission: 'monitoring.read' },
  });
}

export async function createRule(deps: MonitoringDeps, ctx: RequestCtx, input: RuleInput): Promise<Rule> {
  requirePermission(ctx.actor, 'monitoring.rules');
  checkInput(RuleInput, input);
  const w = ruleWrite(input);
  const id = deps.ids.next();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.insertRule(trx, id, null, w, now);
    await ruleChanged(deps, trx, ctx, now, id, 'rule.created', undefined, input);
  });
  await reloadRules(deps);
  deps.afterCommit();
  return toRule((await repo.findRule(deps.db.kysely, id)) as repo.RuleRow);
}

export async function updateRule(deps: MonitoringDeps, ctx: RequestCtx, id: string, patch: RulePatch): Promise<Rule> {
  requirePermission(ctx.actor, 'monitoring.rules');
  checkInput(RulePatch, patch);
  const had = await repo.findRule(deps.db.kysely, id);
  if (!had) throw new AppError('NOT_FOUND', { field: 'id', entity: RULE_ENTITY });
  const cur = toRule(had);
  const merged: RuleInput = {
    name: patch.name ?? cur.name,
    nameEn: patch.nameEn ?? cur.nameEn,
    hazardCode: patch.hazardCode ?? cur.hazardCode,
    kind: patch.kind !== undefined ? patch.kind : cur.kind,
    deviceIds: patch.deviceIds ?? cur.deviceIds,
    colours: patch.colours ?? cur.colours,
    hysteresis: patch.hysteresis ?? cur.hysteresis,
    clearAfterMinutes: patch.clearAfterMinutes ?? cur.clearAfterMinutes,
    enabled: patch.enabled ?? cur.enabled,
    basis: patch.basis ?? cur.basis,
  };
  const w = ruleWrite(merged);
  // switching a built-in rule on or off keeps it a built-in; any other change makes it the installation's own
  const onlyEnabled = Object.keys(patch).every((k) => k === 'enabled' || k === 'version');
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (
      !(await repo.updateRule(trx, id, w, had.modified || (had.builtin !== null && !onlyEnabled), patch.version, now))
    )
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await ruleChanged(deps, trx, ctx, now, id, 'rule.updated', cur, patch);
  });
  await reloadRules(deps);
  deps.afterCommit();
  return toRule((await repo.findRule(deps.db.kysely, id)) as repo.RuleRow);
}

/** A built-in rule back to the criteria Anlan ships. */
export async function resetRule(deps: MonitoringDeps, ctx: RequestCtx, id: string): Promise<Rule> {
  requirePermission(ctx.actor, 'monitoring.rules');
  const had = await repo.findRule(deps.db.kysely, id);
  if (!had) throw new AppError('NOT_FOUND', { field: 'id', entity: RULE_ENTITY });
  const b = BUILTIN_RULES.find((x) => x.key === had.builtin);
  if (!b) throw new AppError('NOT_BUILTIN', { field: 'id' });
  const { key: _key, ...input } = b;
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await repo.updateRule(trx, id, ruleWrite(input), false, had.version, now);
    await ruleChanged(deps, trx, ctx, now, id, 'rule.reset', toRule(had), input);
  });
  await reloadRules(deps);
  deps.afterCommit();
  return toRule((await repo.findRule(deps.db.kysely, id)) as repo.RuleRow);
}

/**
 * A device's history from CSV (`ts,metric,value` or `ts,<metric>…`): every bad line named and nothing stored when
 * any line is bad; else stored as ingestion stores readings (repeats ignored, rules evaluated, values checked).
 */
export async function importReadingsCsv(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  id: string,
  text: string,
): Promise<{ rows: number; accepted: number; rejected: IngestReply['rejected'] }> {
  requirePermission(ctx.actor, 'monitoring.manage');
  const r = await readDevice(deps, ctx, id);
  const { rows, errors } = parseReadingsCsv(text);
  const foreign = rows.flatMap((x) =>
    Object.keys(x.values)
      .filter((m) => !r.metrics.includes(m))
      .map((m) => ({ line: x.line, reason: `metric ${m} is not registered for this device` })),
  );
  const bad = [...errors, ...foreign].sort((a, b) => a.line - b.line);
  if (bad.length > 0)
    throw new AppError('VALIDATION', {
      field: 'file',
      reason: bad
        .slice(0, 20)
        .map((e) => `line ${e.line}: ${e.reason}`)
        .join('; '),
      reasons: bad.map((e) => `line ${e.line}: ${e.reason}`),
    });
  let accepted = 0;
  const rejected: IngestReply['rejected'] = [];
  for (let i = 0; i < rows.length; i += MAX_ITEMS_PER_MESSAGE) {
    const chunk = rows.slice(i, i + MAX_ITEMS_PER_MESSAGE).map((x) => ({ ts: x.ts, values: x.values }));
    const out = await deps.ingestion.submit(id, chunk, 'csv');
    accepted += out.accepted;
    rejected.push(...out.rejected.map((x) => ({ ...x, index: x.index + i })));
  }
  return { rows: rows.length, accepted, rejected };
}

/** The files an external Mosquitto authenticates devices with (disabled devices left out). */
export async function mosquittoFile(
  deps: MonitoringDeps,
  ctx: RequestCtx,
  file: 'passwd' | 'acl',
  anlanUser: string,
): Promise<string> {
  requirePermission(ctx.actor, 'monitoring.admin');
  const devices = (await repo.allDevices(deps.db.kysely)).map((d) => ({
    id: d.id,
    tokenHash: d.token_hash,
    enabled: d.enabled,
  }));
  const now = deps.clock.now();
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: `mosquitto.${file}_exported`,
      entity: 'device',
      entityId: null,
      after: { devices: devices.length },
    }),
  );
  return file === 'passwd' ? mosquittoPasswordFile(devices) : mosquittoAclFile(devices, anlanUser);
}
