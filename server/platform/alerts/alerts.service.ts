/**
 * The platform's alert service: modules raise alarms (a new incident, a level rise; later warnings, overdue tasks and
 * reports) inside their own transaction, and the platform keeps them open per unit until someone of the unit
 * acknowledges them. The platform knows no module: each source registers what acknowledging means for its records
 * (`onAcknowledge`), e.g. the incidents module writes the acknowledgement on the incident's log.
 */
import { type Alert, type AlertAck, AlertQuery, SEVERITIES, type Severity } from '../../../contracts/alerts.ts';
import { IdParams } from '../../../contracts/common.ts';
import { AppError } from '../../errors.ts';
import { inScope, requirePermission, scopeLabel, type Visibility } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.ts';
import { checkInput } from '../core/check-input.ts';
import { can, type RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db, Tx } from '../db/index.ts';
import { emitEvent } from '../events/events.ts';
import * as repo from './alerts.repository.ts';

/** What a module raises. */
export interface AlertInput {
  /** the raising module's kind of record: `incident`, `warning`, `task` … (its `onAcknowledge` handler's key) */
  source: string;
  sourceId: string;
  severity: Severity;
  /** the record in words, both languages (the web adds the level's wording: 特别重大 …) */
  title: { zh: string; en: string };
  /** the record's page in the web app */
  link: string;
  /** who may see it: the same as the record's own events */
  visibility: Visibility;
}

/**
 * A source module's reaction to an acknowledgement, in the acknowledging transaction (`alert.acknowledged` holds the
 * unit's acknowledgement): a log entry, an audit row, an event of its own.
 */
export type AckHandler = (trx: Tx, alert: Alert & { acknowledged: AlertAck }, ctx: RequestCtx) => Promise<void>;

export interface AlertsApi {
  /** Writes an alarm and its `alert.raised` event in the caller's transaction (delivered only if it commits). */
  raise(trx: Tx, now: Date, a: AlertInput): Promise<Alert>;
  /**
   * Ends a record's open alarms in the caller's transaction (an incident closed): they leave every tray, and an
   * `alert.resolved` event clears them from the screens showing them.
   */
  resolve(trx: Tx, now: Date, source: string, sourceId: string): Promise<number>;
  /** Registers what acknowledging an alarm of this source means to the module that raised it (one per source). */
  onAcknowledge(source: string, handler: AckHandler): void;
  /** The caller's open alarms: visible to them and not yet acknowledged by their unit. */
  listOpen(ctx: RequestCtx, q: AlertQuery): Promise<{ items: Alert[]; total: number }>;
  /** Acknowledges for the caller's unit; a second acknowledgement of the same unit writes nothing. */
  acknowledge(ctx: RequestCtx, id: string): Promise<{ alert: Alert; acknowledgedNow: boolean }>;
  /** the unresolved alerts of one record, newest first (a module acknowledging its record's alarm from its own page) */
  openAlertsOf(source: string, sourceId: string): Promise<string[]>;
}

export interface AlertDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** after a commit that wrote events: deliver them at once */
  afterCommit: () => void;
}

export const ALERT_ENTITY = { zh: '告警', en: 'alert' };

function visibilityOf(r: repo.AlertRow): Visibility {
  return { permission: r.permission, district: r.district_code, unit: r.unit_code };
}

function ackDto(k: repo.AckRow, unit: { id: string; name: string; name_en: string } | undefined): AlertAck {
  return {
    unitId: unit?.id ?? k.unit_code,
    unitCode: k.unit_code,
    unitName: unit?.name ?? k.unit_code,
    unitNameEn: unit?.name_en ?? '',
    userId: k.user_id,
    userName: k.user_name,
    at: k.at.toISOString(),
  };
}

function toDto(r: repo.AlertRow, acknowledged: AlertAck | null): Alert {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    severity: r.severity as Severity,
    title: { zh: r.title_zh, en: r.title_en },
    link: r.link,
    district: r.district_code
      ? { code: r.district_code, name: r.district_name ?? r.district_code, nameEn: r.district_name_en ?? '' }
      : null,
    raisedAt: r.raised_at.toISOString(),
    acknowledged,
  };
}

export class AlertService implements AlertsApi {
  readonly #handlers = new Map<string, AckHandler>();

  constructor(private readonly deps: AlertDeps) {}

