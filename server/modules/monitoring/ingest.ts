/**
 * Ingestion: messages from MQTT, HTTP and CSV become readings. A message is checked (JSON, a registered enabled
 * device, its metrics, the physical range) and what fails goes to the dead letters with its reason; the rest is
 * stored in batches: one transaction per batch writes the new readings (a repeated (device, metric, ts) is ignored),
 * their hourly roll-ups and the dead letters. Whatever arrives while a batch is written forms the next one, so the
 * batch grows with the load (group commit) and a quiet system writes each message at once.
 * After each batch the rules are evaluated in memory on the new readings, in time order, and the warnings module is
 * told what held (`observe`). A late reading (older than the last evaluated time of its device) is stored and counted
 * in later windows, but past transitions are not re-run.
 */
import { createHash } from 'node:crypto';
import {
  type Colour,
  type DeviceKind,
  type DeviceParam,
  type DeviceStatus,
  type IngestReply,
  isMetric,
  METRIC_INFO,
  type Metric,
  type Rule,
} from '../../../contracts/monitoring.ts';
import { AppError } from '../../errors.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import type { PlatformLog } from '../../platform/module.ts';
import type { Observation, WarningsApi } from '../warnings/index.ts';
import { verifyDeviceToken } from './device-token.ts';
import * as repo from './monitoring.repository.ts';
import {
  absentColour,
  type EngineDevice,
  heldColour,
  ruleMetrics,
  rulesForDevice,
  ruleWindowMinutes,
  Series,
} from './rule-engine.ts';

const MINUTE = 60_000;
/** a batch (one transaction) takes the waiting messages up to about this many readings */
const MAX_BATCH = 2000;
/** readings waiting beyond this make submitters wait for the batch being written (memory stays bounded) */
const MAX_PENDING = 200_000;
/** one message may carry at most this many readings objects */
export const MAX_ITEMS_PER_MESSAGE = 5000;
/** a reading more than this far ahead of the clock is refused (a device clock set wrong) */
const MAX_FUTURE_MS = 10 * MINUTE;
/** dead letters per device (or unknown topic) per minute; more are counted, not stored */
const DEAD_LETTERS_PER_MINUTE = 20;
const PAYLOAD_KEEP = 2000;

/** A device as ingestion and the rules see it (kept in memory for every device). */
/** What the warnings door is told of one reading time: the device, the hazard, the rule that gave the colour. */
export function observationOf(
  d: CachedDevice,
  hazard: string,
  rule: Rule,
  t: number,
  held: Colour | null,
): Observation {
  return {
    device: { id: d.id, name: d.name, districtCode: d.districtCode, ownerUnit: d.ownerUnit, lng: d.lng, lat: d.lat },
    hazardCode: hazard,
    rule: { id: rule.id, name: rule.name, nameEn: rule.nameEn, clearAfterMinutes: rule.clearAfterMinutes },
    ts: new Date(t),
    held,
  };
}

export interface CachedDevice extends EngineDevice {
  name: string;
  enabled: boolean;
  tokenHash: string;
  districtCode: string | null;
  ownerUnit: string | null;
  lng: number;
  lat: number;
  offlineAfterMinutes: number;
  lastSeen: number | null;
  latest: Record<string, { value: number; ts: string }>;
  /** per metric, the latest reading time (for absence rules) */
  lastSeenOf: Map<string, number>;
  status: DeviceStatus;
}

export function cachedDevice(r: repo.DeviceRow): CachedDevice {
  const latest = (r.latest ?? {}) as Record<string, { value: number; ts: string }>;
  const lastSeenOf = new Map(Object.entries(latest).map(([m, v]) => [m, Date.parse(v.ts)]));
  return {
    id: r.id,
    kind: r.kind as DeviceKind,
    metrics: r.metrics,
    params: (r.params ?? {}) as Partial<Record<DeviceParam, number>>,
    name: r.name,
    enabled: r.enabled,
    tokenHash: r.token_hash,
    districtCode: r.district_code,
    ownerUnit: r.owner_unit,
    lng: r.lng,
    lat: r.lat,
    offlineAfterMinutes: r.offline_after_minutes,
    lastSeen: r.last_seen_at ? r.last_seen_at.getTime() : null,
    latest,
    lastSeenOf,
    status: 'never',
  };
}

