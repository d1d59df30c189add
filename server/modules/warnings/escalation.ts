/**
 * Escalation: policies say who is told of which warnings (hazards, districts, lowest colour) in steps; the first
 * step at once, the next when nobody has acknowledged after its minutes. Acknowledging or lifting stops it. Every
 * delivery is recorded with its outcome (`warning_deliveries`). Channels: in the app (the alarm every user in scope
 * sees; the delivery records who it was meant for), email (SMTP), webhook (POST JSON), an MQTT topic, SMS through
 * a configured HTTP gateway.
 * Several instances: a due step is claimed by moving its due time in one statement, so one instance sends it.
 */
import type { Static } from 'typebox';
import type { Colour } from '../../../contracts/monitoring.ts';
import { COLOUR_INFO, colourRank } from '../../../contracts/monitoring.ts';
import {
  type Channel,
  type Contact,
  type Delivery,
  type Policy,
  PolicyInput,
  PolicyPatch,
} from '../../../contracts/warnings.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { PlatformLog } from '../../platform/module.ts';
import * as erepo from './escalation.repository.ts';
import { findWarning, type WarningRow } from './warnings.repository.ts';
import type { EscalationHooks } from './warnings.service.ts';

const MINUTE = 60_000;
/** a drill's delivery on an external channel, as recorded */
export const SUPPRESSED = 'suppressed (演练)';
export const POLICY_ENTITY = { zh: '通知策略', en: 'escalation policy' };

export interface Message {
  subject: string;
  text: string;
  warning: WarningRow;
  link: string;
}

/** A channel's sender: resolves to the outcome (never throws). */
export type Sender = (contact: Contact, m: Message) => Promise<{ recipient: string; ok: boolean; detail: string }>;

/** someone on shift, as the roster names them, with what a channel needs to reach them */
export interface OnDutyContact {
  id: string;
  username: string;
  displayName: string;
  phone: string;
}

export interface EscalationDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: PlatformLog;
  senders: Record<Channel, Sender>;
  publicUrl: string;
  /** the people on shift in a unit's roster at an instant (the duty module's `onShift`); absent: no roster */
  onDuty?: (at: Date, unit: string, role: 'officer' | 'leader') => Promise<OnDutyContact[]>;
  /** an alarm when a step finds nobody on shift (in its own transaction) */
  alerts?: AlertsApi;
  afterCommit?: () => void;
}

interface Step {
  afterMinutes: number;
  contacts: Contact[];
}

function policyRow(r: {
  id: string;
  name: string;
  hazard_codes: string[];
  districts: string[];
  min_colour: string;
  steps: unknown;
  enabled: boolean;
  version: number;
}): Policy {
  return {
    id: r.id,
    name: r.name,
    hazardCodes: r.hazard_codes,
    districts: r.districts,
    minColour: r.min_colour as Colour,
    steps: r.steps as Step[],
    enabled: r.enabled,
    version: r.version,
  };
}

export function matches(p: Policy, w: Pick<WarningRow, 'hazard_code' | 'district_code' | 'colour'>): boolean {
  if (!p.enabled) return false;
  if (p.hazardCodes.length > 0 && !p.hazardCodes.includes(w.hazard_code)) return false;
  if (p.districts.length > 0 && (!w.district_code || !p.districts.includes(w.district_code))) return false;
  return colourRank(w.colour as Colour) >= colourRank(p.minColour);
}

