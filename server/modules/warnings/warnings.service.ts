/**
 * Warnings: the state machine of rule warnings, warnings by hand and from CAP, and what people do with them.
 *
 * A rule warning (one active per device and hazard): it is raised at the colour that holds at the reading where a
 * colour first holds; it rises to a higher colour, and falls at the first reading where only a lower one holds;
 * with none holding it keeps its colour until none has held for the rule's `clearAfterMinutes` (reading time), then
 * it is lifted. raised → acknowledged (the alarm's 接报确认, or here) → lifted (automatically, or by hand with a
 * reason). Each transition is one transaction: the row, an event, an alarm (a raise or a change of colour; a lift
 * resolves the alarms), and the escalation's state.
 */

import { SEVERITY_OF_COLOUR } from '../../../contracts/alerts.ts';
import { EXERCISE_TAG } from '../../../contracts/exercises-mark.ts';
import { findEventType } from '../../../contracts/incidents.ts';
import { COLOUR_INFO, type Colour, colourRank } from '../../../contracts/monitoring.ts';
import {
  ChangeColourInput,
  hazardName,
  LiftInput,
  type Warning,
  WarningInput,
  type WarningListQuery,
  WarningListQuery as WarningListQuerySchema,
  type WarningStatus,
} from '../../../contracts/warnings.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import type { PlatformLog } from '../../platform/module.ts';
import { nextNumber } from '../../platform/numbering.ts';
import type { Observation } from './index.ts';
import * as repo from './warnings.repository.ts';
import './warnings.errors.ts';

const MINUTE = 60_000;
export const WARNING_ENTITY = { zh: '预警', en: 'warning' };

/** What the escalation does on a warning's transitions (`escalation.ts`). */
export interface EscalationHooks {
  /** raised or risen: policies matching it start (again) from their first step */
  started(trx: Tx, w: repo.WarningRow, now: Date): Promise<void>;
  /** acknowledged or lifted: nobody else is called */
  stopped(trx: Tx, warningId: string): Promise<void>;
  /** lifted: those already told are told it is over */
  lifted?(w: repo.WarningRow, now: Date): void;
}

export interface WarningsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  afterCommit: () => void;
  alerts: Pick<AlertsApi, 'raise' | 'resolve' | 'openAlertsOf' | 'acknowledge'>;
  escalation: EscalationHooks;
  districtArea(code: string): Promise<{ type: string; coordinates: unknown } | undefined>;
  districtAt(lng: number, lat: number): Promise<{ code: string; name: string } | undefined>;
  districtName(code: string | null): string | null;
  /** a district's English name (CAP's en-US block) */
  districtNameEn(code: string): string | undefined;
  /** the incidents module's createIncident (promotion) */
  createIncident(
    ctx: RequestCtx,
    input: {
      title: string;
      typeCode: string;
      occurredAt: string;
      description: string;
      location?: { type: 'Point'; coordinates: number[] } | null;
    },
  ): Promise<{ id: string; number: string }>;
}

interface Active {
  id: string;
  colour: Colour;
  status: WarningStatus;
  lastHeldAt: number;
  clearAfterMinutes: number;
}

/** A rule warning's title: the device, the hazard and the colour in force. */
export function ruleTitles(device: string, hazard: string, colour: Colour): { title: string; title_en: string } {
  return {
    title: `${device} ${hazardName(hazard, 'zh')}${COLOUR_INFO[colour].zh}预警`,
    title_en: `${hazardName(hazard, 'en')} ${colour} warning at ${device}`,
  };
}

/**
 * The in-memory key of a device's rule warning for a hazard. A drill's (演练) warning has its own key per exercise:
 * it neither takes the place of the device's real warning nor colours the device on the map.
 */
export function activeKey(deviceId: string, hazard: string, exerciseId?: string | null): string {
  return exerciseId ? `x:${exerciseId}|${deviceId}|${hazard}` : `${deviceId}|${hazard}`;
}

export function warningVisibility(r: { district_code: string | null; owner_unit: string | null }): Visibility {
  return { permission: 'warnings.read', district: r.district_code, unit: r.owner_unit };
}