/** online / offline / never / disabled, from the last reading and the clock. */
export function deviceStatus(
  d: Pick<CachedDevice, 'enabled' | 'lastSeen' | 'offlineAfterMinutes'>,
  now: number,
): DeviceStatus {
  if (!d.enabled) return 'disabled';
  if (d.lastSeen === null) return 'never';
  return now - d.lastSeen > d.offlineAfterMinutes * MINUTE ? 'offline' : 'online';
}

interface Pending {
  readings: { deviceId: string; metric: string; ts: string; t: number; value: number }[];
  dead: { id: string; at: Date; deviceId: string | null; via: string; reason: string; payload: string }[];
  /** each with the counts of readings and dead letters pushed before it (its message's are among them) */
  waiters: { resolve: () => void; reject: (e: Error) => void; readings: number; dead: number }[];
}

export interface IngestDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  rules: () => readonly Rule[];
  warnings: () => WarningsApi;
  /** a device's status changed (online ↔ offline): tell the browsers */
  statusChanged?: (d: CachedDevice) => void;
  retentionMonths: number;
}

export interface IngestStats {
  messages: number;
  readings: number;
  stored: number;
  duplicates: number;
  rejected: number;
  deadLettersDropped: number;
  batches: number;
  ignoredUnknown: number;
}

/** The devices in memory, ingestion's batches, the rule state. One per instance. */
export class Ingestion {
  readonly devices = new Map<string, CachedDevice>();
  readonly stats: IngestStats = {
    messages: 0,
    readings: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    deadLettersDropped: 0,
    batches: 0,
    ignoredUnknown: 0,
  };
  private pending: Pending = { readings: [], dead: [], waiters: [] };
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private readonly partitions = new Set<string>();
  /** deviceId → metric → series (only metrics some rule reads) */
  private readonly series = new Map<string, Map<string, Series>>();
  /** `${deviceId}|${hazard}` → the last evaluated reading time */
  private readonly lastEval = new Map<string, number>();
  /** deviceId → hazard → rules (rebuilt when rules or the device change) */
  private readonly deviceRules = new Map<string, Map<string, Rule[]>>();
  /** deviceId → sha256 of a verified token */
  private readonly verified = new Map<string, string>();
  private readonly dirty = new Set<string>();
  /**
   * New readings summed into their hours, written every few seconds (`writeHourly`), not in each batch: one row per
   * (device, metric, hour) however many batches fed it. Readings are the record; a crash loses at most these seconds
   * of roll-ups, which `rebuildHourly` computes again from the readings.
   */
  private hourly: HourlyMap = new Map();
  private readonly deadBudget = new Map<string, { minute: number; n: number }>();
  private closed = false;

  constructor(private readonly deps: IngestDeps) {}

  async load(): Promise<void> {
    for (const r of await repo.allDevices(this.deps.db.kysely)) this.put(cachedDevice(r));
    for (const p of await repo.existingPartitions(this.deps.db.kysely)) this.partitions.add(p);
    const now = this.deps.clock.now().getTime();
    for (const d of this.devices.values()) d.status = deviceStatus(d, now);
  }

  /** a device created, changed or rotated (here or on another instance) */
  put(d: CachedDevice): void {
    const had = this.devices.get(d.id);
    if (had) {
      // what this instance saw is newer than the row it read
      if (had.lastSeen !== null && (d.lastSeen === null || had.lastSeen > d.lastSeen)) {
        d.lastSeen = had.lastSeen;
        d.latest = { ...d.latest, ...had.latest };
        d.lastSeenOf = new Map([...d.lastSeenOf, ...had.lastSeenOf]);
      }
      if (had.tokenHash !== d.tokenHash) this.verified.delete(d.id);
      // its metrics or kind may have changed what it keeps
      for (const m of this.series.get(d.id)?.keys() ?? []) if (!d.metrics.includes(m)) this.series.get(d.id)?.delete(m);
    }
    d.status = deviceStatus(d, this.deps.clock.now().getTime());
    this.devices.set(d.id, d);
    this.deviceRules.delete(d.id);
  }

  /** the rules changed: every device's rule set is rebuilt at its next reading */
  rulesChanged(): void {
    this.deviceRules.clear();
  }

  /** Is this token the device's? Verified tokens are remembered (hashing is deliberately slow). */
  authenticate(deviceId: string, token: string): boolean {
    const d = this.devices.get(deviceId);
    if (!d?.enabled) return false;
    const digest = createHash('sha256').update(token).digest('hex');
    if (this.verified.get(deviceId) === digest) return true;
    if (!verifyDeviceToken(token, d.tokenHash)) return false;
    this.verified.set(deviceId, digest);
    return true;
  }