export class Escalation implements EscalationHooks {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: EscalationDeps) {}

  // ---- policies ----

  async listPolicies(ctx: RequestCtx): Promise<{ items: Policy[]; total: number }> {
    requirePermission(ctx.actor, 'warnings.read');
    const rows = await erepo.listPolicies(this.deps.db.kysely);
    return { items: rows.map(policyRow), total: rows.length };
  }

  async createPolicy(ctx: RequestCtx, input: PolicyInput): Promise<Policy> {
    requirePermission(ctx.actor, 'warnings.policies');
    checkInput(PolicyInput, input);
    checkContacts(input.steps);
    const now = this.deps.clock.now();
    const id = this.deps.ids.next();
    await this.deps.db.transaction(async (trx) => {
      await erepo.insertPolicy(trx, id, { ...input, enabled: input.enabled ?? true }, now);
      await recordAudit(trx, ctx, now, {
        action: 'warning_policy.created',
        entity: 'warning_policy',
        entityId: id,
        after: input,
      });
    });
    return this.getPolicy(id);
  }

  private async getPolicy(id: string): Promise<Policy> {
    const r = await erepo.findPolicy(this.deps.db.kysely, id);
    if (!r) throw new AppError('NOT_FOUND', { field: 'id', entity: POLICY_ENTITY });
    return policyRow(r);
  }

  async updatePolicy(ctx: RequestCtx, id: string, patch: Static<typeof PolicyPatch>): Promise<Policy> {
    requirePermission(ctx.actor, 'warnings.policies');
    checkInput(PolicyPatch, patch);
    const before = await this.getPolicy(id);
    const next = { ...before, ...patch };
    checkContacts(next.steps);
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      if (!(await erepo.updatePolicy(trx, id, next, patch.version, now)))
        throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
      await recordAudit(trx, ctx, now, {
        action: 'warning_policy.updated',
        entity: 'warning_policy',
        entityId: id,
        before,
        after: patch,
      });
    });
    return this.getPolicy(id);
  }

  async deletePolicy(ctx: RequestCtx, id: string): Promise<void> {
    requirePermission(ctx.actor, 'warnings.policies');
    const before = await this.getPolicy(id);
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      await erepo.deletePolicy(trx, id);
      await recordAudit(trx, ctx, now, {
        action: 'warning_policy.deleted',
        entity: 'warning_policy',
        entityId: id,
        before,
      });
    });
  }

  async deliveries(warningId: string): Promise<Delivery[]> {
    const rows = await erepo.deliveriesOf(this.deps.db.kysely, warningId);
    return rows.map((r) => ({
      id: r.id,
      warningId: r.warning_id,
      policyId: r.policy_id,
      step: r.step,
      channel: r.channel as Channel,
      recipient: r.recipient,
      reason: r.reason,
      status: r.status as Delivery['status'],
      detail: r.detail,
      at: r.at.toISOString(),
    }));
  }

  // ---- hooks of the warning's transitions ----

  async started(trx: Tx, w: WarningRow, now: Date): Promise<void> {
    const policies = (await erepo.listPolicies(trx, true)).map(policyRow);
    for (const p of policies) {
      if (!matches(p, w)) continue;
      const due = new Date(now.getTime() + (p.steps[0]?.afterMinutes ?? 0) * MINUTE);
      await erepo.startEscalation(trx, w.id, p.id, due);
    }
  }

  async stopped(trx: Tx, warningId: string): Promise<void> {
    await erepo.stopEscalations(trx, warningId);
  }

  /** the sweep soon: the warnings service calls it after a transition's commit (its first step is due at once) */
  kick(): void {
    setImmediate(() => void this.sweep().catch((err) => this.deps.log.error('escalation sweep failed', err)));
  }

  start(everyMs = 30_000): void {
    this.timer = setInterval(
      () => void this.sweep().catch((err) => this.deps.log.error('escalation sweep failed', err)),
      everyMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends the steps that are due; returns how many deliveries were made. */
  async sweep(): Promise<number> {
    while (this.running) await this.running;
    let n = 0;
    this.running = (async () => {
      // a step falls due as the one before it is sent (when the sweep comes late): send until none is due
      for (let round = 0; round < 20; round++) {
        const sent = await this.sweepOnce();
        n += sent;
        if (sent === 0) break;
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
    return n;
  }

  private async sweepOnce(): Promise<number> {
    const now = this.deps.clock.now();
    const db = this.deps.db.kysely;
    const due = await erepo.dueSteps(db, now);
    let sent = 0;
    for (const d of due) {
      const steps = d.steps as Step[];
      const step = steps[d.next_step];
      // claim it: only the instance that moves the due time sends the step
      const nextDue =
        step && steps[d.next_step + 1] && d.next_due_at
          ? new Date(d.next_due_at.getTime() + (steps[d.next_step + 1]!.afterMinutes - step.afterMinutes) * MINUTE)
          : null;
      const claimed = await erepo.claimStep(db, d, nextDue);
      if (!claimed || !step || d.status !== 'raised') continue;
      const w = await findWarning(db, d.warning_id);
      if (!w) continue;
      const reason = d.next_step === 0 ? 'raised' : 'escalated';
      sent += await this.deliver(w, step.contacts, { policyId: d.policy_id, step: d.next_step, reason });
    }
    return sent;
  }

  private message(w: WarningRow, reason: string): Message {
    const colour = COLOUR_INFO[w.colour as Colour];
    const link = `${this.deps.publicUrl}/warnings?id=${w.id}`;
    const head =
      reason === 'lifted'
        ? `【预警解除】${w.title}`
        : `【${colour.zh}预警${reason === 'escalated' ? '·未确认升级通知' : ''}】${w.title}`;
    const en =
      reason === 'lifted'
        ? `Warning lifted: ${w.title_en || w.title}`
        : `${colour.en} warning${reason === 'escalated' ? ' (not acknowledged: escalated)' : ''}: ${w.title_en || w.title}`;
    return {
      subject: `${head} / ${en}`,
      text: `${head}\n${en}\n${w.number} · ${w.raised_at.toISOString()}\n${link}`,
      warning: w,
      link,
    };
  }

  private async deliver(
    w: WarningRow,
    contacts: Contact[],
    how: { policyId: string | null; step: number; reason: string },
  ): Promise<number> {
    const m = this.message(w, how.reason);
    const rows: erepo.DeliveryRow[] = [];
    const record = (ch: Channel, recipient: string, ok: boolean | 'suppressed', detail: string) =>
      rows.push({
        id: this.deps.ids.next(),
        warning_id: w.id,
        policy_id: how.policyId,
        step: how.step,
        channel: ch,
        recipient,
        reason: how.reason,
        status: ok === 'suppressed' ? 'suppressed' : ok ? 'sent' : 'failed',
        detail: detail.slice(0, 1000),
        at: this.deps.clock.now(),
      });
    // "the duty officer on shift": asked of the roster now, at sending; nobody off duty is contacted
    const resolved: Contact[] = [];
    for (const c of contacts) {
      if (!c.duty) {
        resolved.push(c);
        continue;
      }
      const unit = c.unit ?? 'yjj';
      const who = `${c.duty === 'officer' ? '值班员' : '带班领导'}@${unit}`;
      let people: OnDutyContact[] = [];
      let why = 'nobody is on shift in the roster';
      try {
        if (this.deps.onDuty) people = await this.deps.onDuty(this.deps.clock.now(), unit, c.duty);
        else why = 'no duty roster is installed';
      } catch (err) {
        why = `the roster could not be read: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (people.length === 0) {
        for (const ch of c.channels) record(ch, who, false, why);
        await this.nobodyOnShift(w, unit, c.duty, why);
        continue;
      }
      for (const p of people) {
        const person: Contact = {
          user: p.username,
          channels: c.channels,
          ...(p.phone ? { phone: p.phone } : {}),
          ...(c.webhookUrl ? { webhookUrl: c.webhookUrl } : {}),
          ...(c.mqttTopic ? { mqttTopic: c.mqttTopic } : {}),
        };
        const missing = c.channels.filter((ch) => (ch === 'sms' && !p.phone) || ch === 'email');
        for (const ch of missing)
          record(
            ch,
            p.username,
            false,
            ch === 'email' ? `no email address known for ${p.displayName}` : `no phone known for ${p.displayName}`,
          );
        const rest = c.channels.filter((ch) => !missing.includes(ch));
        if (rest.length) resolved.push({ ...person, channels: rest });
      }
    }
    await Promise.all(
      resolved.flatMap((c) =>
        c.channels.map(async (ch) => {
          // drill mode (演练): only the app hears of an exercise's warning; every external channel is recorded, not sent
          if (w.exercise_id && ch !== 'in_app') {
            record(
              ch,
              c.user ?? c.email ?? c.phone ?? c.webhookUrl ?? c.mqttTopic ?? c.unit ?? '?',
              'suppressed',
              SUPPRESSED,
            );
            return;
          }
          const out = await this.deps.senders[ch](c, m).catch((err: unknown) => ({
            recipient: c.user ?? c.unit ?? '?',
            ok: false,
            detail: err instanceof Error ? err.message : String(err),
          }));
          record(ch, out.recipient, out.ok, out.detail);
        }),
      ),
    );
    await erepo.insertDeliveries(this.deps.db.kysely, rows);
    return rows.length;
  }

  /** A step found nobody on shift: the warning would reach no one, so the duty room is alarmed. */
  private async nobodyOnShift(w: WarningRow, unit: string, duty: 'officer' | 'leader', why: string): Promise<void> {
    const alerts = this.deps.alerts;
    if (!alerts) return;
    const role = duty === 'officer' ? { zh: '值班员', en: 'duty officer' } : { zh: '带班领导', en: 'leader on duty' };
    const now = this.deps.clock.now();
    await this.deps.db.transaction((trx) =>
      alerts.raise(trx, now, {
        source: 'warning_delivery',
        sourceId: w.id,
        severity: 'II',
        title: {
          zh: `预警通知无人接收（${unit} 当前无${role.zh}在班）：${w.title}`,
          en: `Warning notice reached nobody (no ${role.en} on shift at ${unit}: ${why}): ${w.title_en || w.title}`,
        },
        link: `/warnings?id=${w.id}`,
        visibility: { permission: 'warnings.read', district: w.district_code },
      }),
    );
    this.deps.afterCommit?.();
  }

  /** A lift is told to everyone the warning reached. */
  lifted(w: WarningRow, _now: Date): void {
    void (async () => {
      const told = await erepo.stepsReached(this.deps.db.kysely, w.id);
      const seen = new Set<string>();
      for (const t of told) {
        const key = `${t.policy_id}|${t.step}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const step = (t.steps as Step[])[t.step];
        if (step) await this.deliver(w, step.contacts, { policyId: t.policy_id, step: t.step, reason: 'lifted' });
      }
    })().catch((err) => this.deps.log.error('lift notifications failed', err));
  }
}

/** Each contact must carry the address its channels need. */
function checkContacts(steps: { contacts: Contact[] }[]): void {
  steps.forEach((s, i) => {
    s.contacts.forEach((c, j) => {
      const field = `steps.${i}.contacts.${j}`;
      for (const ch of c.channels) {
        const need: Partial<Record<Channel, keyof Contact>> = {
          email: 'email',
          sms: 'phone',
          webhook: 'webhookUrl',
          mqtt: 'mqttTopic',
        };
        const k = need[ch];
        if (c.duty && c.user)
          throw new AppError('VALIDATION', { field: `${field}.user`, reason: 'a duty contact names no user' });
        // the duty officer's address is the roster's at sending time (email/SMS to what is known of them)
        if (c.duty && ch !== 'webhook' && ch !== 'mqtt') continue;
        if (k && !c[k]) throw new AppError('VALIDATION', { field: `${field}.${k}`, reason: `${ch} needs ${k}` });
        if (ch === 'in_app' && !c.user && !c.unit)
          throw new AppError('VALIDATION', { field: `${field}.user`, reason: 'in_app needs a user or a unit' });
      }
      if (c.webhookUrl && !/^https?:\/\//.test(c.webhookUrl))
        throw new AppError('VALIDATION', { field: `${field}.webhookUrl`, reason: 'http:// or https://' });
    });
  });
}