export function toWarning(r: repo.WarningRow, districtName: (code: string | null) => string | null): Warning {
  const geo = r.geojson ? (JSON.parse(r.geojson) as { type: string; coordinates: unknown[] }) : null;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    number: r.number,
    hazardCode: r.hazard_code,
    colour: r.colour as Colour,
    status: r.status as WarningStatus,
    source: r.source as Warning['source'],
    deviceId: r.device_id,
    deviceName: r.device_name,
    ruleId: r.rule_id,
    title: r.title,
    titleEn: r.title_en,
    description: r.description,
    raisedAt: r.raised_at.toISOString(),
    lastHeldAt: iso(r.last_held_at),
    district: r.district_code
      ? { code: r.district_code, name: districtName(r.district_code) ?? r.district_code }
      : null,
    area: geo && geo.type !== 'Point' ? (geo as Warning['area']) : null,
    location: geo && geo.type === 'Point' ? (geo as Warning['location']) : null,
    levelHistory: (r.level_history ?? []) as Warning['levelHistory'],
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    liftedAt: iso(r.lifted_at),
    liftedBy: r.lifted_by,
    liftedReason: r.lifted_reason,
    publishedAt: iso(r.published_at),
    publishedBy: r.published_by,
    capIdentifier: r.cap_identifier,
    capSender: r.cap_sender,
    senderName: r.sender_name,
    expiresAt: iso(r.expires_at),
    incidentId: r.incident_id,
    exercise: r.exercise_id ? { id: r.exercise_id, title: r.exercise_title ?? '' } : null,
    version: r.version,
  };
}

export class WarningsService {
  /** active rule warnings by `${deviceId}|${hazard}` */
  private readonly active = new Map<string, Active>();
  /** deviceId → hazard → colour, for the device layer */
  private readonly heldLastHeld = new Map<string, Date>();

  constructor(readonly deps: WarningsDeps) {}

  async load(): Promise<void> {
    this.active.clear();
    for (const r of await repo.activeRuleWarnings(this.deps.db.kysely)) {
      this.active.set(activeKey(r.device_id as string, r.hazard_code, r.exercise_id), {
        id: r.id,
        colour: r.colour as Colour,
        status: r.status as WarningStatus,
        lastHeldAt: (r.last_held_at ?? r.raised_at).getTime(),
        clearAfterMinutes: 60,
      });
    }
  }

  /** another instance changed a warning: follow it */
  follow(w: Warning): void {
    if (!w.deviceId) return;
    const key = activeKey(w.deviceId, w.hazardCode, w.exercise?.id);
    if (w.status === 'lifted') {
      if (this.active.get(key)?.id === w.id) this.active.delete(key);
      return;
    }
    const had = this.active.get(key);
    this.active.set(key, {
      id: w.id,
      colour: w.colour,
      status: w.status,
      lastHeldAt: Math.max(had?.lastHeldAt ?? 0, w.lastHeldAt ? Date.parse(w.lastHeldAt) : 0),
      clearAfterMinutes: had?.clearAfterMinutes ?? 60,
    });
  }

  activeColourOfHazard(deviceId: string, hazard: string): Colour | null {
    return this.active.get(`${deviceId}|${hazard}`)?.colour ?? null;
  }

  activeColourOf(deviceId: string): Colour | null {
    let best: Colour | null = null;
    for (const [k, a] of this.active)
      if (k.startsWith(`${deviceId}|`) && (!best || colourRank(a.colour) > colourRank(best))) best = a.colour;
    return best;
  }

  /** Rule observations → transitions (see the file's comment). */
  async observe(obs: readonly Observation[]): Promise<number> {
    let transitions = 0;
    for (const o of obs) {
      const key = activeKey(o.device.id, o.hazardCode, o.exercise?.id);
      const a = this.active.get(key);
      const t = o.ts.getTime();
      if (o.held) {
        if (!a) {
          await this.raiseFromRule(o);
          transitions++;
        } else {
          a.lastHeldAt = Math.max(a.lastHeldAt, t);
          a.clearAfterMinutes = o.rule.clearAfterMinutes;
          this.heldLastHeld.set(a.id, new Date(a.lastHeldAt));
          if (o.held !== a.colour) {
            await this.changeColour(a, o.held, o.ts, systemCtx(), null);
            transitions++;
          }
        }
      } else if (a) {
        a.clearAfterMinutes = o.rule.clearAfterMinutes;
        if (t - a.lastHeldAt >= o.rule.clearAfterMinutes * MINUTE) {
          await this.liftActive(key, a, o.ts, systemCtx(), {
            zh: `自动解除：${o.rule.clearAfterMinutes}分钟内规则均未满足`,
            en: `Lifted automatically: no rule held for ${o.rule.clearAfterMinutes} minutes`,
          });
          transitions++;
        }
      }
    }
    if (this.heldLastHeld.size > 0) {
      const rows = [...this.heldLastHeld].map(([id, at]) => ({ id, at }));
      this.heldLastHeld.clear();
      await repo.setLastHeld(this.deps.db.kysely, rows);
    }
    return transitions;
  }