  knows(deviceId: string): boolean {
    return this.devices.get(deviceId)?.enabled === true;
  }

  /**
   * One message of a device: JSON bytes, or a parsed body (HTTP). Resolves once its readings are stored (or
   * repeated) and its rejects dead-lettered, with what was accepted and rejected and why.
   */
  async submit(deviceId: string, payload: Buffer | string | unknown, via: string): Promise<IngestReply> {
    this.stats.messages++;
    const now = this.deps.clock.now();
    const raw = Buffer.isBuffer(payload) || typeof payload === 'string' ? String(payload) : undefined;
    const d = this.devices.get(deviceId);
    const rejected: IngestReply['rejected'] = [];
    const keep = () => (raw ?? safeJson(payload)).slice(0, PAYLOAD_KEEP);
    if (!d?.enabled) {
      this.stats.ignoredUnknown++;
      this.deadLetter(deviceId, via, d ? 'device disabled' : 'unknown device', keep(), now);
      rejected.push({ index: 0, reason: d ? 'device disabled' : 'unknown device' });
      await this.whenWritten();
      return { accepted: 0, rejected };
    }
    let body: unknown = payload;
    if (raw !== undefined) {
      try {
        body = JSON.parse(raw);
      } catch {
        this.deadLetter(deviceId, via, 'malformed JSON', keep(), now);
        rejected.push({ index: 0, reason: 'malformed JSON' });
        await this.whenWritten();
        return { accepted: 0, rejected };
      }
    }
    const items = Array.isArray(body) ? body : [body];
    if (items.length > MAX_ITEMS_PER_MESSAGE) {
      const reason = `more than ${MAX_ITEMS_PER_MESSAGE} readings objects in one message`;
      this.deadLetter(deviceId, via, reason, keep(), now);
      await this.whenWritten();
      return { accepted: 0, rejected: [{ index: 0, reason }] };
    }
    let accepted = 0;
    const reasons: string[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i] as { ts?: unknown; values?: unknown } | null;
      const bad = (reason: string, metric?: string) => {
        rejected.push({ index: i, ...(metric ? { metric } : {}), reason });
        reasons.push(`[${i}]${metric ? ` ${metric}` : ''}: ${reason}`);
      };
      if (!it || typeof it !== 'object') {
        bad('not an object {ts, values}');
        continue;
      }
      const t = typeof it.ts === 'string' && /([zZ]|[+-]\d\d:?\d\d)$/.test(it.ts) ? Date.parse(it.ts) : Number.NaN;
      if (!Number.isFinite(t)) {
        bad('ts: an ISO-8601 time with its offset is required (e.g. 2026-07-01T08:00:00+08:00)');
        continue;
      }
      if (t > now.getTime() + MAX_FUTURE_MS) {
        bad('ts: in the future (check the device clock)');
        continue;
      }
      if (!it.values || typeof it.values !== 'object' || Array.isArray(it.values)) {
        bad('values: an object of metric → number is required');
        continue;
      }
      const ts = new Date(t).toISOString();
      for (const [metric, v] of Object.entries(it.values as Record<string, unknown>)) {
        if (!isMetric(metric)) {
          bad('unknown metric', metric);
          continue;
        }
        if (!d.metrics.includes(metric)) {
          bad('metric not registered for this device', metric);
          continue;
        }
        const info = METRIC_INFO[metric];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          bad('value is not a number', metric);
          continue;
        }
        if (v < info.min || v > info.max) {
          bad(`value ${v} outside the physical range ${info.min}…${info.max} ${info.unit}`, metric);
          continue;
        }
        if (info.integer && !Number.isInteger(v)) {
          bad('value must be a whole number', metric);
          continue;
        }
        this.pending.readings.push({ deviceId, metric, ts, t, value: v });
        accepted++;
      }
    }
    this.stats.readings += accepted;
    if (reasons.length > 0) {
      this.stats.rejected += rejected.length;
      this.deadLetter(deviceId, via, reasons.slice(0, 20).join('; '), keep(), now);
    }
    await this.whenWritten();
    return { accepted, rejected };
  }

  private deadLetter(deviceId: string | null, via: string, reason: string, payload: string, now: Date): void {
    const key = deviceId ?? '?';
    const minute = Math.floor(now.getTime() / MINUTE);
    const b = this.deadBudget.get(key);
    if (b && b.minute === minute && b.n >= DEAD_LETTERS_PER_MINUTE) {
      this.stats.deadLettersDropped++;
      return;
    }
    if (!b || b.minute !== minute) this.deadBudget.set(key, { minute, n: 1 });
    else b.n++;
    if (this.deadBudget.size > 10_000) this.deadBudget.clear();
    this.pending.dead.push({ id: this.deps.ids.next(), at: now, deviceId: deviceId ?? null, via, reason, payload });
  }

  /** Resolves when what is pending now has been written (joins the next batch). */
  private async whenWritten(): Promise<void> {
    if (this.pending.readings.length > MAX_PENDING && this.flushing) await this.flushing;
    await new Promise<void>((resolve, reject) => {
      this.pending.waiters.push({
        resolve,
        reject,
        readings: this.pending.readings.length,
        dead: this.pending.dead.length,
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.pending.waiters.length > 0) this.schedule();
      });
    });
  }

  /** Waits for everything submitted so far to be written and evaluated, roll-ups included (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.waiters.length > 0 || this.scheduled) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setImmediate(r));
    }
    await this.writeHourly();
  }

  /** Adds the readings of the last seconds to their hours' roll-ups (a failure keeps them for the next call). */
  async writeHourly(limit = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.hourly.size === 0) return;
    const rows: Agg[] = [];
    for (const [key, agg] of this.hourly) {
      if (rows.length >= limit) break;
      rows.push(agg);
      this.hourly.delete(key);
    }
    try {
      await repo.addToHourly(this.deps.db.kysely, rows);
    } catch (err) {
      for (const r of rows) addAgg(this.hourly, r);
      throw err;
    }
  }

  /**
   * The next batch: the waiting messages in order, up to about `MAX_BATCH` readings (a transaction that stays short
   * keeps the live events, the warnings and other writers from waiting long on the connection); the rest is next.
   */
  private takeBatch(): Pending {
    const p = this.pending;
    let k = p.waiters.findIndex((w) => w.readings >= MAX_BATCH);
    if (k < 0) k = p.waiters.length - 1;
    const cut = p.waiters[k];
    if (!cut || k === p.waiters.length - 1) {
      this.pending = { readings: [], dead: [], waiters: [] };
      return p;
    }
    const batch: Pending = {
      readings: p.readings.slice(0, cut.readings),
      dead: p.dead.slice(0, cut.dead),
      waiters: p.waiters.slice(0, k + 1),
    };
    this.pending = {
      readings: p.readings.slice(cut.readings),
      dead: p.dead.slice(cut.dead),
      waiters: p.waiters
        .slice(k + 1)
        .map((w) => ({ ...w, readings: w.readings - cut.readings, dead: w.dead - cut.dead })),
    };
    return batch;
  }

  private async flush(): Promise<void> {
    const batch = this.takeBatch();
    if (this.closed) {
      for (const w of batch.waiters) w.reject(new AppError('INGEST_UNAVAILABLE'));
      return;
    }
    this.stats.batches++;
    let fresh: repo.ReadingRow[] = [];
    try {
      await this.ensurePartitions(batch.readings);
      fresh = await this.deps.db.transaction(async (trx) => {
        const rows = await repo.insertReadings(trx, batch.readings);
        await repo.insertDeadLetters(trx, batch.dead);
        return rows;
      });
    } catch (err) {
      // the senders are told (HTTP 503, MQTT unacknowledged: the device sends again); nothing was written
      this.deps.log.error('readings batch not written', err);
      for (const w of batch.waiters) w.reject(new AppError('INGEST_UNAVAILABLE'));
      return;
    }
    this.stats.stored += fresh.length;
    this.stats.duplicates += batch.readings.length - fresh.length;
    for (const w of batch.waiters) w.resolve();
    this.noteSeen(batch.readings);
    addHourly(this.hourly, fresh);
    try {
      await this.evaluate(fresh);
    } catch (err) {
      this.deps.log.error('rules not evaluated for a batch', err);
    }
  }

  private async ensurePartitions(rows: { t: number }[]): Promise<void> {
    const months = new Map<string, ReturnType<typeof repo.partitionOf>>();
    let from = 1;
    let to = 0;
    for (const r of rows) {
      // readings mostly share a month: skip the date arithmetic while they stay in the last one seen
      if (r.t >= from && r.t < to) continue;
      const p = repo.partitionOf(new Date(r.t));
      from = Date.parse(p.from);
      to = Date.parse(p.to);
      if (!this.partitions.has(p.name)) months.set(p.name, p);
    }
    for (const p of months.values()) {
      try {
        await repo.createPartition(this.deps.db.kysely, p);
      } catch (err) {
        // another instance created it at the same moment: fine if it exists now
        if (!(await repo.existingPartitions(this.deps.db.kysely)).includes(p.name)) throw err;
      }
      this.partitions.add(p.name);
    }
  }

  /** latest values and last-seen times in memory; written to the devices table by `writeSeen` */
  private noteSeen(rows: Pending['readings']): void {
    const now = this.deps.clock.now().getTime();
    for (const r of rows) {
      const d = this.devices.get(r.deviceId);
      if (!d) continue;
      const cur = d.latest[r.metric];
      if (!cur || Date.parse(cur.ts) < r.t) d.latest[r.metric] = { value: r.value, ts: r.ts };
      if ((d.lastSeenOf.get(r.metric) ?? 0) < r.t) d.lastSeenOf.set(r.metric, r.t);
      if (d.lastSeen === null || d.lastSeen < r.t) d.lastSeen = r.t;
      this.dirty.add(d.id);
      const status = deviceStatus(d, now);
      if (status !== d.status) {
        d.status = status;
        this.deps.statusChanged?.(d);
      }
    }
  }

  /** Writes last-seen times and latest values of the devices that reported since the last call. */
  async writeSeen(limit = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids: string[] = [];
    for (const id of this.dirty) {
      if (ids.length >= limit) break;
      ids.push(id);
    }
    for (const id of ids) this.dirty.delete(id);
    const rows = ids.flatMap((id) => {
      const d = this.devices.get(id);
      return d?.lastSeen != null ? [{ id, lastSeen: new Date(d.lastSeen), latest: d.latest }] : [];
    });
    await repo.touchDevices(this.deps.db.kysely, rows);
  }

  private rulesOf(d: CachedDevice): Map<string, Rule[]> {
    let m = this.deviceRules.get(d.id);
    if (!m) {
      m = rulesForDevice(this.deps.rules(), d);
      this.deviceRules.set(d.id, m);
    }
    return m;
  }

  /** the window a device's metric must keep for its rules (minutes), 0 when no rule reads it */
  private windowOf(d: CachedDevice, metric: Metric): number {
    let w = 0;
    for (const rules of this.rulesOf(d).values())
      for (const r of rules) if (ruleMetrics(r).has(metric)) w = Math.max(w, ruleWindowMinutes(r, metric));
    return w;
  }

  private async evaluate(fresh: repo.ReadingRow[]): Promise<void> {
    if (fresh.length === 0) return;
    // per device: its new reading times, and the series that must be loaded first
    const byDevice = new Map<string, repo.ReadingRow[]>();
    for (const r of fresh) {
      const a = byDevice.get(r.device_id);
      if (a) a.push(r);
      else byDevice.set(r.device_id, [r]);
    }
    const toLoad: { deviceId: string; metric: string; from: string; to: string }[] = [];
    const loading = new Map<string, Series>();
    for (const [deviceId, rows] of byDevice) {
      const d = this.devices.get(deviceId);
      if (!d) continue;
      let ser = this.series.get(deviceId);
      for (const r of rows) {
        const metric = r.metric as Metric;
        if (ser?.has(metric)) continue;
        const w = this.windowOf(d, metric);
        if (w === 0) continue;
        const key = `${deviceId}|${metric}`;
        if (loading.has(key)) continue;
        if (!ser) {
          ser = new Map();
          this.series.set(deviceId, ser);
        }
        const s = new Series();
        ser.set(metric, s);
        loading.set(key, s);
        const ts = rows.filter((x) => x.metric === metric).map((x) => x.ts.getTime());
        toLoad.push({
          deviceId,
          metric,
          from: new Date(Math.min(...ts) - w * MINUTE).toISOString(),
          to: new Date(Math.max(...ts)).toISOString(),
        });
      }
    }
    for (const r of await repo.readWindows(this.deps.db.kysely, toLoad))
      loading.get(`${r.device_id}|${r.metric}`)?.insert(r.ts.getTime(), r.value);

    const observations: Observation[] = [];
    for (const [deviceId, rows] of byDevice) {
      const d = this.devices.get(deviceId);
      const ser = this.series.get(deviceId);
      if (!d || !ser) continue;
      for (const r of rows) ser.get(r.metric)?.insert(r.ts.getTime(), r.value);
      const hazards = this.rulesOf(d);
      if (hazards.size === 0) continue;
      const times = [...new Set(rows.map((r) => r.ts.getTime()))].sort((a, b) => a - b);
      const seriesOf = (m: Metric) => ser.get(m);
      const warnings = this.deps.warnings();
      for (const [hazard, rules] of hazards) {
        const key = `${deviceId}|${hazard}`;
        let last = this.lastEval.get(key) ?? Number.NEGATIVE_INFINITY;
        for (const t of times) {
          if (t <= last) continue;
          last = t;
          const current = warnings.activeColourOfHazard(deviceId, hazard);
          const held = heldColour(rules, t, seriesOf, d.params, current);
          observations.push(observationOf(d, hazard, held?.rule ?? rules[0]!, t, held?.colour ?? null));
          // the warning's colour may change with this observation: hysteresis of the next one depends on it
          if (current !== null || held) await warnings.observe(observations.splice(0));
        }
        this.lastEval.set(key, last);
      }
      // keep only what the longest window needs
      for (const [metric, s] of ser) {
        const w = this.windowOf(d, metric as Metric);
        const newest = s.ts[s.length - 1];
        if (newest !== undefined) s.prune(newest - (w + 60) * MINUTE);
      }
    }
    if (observations.length > 0) await this.deps.warnings().observe(observations);
  }

  /** Absence rules and offline status (every minute). */
  async sweep(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const observations: Observation[] = [];
    for (const d of this.devices.values()) {
      const status = deviceStatus(d, now);
      if (status !== d.status) {
        d.status = status;
        this.deps.statusChanged?.(d);
      }
      if (!d.enabled || d.lastSeen === null) continue;
      for (const [hazard, rules] of this.rulesOf(d)) {
        const held = absentColour(rules, now, (m) => d.lastSeenOf.get(m) ?? d.lastSeen);
        if (!held) continue;
        observations.push({
          device: {
            id: d.id,
            name: d.name,
            districtCode: d.districtCode,
            ownerUnit: d.ownerUnit,
            lng: d.lng,
            lat: d.lat,
          },
          hazardCode: hazard,
          rule: {
            id: held.rule.id,
            name: held.rule.name,
            nameEn: held.rule.nameEn,
            clearAfterMinutes: held.rule.clearAfterMinutes,
          },
          ts: new Date(now),
          held: held.colour,
        });
      }
    }
    if (observations.length > 0) await this.deps.warnings().observe(observations);
  }

  /** Drops monthly partitions older than the retention (0: keep everything). */
  async applyRetention(): Promise<string[]> {
    const months = this.deps.retentionMonths;
    if (months <= 0) return [];
    const now = this.deps.clock.now();
    const keepFrom = repo.partitionOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1))).name;
    const dropped: string[] = [];
    for (const p of await repo.existingPartitions(this.deps.db.kysely)) {
      if (p < keepFrom) {
        await repo.dropPartition(this.deps.db.kysely, p);
        this.partitions.delete(p);
        dropped.push(p);
      }
    }
    return dropped;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.writeSeen();
    await this.writeHourly();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

type Agg = { deviceId: string; metric: string; hour: string; min: number; max: number; sum: number; count: number };
type HourlyMap = Map<string, Agg>;

function addAgg(m: HourlyMap, a: Agg): void {
  const key = `${a.deviceId}|${a.metric}|${a.hour}`;
  const h = m.get(key);
  if (!h) m.set(key, { ...a });
  else {
    h.min = Math.min(h.min, a.min);
    h.max = Math.max(h.max, a.max);
    h.sum += a.sum;
    h.count += a.count;
  }
}

/** New readings summed into their hours. */
function addHourly(m: HourlyMap, rows: repo.ReadingRow[]): void {
  for (const r of rows) {
    const hour = new Date(Math.floor(r.ts.getTime() / (60 * MINUTE)) * 60 * MINUTE).toISOString();
    addAgg(m, { deviceId: r.device_id, metric: r.metric, hour, min: r.value, max: r.value, sum: r.value, count: 1 });
  }
}