  async raise(trx: Tx, now: Date, a: AlertInput): Promise<Alert> {
    if (!(SEVERITIES as readonly string[]).includes(a.severity)) {
      throw new AppError('VALIDATION', { field: 'severity', reason: a.severity });
    }
    const row = await repo.insertAlert(trx, {
      id: this.deps.ids.next(),
      source: a.source,
      source_id: a.sourceId,
      severity: a.severity,
      title_zh: a.title.zh,
      title_en: a.title.en,
      link: a.link,
      permission: a.visibility.permission,
      district_code: a.visibility.district ?? null,
      unit_code: a.visibility.unit ?? null,
      raised_at: now,
    });
    const dto = toDto(row, null);
    await emitEvent(trx, now, {
      type: 'alert.raised',
      entity: 'alert',
      entityId: dto.id,
      payload: dto,
      visibility: { ...a.visibility, internal: false },
    });
    return dto;
  }

  async resolve(trx: Tx, now: Date, source: string, sourceId: string): Promise<number> {
    const ended = await repo.resolveAlerts(trx, source, sourceId, now);
    for (const r of ended)
      await emitEvent(trx, now, {
        type: 'alert.resolved',
        entity: 'alert',
        entityId: r.id,
        payload: { alertId: r.id, source, sourceId },
        visibility: { permission: r.permission, district: r.district_code, unit: r.unit_code },
      });
    return ended.length;
  }

  openAlertsOf(source: string, sourceId: string): Promise<string[]> {
    return repo.openAlertsOf(this.deps.db.kysely, source, sourceId);
  }

  onAcknowledge(source: string, handler: AckHandler): void {
    if (this.#handlers.has(source)) throw new Error(`alerts: a handler of ${source} acknowledgements exists already`);
    this.#handlers.set(source, handler);
  }

  async listOpen(ctx: RequestCtx, q: AlertQuery): Promise<{ items: Alert[]; total: number }> {
    requirePermission(ctx.actor, 'alerts.read');
    checkInput(AlertQuery, q);
    const { rows, total } = await repo.listOpen(this.deps.db.kysely, ctx.actor, q.limit ?? 50, q.offset ?? 0);
    return { items: rows.map((r) => toDto(r, null)), total };
  }

  async acknowledge(ctx: RequestCtx, id: string): Promise<{ alert: Alert; acknowledgedNow: boolean }> {
    requirePermission(ctx.actor, 'alerts.acknowledge');
    checkInput(IdParams, { id });
    const unitCode = ctx.actor.unitCode;
    if (!unitCode) throw new AppError('ALERT_NO_UNIT', { field: 'unit' });
    const now = this.deps.clock.now();
    const result = await this.deps.db.transaction(async (trx) => {
      const r = await repo.findAlert(trx, id);
      if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: ALERT_ENTITY });
      const v = visibilityOf(r);
      if (!can(ctx.actor, v.permission)) throw new AppError('FORBIDDEN', { permission: v.permission });
      if (!inScope(ctx.actor, v)) throw new AppError('OUT_OF_SCOPE', { field: 'id', scope: scopeLabel(ctx.actor) });
      const unit = await repo.findUnit(trx, unitCode);
      const written = await repo.insertAck(trx, {
        alert_id: id,
        unit_code: unitCode,
        user_id: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        user_name: ctx.actor.name,
        at: now,
      });
      if (!written) {
        // acknowledged by the unit already (by this user or a colleague): the answer says by whom, nothing is written
        const had = await repo.findAck(trx, id, unitCode);
        return { alert: toDto(r, had ? ackDto(had, unit) : null), acknowledgedNow: false };
      }
      const ack = ackDto(written, unit);
      const alert = toDto(r, ack);
      await recordAudit(trx, ctx, now, {
        action: 'alert.acknowledged',
        entity: 'alert',
        entityId: id,
        after: { source: r.source, sourceId: r.source_id, severity: r.severity, ...ack },
      });
      await this.#handlers.get(r.source)?.(trx, { ...alert, acknowledged: ack }, ctx);
      // to everyone who sees the alert: the acknowledging unit's other screens clear it, others may show who did
      await emitEvent(trx, now, {
        type: 'alert.acknowledged',
        entity: 'alert',
        entityId: id,
        payload: { alertId: id, ack },
        visibility: v,
      });
      return { alert, acknowledgedNow: true };
    });
    if (result.acknowledgedNow) this.deps.afterCommit();
    return result;
  }
}