  private async raiseFromRule(o: Observation): Promise<void> {
    const colour = o.held as Colour;
    const now = this.deps.clock.now();
    const id = this.deps.ids.next();
    const at = o.ts.toISOString();
    await this.deps.db.transaction(async (trx) => {
      const number = await nextNumber(trx, 'YJ', o.ts);
      await repo.insertWarning(
        trx,
        {
          id,
          number,
          hazard_code: o.hazardCode,
          colour,
          source: 'rule',
          device_id: o.device.id,
          device_name: o.device.name,
          rule_id: o.rule.id,
          ...ruleTitles(o.device.name, o.hazardCode, colour),
          // one text field: the rule in both languages (an English reader sees it too)
          description: `规则：${o.rule.name}${o.rule.nameEn ? ` / Rule: ${o.rule.nameEn}` : ''}`,
          raised_at: o.ts,
          last_held_at: o.ts,
          district_code: o.device.districtCode,
          geojson: JSON.stringify({ type: 'Point', coordinates: [o.device.lng, o.device.lat] }),
          level_history: [{ colour, at }],
          owner_unit: o.device.ownerUnit,
          exercise_id: o.exercise?.id ?? null,
          exercise_title: o.exercise?.title ?? null,
        },
        now,
      );
      const r = (await repo.findWarning(trx, id)) as repo.WarningRow;
      await this.transitionWrites(trx, r, 'raised', now);
      return r;
    });
    this.active.set(activeKey(o.device.id, o.hazardCode, o.exercise?.id), {
      id,
      colour,
      status: 'raised',
      lastHeldAt: o.ts.getTime(),
      clearAfterMinutes: o.rule.clearAfterMinutes,
    });
    this.deps.afterCommit();
  }

  /** the event, the alarm and the escalation of a transition, in its transaction */
  private async transitionWrites(
    trx: Tx,
    r: repo.WarningRow,
    what: 'raised' | 'risen' | 'fallen' | 'acknowledged' | 'lifted' | 'published' | 'promoted',
    now: Date,
  ): Promise<void> {
    const w = toWarning(r, this.deps.districtName);
    const type = what === 'raised' ? 'warning.raised' : what === 'lifted' ? 'warning.lifted' : 'warning.changed';
    await emitEvent(trx, now, {
      type,
      entity: 'warning',
      entityId: r.id,
      payload: { ...w, transition: what },
      visibility: warningVisibility(r),
    });
    if (what === 'raised' || what === 'risen' || what === 'fallen') {
      const colour = r.colour as Colour;
      const verbZh = what === 'raised' ? '发出' : what === 'risen' ? '升级为' : '降为';
      const verbEn = what === 'raised' ? 'raised' : what === 'risen' ? 'raised to' : 'lowered to';
      // a drill's warning: its alarm says 演练 first
      const tagZh = r.exercise_id ? EXERCISE_TAG.zh : '';
      const tagEn = r.exercise_id ? EXERCISE_TAG.en : '';
      await this.deps.alerts.raise(trx, now, {
        source: 'warning',
        sourceId: r.id,
        severity: SEVERITY_OF_COLOUR[colour],
        title: {
          zh: `${tagZh}${what === 'raised' ? '' : `${verbZh}${COLOUR_INFO[colour].zh}：`}${r.title}`,
          en: `${tagEn}${what === 'raised' ? '' : `${verbEn} ${colour}: `}${r.title_en || r.title}`,
        },
        link: `/warnings?id=${r.id}`,
        visibility: warningVisibility(r),
      });
      if (what !== 'fallen') await this.deps.escalation.started(trx, r, now);
    }
    if (what === 'acknowledged') await this.deps.escalation.stopped(trx, r.id);
    if (what === 'lifted') {
      await this.deps.alerts.resolve(trx, now, 'warning', r.id);
      await this.deps.escalation.stopped(trx, r.id);
    }
  }

  private async changeColour(
    a: Active,
    colour: Colour,
    at: Date,
    ctx: RequestCtx,
    reason: string | null,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const rose = colourRank(colour) > colourRank(a.colour);
    await this.deps.db.transaction(async (trx) => {
      const r = await repo.findWarning(trx, a.id);
      if (!r) return;
      const history = [
        ...((r.level_history ?? []) as { colour: string; at: string }[]),
        { colour, at: at.toISOString() },
      ];
      await repo.updateWarning(
        trx,
        a.id,
        {
          colour,
          level_history: history,
          last_held_at: new Date(a.lastHeldAt),
          // a rule warning's title names its colour in force
          ...(r.source === 'rule' && r.device_name ? ruleTitles(r.device_name, r.hazard_code, colour) : {}),
        },
        now,
      );
      const after = (await repo.findWarning(trx, a.id)) as repo.WarningRow;
      if (reason !== null)
        await recordAudit(trx, ctx, now, {
          action: 'warning.colour_changed',
          entity: 'warning',
          entityId: a.id,
          before: { colour: r.colour },
          after: { colour, reason },
        });
      await this.transitionWrites(trx, after, rose ? 'risen' : 'fallen', now);
    });
    a.colour = colour;
    this.deps.afterCommit();
  }

  private async liftActive(
    key: string,
    a: Active,
    at: Date,
    ctx: RequestCtx,
    reason: { zh: string; en: string },
  ): Promise<void> {
    await this.lift(a.id, at, ctx, reason.zh);
    this.active.delete(key);
  }

  private async lift(
    id: string,
    at: Date,
    ctx: RequestCtx,
    reason: string,
    version?: number,
  ): Promise<repo.WarningRow> {
    const now = this.deps.clock.now();
    const row = await this.deps.db.transaction(async (trx) => {
      const r = await repo.findWarning(trx, id);
      if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: WARNING_ENTITY });
      if (r.status === 'lifted') throw new AppError('WARNING_LIFTED', { field: 'id' });
      const ok = await repo.updateWarning(
        trx,
        id,
        { status: 'lifted', lifted_at: at, lifted_by: ctx.actor.name, lifted_reason: reason },
        now,
        version,
      );
      if (!ok) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
      const after = (await repo.findWarning(trx, id)) as repo.WarningRow;
      if (ctx.actor.kind !== 'system')
        await recordAudit(trx, ctx, now, {
          action: 'warning.lifted',
          entity: 'warning',
          entityId: id,
          before: { status: r.status, colour: r.colour },
          after: { status: 'lifted', reason },
        });
      await this.transitionWrites(trx, after, 'lifted', now);
      return after;
    });
    this.deps.afterCommit();
    this.deps.escalation.lifted?.(row, now);
    return row;
  }

  // ---- what people do ----

  async list(ctx: RequestCtx, q: WarningListQuery): Promise<{ items: Warning[]; total: number }> {
    requirePermission(ctx.actor, 'warnings.read');
    checkInput(WarningListQuerySchema, q);
    const { rows, total } = await repo.listWarnings(this.deps.db.kysely, ctx.actor, q);
    return { items: rows.map((r) => toWarning(r, this.deps.districtName)), total };
  }

  async read(ctx: RequestCtx, id: string): Promise<repo.WarningRow> {
    requirePermission(ctx.actor, 'warnings.read');
    const r = await repo.findWarning(this.deps.db.kysely, id);
    if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: WARNING_ENTITY });
    requireInScope(ctx.actor, warningVisibility(r), 'id');
    return r;
  }

  async get(ctx: RequestCtx, id: string): Promise<Warning> {
    return toWarning(await this.read(ctx, id), this.deps.districtName);
  }

  /** An area warning entered by hand (e.g. relaying a phone call of the meteorological bureau). */
  async create(ctx: RequestCtx, input: WarningInput): Promise<Warning> {
    requirePermission(ctx.actor, 'warnings.manage');
    checkInput(WarningInput, input);
    if (!findEventType(input.hazardCode))
      throw new AppError('WARNING_UNKNOWN_HAZARD', { field: 'hazardCode', value: input.hazardCode });
    let geojson: string | null = input.area ? JSON.stringify(input.area) : null;
    let district = input.district ?? null;
    if (!geojson && district) {
      const g = await this.deps.districtArea(district);
      if (!g) throw new AppError('UNKNOWN_UNIT', { field: 'district', value: district });
      geojson = JSON.stringify(g);
    }
    if (!geojson) throw new AppError('WARNING_AREA_REQUIRED', { field: 'area' });
    if (district === null && input.area) district = null;
    requireInScope(ctx.actor, { district, unit: ctx.actor.unitCode }, 'district');
    const now = this.deps.clock.now();
    const id = this.deps.ids.next();
    const r = await this.deps.db.transaction(async (trx) => {
      const number = await nextNumber(trx, 'YJ', now);
      await repo.insertWarning(
        trx,
        {
          id,
          number,
          hazard_code: input.hazardCode,
          colour: input.colour,
          source: 'manual',
          device_id: null,
          device_name: null,
          rule_id: null,
          title: input.title,
          title_en: input.titleEn ?? '',
          description: input.description ?? '',
          raised_at: now,
          last_held_at: null,
          district_code: district,
          geojson,
          level_history: [{ colour: input.colour, at: now.toISOString() }],
          expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
          owner_unit: ctx.actor.unitCode,
        },
        now,
      );
      const row = (await repo.findWarning(trx, id)) as repo.WarningRow;
      await recordAudit(trx, ctx, now, { action: 'warning.created', entity: 'warning', entityId: id, after: input });
      await this.transitionWrites(trx, row, 'raised', now);
      return row;
    });
    this.deps.afterCommit();
    return toWarning(r, this.deps.districtName);
  }

  /**
   * 接报确认 from the warnings board: acknowledges the warning's open alarm for the caller's unit (which sets the
   * warning acknowledged through the alarm's handler); a warning without an open alarm is set acknowledged here.
   */
  async acknowledge(ctx: RequestCtx, id: string): Promise<Warning> {
    requirePermission(ctx.actor, 'warnings.manage');
    const r = await this.read(ctx, id);
    if (r.status === 'lifted') throw new AppError('WARNING_LIFTED', { field: 'id' });
    const open = await this.deps.alerts.openAlertsOf('warning', id);
    if (open[0] && ctx.actor.unitCode) await this.deps.alerts.acknowledge(ctx, open[0]);
    else await this.db((trx) => this.markAcknowledged(trx, id, ctx, this.deps.clock.now()));
    return this.get(ctx, id);
  }

  private async db<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    const out = await this.deps.db.transaction(fn);
    this.deps.afterCommit();
    return out;
  }

  /** the alarm's acknowledgement (or the board's): raised → acknowledged, escalation stops */
  async markAcknowledged(trx: Tx, id: string, ctx: RequestCtx, now: Date): Promise<void> {
    const r = await repo.findWarning(trx, id);
    if (r?.status !== 'raised') return;
    await repo.updateWarning(
      trx,
      id,
      { status: 'acknowledged', acknowledged_at: now, acknowledged_by: ctx.actor.name },
      now,
    );
    const after = (await repo.findWarning(trx, id)) as repo.WarningRow;
    await recordAudit(trx, ctx, now, {
      action: 'warning.acknowledged',
      entity: 'warning',
      entityId: id,
      before: { status: 'raised' },
      after: { status: 'acknowledged' },
    });
    await this.transitionWrites(trx, after, 'acknowledged', now);
    const a = r.device_id ? this.active.get(activeKey(r.device_id, r.hazard_code, r.exercise_id)) : undefined;
    if (a) a.status = 'acknowledged';
  }

  async liftByHand(ctx: RequestCtx, id: string, input: { reason: string; version: number }): Promise<Warning> {
    requirePermission(ctx.actor, 'warnings.manage');
    checkInput(LiftInput, input);
    await this.read(ctx, id);
    const row = await this.lift(id, this.deps.clock.now(), ctx, input.reason, input.version);
    if (row.device_id) this.active.delete(activeKey(row.device_id, row.hazard_code, row.exercise_id));
    return toWarning(row, this.deps.districtName);
  }

  async setColour(
    ctx: RequestCtx,
    id: string,
    input: { colour: Colour; reason: string; version: number },
  ): Promise<Warning> {
    requirePermission(ctx.actor, 'warnings.manage');
    checkInput(ChangeColourInput, input);
    const r = await this.read(ctx, id);
    if (r.status === 'lifted') throw new AppError('WARNING_LIFTED', { field: 'id' });
    if (r.version !== input.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    if (r.colour === input.colour) return toWarning(r, this.deps.districtName);
    const key = r.device_id ? activeKey(r.device_id, r.hazard_code, r.exercise_id) : null;
    const a: Active = (key && this.active.get(key)) || {
      id,
      colour: r.colour as Colour,
      status: r.status as WarningStatus,
      lastHeldAt: (r.last_held_at ?? r.raised_at).getTime(),
      clearAfterMinutes: 60,
    };
    await this.changeColour(a, input.colour, this.deps.clock.now(), ctx, input.reason);
    return this.get(ctx, id);
  }

  /** A warning becomes an incident (#2) in one step: the incident's type is the hazard, its place the device's. */
  async promote(ctx: RequestCtx, id: string): Promise<{ incidentId: string; warning: Warning }> {
    requirePermission(ctx.actor, 'warnings.manage');
    requirePermission(ctx.actor, 'incidents.create');
    const r = await this.read(ctx, id);
    if (r.incident_id) throw new AppError('WARNING_ALREADY_PROMOTED', { field: 'id', value: r.incident_id });
    const w = toWarning(r, this.deps.districtName);
    const incident = await this.deps.createIncident(ctx, {
      title: r.title,
      typeCode: r.hazard_code,
      occurredAt: r.raised_at.toISOString(),
      description: `由预警 ${r.number} 转入（${COLOUR_INFO[r.colour as Colour].zh}）。${r.description}`.trim(),
      location: w.location ? { type: 'Point', coordinates: w.location.coordinates } : null,
    });
    const now = this.deps.clock.now();
    const after = await this.db(async (trx) => {
      await repo.updateWarning(trx, id, { incident_id: incident.id }, now);
      await recordAudit(trx, ctx, now, {
        action: 'warning.promoted',
        entity: 'warning',
        entityId: id,
        after: { incidentId: incident.id, incidentNumber: incident.number },
      });
      const row = (await repo.findWarning(trx, id)) as repo.WarningRow;
      await this.transitionWrites(trx, row, 'promoted', now);
      return row;
    });
    return { incidentId: incident.id, warning: toWarning(after, this.deps.districtName) };
  }

  // ---- CAP's side (cap.service.ts) ----

  /** the event, alarm and escalation of a warning just inserted (in its transaction) */
  async raisedWrites(trx: Tx, id: string, now: Date): Promise<void> {
    await this.transitionWrites(trx, (await repo.findWarning(trx, id)) as repo.WarningRow, 'raised', now);
  }

  /** the event of a change that is not a transition (published) */
  async changedWrites(trx: Tx, id: string, now: Date): Promise<void> {
    await this.transitionWrites(trx, (await repo.findWarning(trx, id)) as repo.WarningRow, 'published', now);
  }

  async liftByCap(ctx: RequestCtx, id: string, reason: string): Promise<void> {
    await this.lift(id, this.deps.clock.now(), ctx, reason);
  }

  /** a CAP Update of an imported warning: its texts, area and expiry, and its colour (a transition when it changes) */
  async updateFromCap(
    ctx: RequestCtx,
    id: string,
    u: { colour: Colour; title: string; titleEn: string; description: string; expiresAt: Date | null; geojson: string },
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.db(async (trx) => {
      const r = await repo.findWarning(trx, id);
      if (!r) return;
      const history = (r.level_history ?? []) as { colour: string; at: string }[];
      const changed = r.colour !== u.colour;
      await repo.updateWarning(
        trx,
        id,
        {
          title: u.title,
          title_en: u.titleEn,
          description: u.description,
          expires_at: u.expiresAt,
          geojson: u.geojson,
          ...(changed
            ? { colour: u.colour, level_history: [...history, { colour: u.colour, at: now.toISOString() }] }
            : {}),
        },
        now,
      );
      const after = (await repo.findWarning(trx, id)) as repo.WarningRow;
      await recordAudit(trx, ctx, now, { action: 'warning.updated_by_cap', entity: 'warning', entityId: id, after: u });
      const rose = changed && colourRank(u.colour) > colourRank(r.colour as Colour);
      await this.transitionWrites(trx, after, changed ? (rose ? 'risen' : 'fallen') : 'published', now);
    });
  }

  /** Drill mode: an ended exercise's warnings still active are lifted (their alarms resolved, escalation stopped). */
  async liftExercise(exerciseId: string, reason: string): Promise<number> {
    const ids = await repo.activeExerciseWarnings(this.deps.db.kysely, exerciseId);
    for (const id of ids) {
      const row = await this.lift(id, this.deps.clock.now(), systemCtx(), reason);
      if (row.device_id) this.active.delete(activeKey(row.device_id, row.hazard_code, row.exercise_id));
    }
    return ids.length;
  }

  /** Imported and manual warnings past their expiry are lifted (every minute). */
  async liftExpired(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await repo.expiredWarnings(this.deps.db.kysely, now);
    for (const id of due) await this.lift(id, now, systemCtx(), '已过有效期 / expired').catch(() => undefined);
    return due.length;
  }
}
