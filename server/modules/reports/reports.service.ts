/**
 * Reports on incidents: the clocks per category (settings), each incident's schedule (computed by `schedule.ts` from
 * the incident's fields, its recorded levels and the reports written), drafts made from the incident's data, edits,
 * issuing (every issued version kept unchanged, the fact on the incident's log), the .docx, reminders before and
 * after each due time (claimed once across instances), and the situation report.
 */

import { describeLogEntry } from '../../../contracts/incident-text.ts';
import {
  CATEGORIES,
  type Category,
  type Incident,
  LEVEL_INFO,
  type Level,
  STATUS_INFO,
} from '../../../contracts/incidents.ts';
import {
  CLOCK_BASIS,
  type ClockSet,
  DEFAULT_CLOCKS,
  type DueReport,
  REPORT_KIND_INFO,
  type Report,
  ReportDraftInput,
  type ReportHeader,
  ReportIssueInput,
  type ReportKind,
  ReportPatch,
  type ReportSections,
  type ReportSettings,
  ReportSettingsInput,
  type ReportSlot,
  type ReportVersion,
  type Sitrep,
} from '../../../contracts/reports.ts';
import { AppError } from '../../errors.ts';
import { inScope, requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import type { AlertsApi } from '../../platform/alerts/alerts.service.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import { cityDateTime } from '../../platform/time.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import { chineseDateTime, reportDocx, type SitrepIncident, sitrepDocx } from './report-docx.ts';
import * as repo from './reports.repository.ts';
import { planSchedule, slotForDraft, type WrittenReport } from './schedule.ts';
import './reports.errors.ts';

const SETTINGS_KEY = 'reports.settings';
const ACTIVE = 'reported,verified,responding,recovering';
const DAY = 86_400_000;
/** an overdue alarm is raised for a due time passed within this long (not for a register's old records) */
const OVERDUE_ALARM_WINDOW = 6 * 3_600_000;
export const REPORT_ENTITY = { zh: '报告', en: 'report' };

export interface ReportsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  incidents: () => IncidentsApi;
  alerts: Pick<AlertsApi, 'raise'>;
  /** unit code → its name */
  unitName: (code: string | null) => string;
  log: { error(msg: string, err?: unknown): void };
}

interface StoredSettings {
  clocks: Partial<Record<Category, ClockSet>>;
  reminderMinutes: number;
  sitrepTimes: string[];
}
const DEFAULT_SETTINGS: StoredSettings = { clocks: {}, reminderMinutes: 15, sitrepTimes: ['08:00', '17:00'] };

export async function readSettings(db: Tx): Promise<ReportSettings> {
  const s = await getSetting(db, SETTINGS_KEY);
  const v = { ...DEFAULT_SETTINGS, ...((s?.value as StoredSettings | undefined) ?? {}) };
  return {
    clocks: Object.fromEntries(CATEGORIES.map((c) => [c, v.clocks[c] ?? DEFAULT_CLOCKS])),
    reminderMinutes: v.reminderMinutes,
    sitrepTimes: v.sitrepTimes,
    version: s?.version ?? 0,
    defaults: DEFAULT_CLOCKS,
    basis: CLOCK_BASIS,
  };
}

export async function getSettings(deps: ReportsDeps, ctx: RequestCtx): Promise<ReportSettings> {
  requirePermission(ctx.actor, 'reports.read');
  return readSettings(deps.db.kysely);
}

export async function putSettings(
  deps: ReportsDeps,
  ctx: RequestCtx,
  input: ReportSettingsInput,
): Promise<ReportSettings> {
  requirePermission(ctx.actor, 'reports.configure');
  checkInput(ReportSettingsInput, input);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const before = await readSettings(trx);
    if (input.version !== undefined && input.version !== before.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    const value: StoredSettings = {
      clocks: input.clocks,
      reminderMinutes: input.reminderMinutes,
      sitrepTimes: [...input.sitrepTimes].sort(),
    };
    await putSetting(trx, SETTINGS_KEY, value, now);
    await recordAudit(trx, ctx, now, {
      action: 'reports.settings_changed',
      entity: 'setting',
      entityId: SETTINGS_KEY,
      before: { clocks: before.clocks, reminderMinutes: before.reminderMinutes, sitrepTimes: before.sitrepTimes },
      after: value,
    });
  });
  return readSettings(deps.db.kysely);
}

function visibility(owner: { district: string | null; unit: string | null } | undefined): Visibility {
  return { permission: 'reports.read', district: owner?.district ?? null, unit: owner?.unit ?? null };
}

function written(r: repo.ReportRow): WrittenReport {
  return {
    id: r.id,
    kind: r.kind as ReportKind,
    seq: r.seq,
    version: r.version,
    issuedVersions: r.issued_versions,
    issuedAt: r.issued_at,
  };
}

function toReport(r: repo.ReportRow): Report {
  return {
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind as ReportKind,
    seq: r.seq,
    dueAt: r.due_at.toISOString(),
    title: r.title,
    sections: r.sections as ReportSections,
    header: r.header as ReportHeader,
    version: r.version,
    issuedVersions: r.issued_versions,
    issuedAt: r.issued_at ? r.issued_at.toISOString() : null,
    changedSinceIssue: r.changed_since_issue,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The schedules of many incidents with two queries (their reports, their recorded levels). */
async function schedules(
  deps: ReportsDeps,
  incidents: readonly Incident[],
  now: Date,
): Promise<Map<string, { slots: ReportSlot[]; rows: repo.ReportRow[] }>> {
  const ids = incidents.map((i) => i.id);
  const [settings, rows, levels] = await Promise.all([
    readSettings(deps.db.kysely),
    repo.listReports(deps.db.kysely, ids),
    repo.listLevelChanges(deps.db.kysely, ids),
  ]);
  const out = new Map<string, { slots: ReportSlot[]; rows: repo.ReportRow[] }>();
  for (const i of incidents) {
    const mine = rows.filter((r) => r.incident_id === i.id);
    const due = new Map(mine.map((r) => [r.id, r.due_at]));
    const slots = planSchedule(
      {
        reportedAt: new Date(i.reportedAt),
        closedAt: i.closedAt ? new Date(i.closedAt) : null,
        level: i.level,
        levels: levels.filter((l) => l.incident_id === i.id).map((l) => ({ at: l.at, level: l.level as Level | null })),
      },
      settings.clocks[i.category] ?? DEFAULT_CLOCKS,
      mine.map(written),
      now,
      (r) => due.get(r.id) ?? now,
    );
    out.set(i.id, { slots, rows: mine });
  }
  return out;
}

export async function scheduleOf(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
): Promise<{ items: ReportSlot[]; total: number }> {
  requirePermission(ctx.actor, 'reports.read');
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  const { slots } = (await schedules(deps, [incident], deps.clock.now())).get(incident.id)!;
  return { items: slots, total: slots.length };
}

/** The incidents whose reports are still running: open ones, and those closed lately (their final report). */
async function activeIncidents(deps: ReportsDeps, ctx: RequestCtx, now: Date): Promise<Incident[]> {
  const out: Incident[] = [];
  const walk = async (q: { status: string; from?: string }) => {
    for (let offset = 0; ; offset += 500) {
      const page = await deps.incidents().listIncidents(ctx, { ...q, limit: 500, offset });
      out.push(...page.items);
      if (page.items.length < 500 || offset + 500 >= page.total) break;
    }
  };
  await walk({ status: ACTIVE });
  // a final report is due days after closing: incidents of the last two months cover any clock up to that
  await walk({ status: 'closed', from: new Date(now.getTime() - 60 * DAY).toISOString() });
  return out.filter((i) => i.status !== 'closed' || (i.closedAt && Date.parse(i.closedAt) > now.getTime() - 60 * DAY));
}

/** Reports due within the hours, and every overdue one, across the incidents in the caller's scope, by due time. */
export async function listDue(
  deps: ReportsDeps,
  ctx: RequestCtx,
  withinHours = 24,
): Promise<{ items: DueReport[]; total: number }> {
  requirePermission(ctx.actor, 'reports.read');
  const now = deps.clock.now();
  const until = now.getTime() + withinHours * 3_600_000;
  const incidents = await activeIncidents(deps, ctx, now);
  const plans = await schedules(deps, incidents, now);
  const items: DueReport[] = [];
  for (const i of incidents) {
    const slots = plans.get(i.id)!.slots;
    // once the final report is out, what was missed before it is covered by it
    if (slots.some((s) => s.kind === 'final' && s.status === 'issued')) continue;
    for (const s of slots) {
      if (s.status === 'issued' || Date.parse(s.dueAt) > until) continue;
      items.push({
        incidentId: i.id,
        incidentNumber: i.number,
        incidentTitle: i.title,
        reportId: s.id,
        kind: s.kind,
        dueAt: s.dueAt,
        status: s.status,
      });
    }
  }
  items.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return { items, total: items.length };
}

const num = (n: number) => n.toLocaleString('zh-CN');

/** The sections as the incident's data says them, in Chinese (the language of the document). */
async function draftText(
  deps: ReportsDeps,
  ctx: RequestCtx,
  i: Incident,
  kind: ReportKind,
): Promise<{ title: string; sections: ReportSections }> {
  const c = i.casualties;
  const where = i.address || i.district?.name || '（地点不详）';
  const level = i.level ? `${i.level}级（${LEVEL_INFO[i.level].zh}）` : '未定级';
  const basic = [
    `${chineseDateTime(new Date(i.occurredAt))}，${where}发生${i.typeName}：${i.title}。`,
    `事件编号 ${i.number}，接报时间 ${chineseDateTime(new Date(i.reportedAt))}${i.reporter.name ? `，报告人 ${i.reporter.name}${i.reporter.unit ? `（${i.reporter.unit}）` : ''}` : ''}。`,
    `事件级别：${level}。定级依据：${i.levelBasis}。当前状态：${STATUS_INFO[i.status].zh}。`,
    ...(i.description.trim() ? [i.description.trim()] : []),
  ].join('\n');
  const casualties = [
    `死亡 ${num(c.deaths)} 人，失踪 ${num(c.missing)} 人，重伤 ${num(c.seriouslyInjured)} 人，轻伤 ${num(c.injured)} 人。`,
    `受灾 ${num(c.affected)} 人，紧急转移安置 ${num(c.relocated)} 人。`,
    `直接经济损失约 ${num(i.directLossWan)} 万元。`,
  ].join('\n');
  const log = await deps.incidents().listLog(ctx, i.id, 50);
  const measures = log.items
    .filter((e) => e.kind !== 'created' && e.kind !== 'report_issued')
    .reverse()
    .map((e) => `${chineseDateTime(new Date(e.at))}，${describeLogEntry(e.kind, e.data, 'zh') ?? e.text}`)
    .join('\n');
  const nextSteps =
    kind === 'final' ? '事件处置工作已结束，善后和调查工作按有关规定开展。' : '继续跟踪事态发展，及时续报有关情况。';
  return {
    title: `关于${i.title}的${REPORT_KIND_INFO[kind].zh}`,
    sections: { basic, casualties, measures, nextSteps, requests: '' },
  };
}

/** Drafts the report of the next open slot of this kind from the incident's data. */
export async function createReport(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
  input: { kind: ReportKind },
): Promise<Report> {
  requirePermission(ctx.actor, 'reports.write');
  checkInput(ReportDraftInput, input);
  const incidents = deps.incidents();
  const incident = await incidents.getIncident(ctx, incidentId);
  const now = deps.clock.now();
  const kindWords = { zh: REPORT_KIND_INFO[input.kind].zh, en: REPORT_KIND_INFO[input.kind].en.toLowerCase() };
  if (input.kind === 'final' && incident.status !== 'closed')
    throw new AppError('FINAL_BEFORE_CLOSE', { field: 'kind' });
  // after closing only the final report is written (an earlier one could not be issued on the closed record)
  if (input.kind !== 'final' && incident.status === 'closed')
    throw new AppError('INCIDENT_CLOSED', { field: 'status' });
  const { slots } = (await schedules(deps, [incident], now)).get(incident.id)!;
  const slot = slotForDraft(slots, input.kind);
  if (!slot) {
    const code = input.kind === 'update' ? 'NO_OPEN_SLOT' : 'REPORT_EXISTS';
    throw new AppError(code, { field: 'kind', value: kindWords });
  }
  const text = await draftText(deps, ctx, incident, input.kind);
  const header: ReportHeader = {
    unit: deps.unitName(ctx.actor.unitCode),
    signer: '',
    docNumber: `${incident.number}-${input.kind === 'update' ? `续${slot.seq}` : REPORT_KIND_INFO[input.kind].zh}`,
    reporter: ctx.actor.name,
    phone: '',
  };
  const owner = await incidents.ownerOf(incident.id);
  const id = deps.ids.next();
  const row = await deps.db.transaction(async (trx) => {
    const ok = await repo.insertReport(trx, {
      id,
      incident_id: incident.id,
      kind: input.kind,
      seq: slot.seq,
      due_at: new Date(slot.dueAt),
      title: text.title,
      sections: text.sections,
      header,
      district_code: owner?.district ?? null,
      unit_code: owner?.unit ?? null,
      created_by: ctx.actor.id,
      now,
    });
    if (!ok) throw new AppError('REPORT_EXISTS', { field: 'kind', value: kindWords });
    const r = (await repo.findReport(trx, id))!;
    await recordChange(trx, ctx, now, 'report.drafted', r, { after: toReport(r) });
    return r;
  });
  deps.afterCommit();
  return toReport(row);
}

async function recordChange(
  trx: Tx,
  ctx: RequestCtx,
  now: Date,
  type: 'report.drafted' | 'report.updated' | 'report.issued',
  r: repo.ReportRow,
  audit: { before?: unknown; after?: unknown },
): Promise<void> {
  await recordAudit(trx, ctx, now, { action: type, entity: 'report', entityId: r.id, ...audit });
  await emitEvent(trx, now, {
    type,
    entity: 'report',
    entityId: r.id,
    payload: toReport(r),
    visibility: visibility({ district: r.district_code, unit: r.unit_code }),
  });
}

/** The report's row, if it belongs to the incident and lies in the caller's scope. */
async function reportRow(ctx: RequestCtx, db: Tx, incidentId: string, reportId: string, forUpdate = false) {
  const r = await repo.findReport(db, reportId, forUpdate);
  if (!r || r.incident_id !== incidentId) throw new AppError('NOT_FOUND', { field: 'reportId', entity: REPORT_ENTITY });
  requireInScope(ctx.actor, { district: r.district_code, unit: r.unit_code }, 'reportId');
  return r;
}

/**
 * The incident (read through its door, outside any transaction: on the embedded database a transaction holds the one
 * connection) and the report, if it belongs to the incident and the caller may see both.
 */
async function load(deps: ReportsDeps, ctx: RequestCtx, incidentId: string, reportId: string) {
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  return { incident, r: await reportRow(ctx, deps.db.kysely, incident.id, reportId) };
}

export async function getReport(deps: ReportsDeps, ctx: RequestCtx, incidentId: string, reportId: string) {
  requirePermission(ctx.actor, 'reports.read');
  return toReport((await load(deps, ctx, incidentId, reportId)).r);
}

export async function updateReport(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
  reportId: string,
  patch: ReportPatch,
): Promise<Report> {
  requirePermission(ctx.actor, 'reports.write');
  checkInput(ReportPatch, patch);
  if (patch.title !== undefined && !patch.title.trim())
    throw new AppError('VALIDATION', { field: 'title', reason: { zh: '不能只有空白', en: 'must not be blank' } });
  const now = deps.clock.now();
  const incident = await deps.incidents().getIncident(ctx, incidentId);
  const row = await deps.db.transaction(async (trx) => {
    const r = await reportRow(ctx, trx, incident.id, reportId, true);
    if (r.version !== patch.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    const before = toReport(r);
    const next = {
      title: patch.title?.trim() ?? r.title,
      sections: { ...(r.sections as ReportSections), ...patch.sections },
      header: { ...(r.header as ReportHeader), ...patch.header },
    };
    if (!(await repo.updateReport(trx, r.id, r.version, next, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version + 1 });
    const after = (await repo.findReport(trx, r.id))!;
    await recordChange(trx, ctx, now, 'report.updated', after, { before, after: toReport(after) });
    return after;
  });
  deps.afterCommit();
  return toReport(row);
}

/** Issues the text in force as the next version (kept unchanged), and writes the fact on the incident's log. */
export async function issueReport(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
  reportId: string,
  input: { version: number },
): Promise<Report> {
  requirePermission(ctx.actor, 'reports.issue');
  checkInput(ReportIssueInput, input);
  const now = deps.clock.now();
  const { incident, r: had } = await load(deps, ctx, incidentId, reportId);
  // only the final report follows closing on the log; an earlier one issued after closing would be refused there
  if (incident.status === 'closed' && had.kind !== 'final') throw new AppError('INCIDENT_CLOSED', { field: 'status' });
  const row = await deps.db.transaction(async (trx) => {
    const r = await reportRow(ctx, trx, incident.id, had.id, true);
    if (r.version !== input.version) throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version });
    if (!r.changed_since_issue) throw new AppError('NOTHING_TO_ISSUE', { field: 'version' });
    if (!(r.sections as ReportSections).basic.trim()) throw new AppError('SECTIONS_EMPTY', { field: 'sections.basic' });
    const n = r.issued_versions + 1;
    if (!(await repo.insertVersion(trx, r, n, { id: ctx.actor.id, name: ctx.actor.name }, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: r.version + 1 });
    const after = (await repo.findReport(trx, r.id))!;
    await recordChange(trx, ctx, now, 'report.issued', after, { after: { version: n, kind: r.kind, seq: r.seq } });
    return after;
  });
  deps.afterCommit();
  try {
    await deps
      .incidents()
      .recordFact(
        ctx,
        incidentId,
        { kind: 'report_issued', reportKind: row.kind as ReportKind, version: row.issued_versions },
        { allowClosed: row.kind === 'final' },
      );
  } catch (err) {
    // the report is issued and audited; the log line is the record's echo, not its substance
    deps.log.error(`report ${row.id} issued, but its log entry was not written`, err);
  }
  return toReport(row);
}

export async function listVersions(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
  reportId: string,
): Promise<{ items: ReportVersion[]; total: number }> {
  requirePermission(ctx.actor, 'reports.read');
  const { r } = await load(deps, ctx, incidentId, reportId);
  const rows = await repo.listVersions(deps.db.kysely, r.id);
  const items = rows.map((v) => ({
    reportId: v.report_id,
    version: v.version,
    title: v.title,
    sections: v.sections as ReportSections,
    header: v.header as ReportHeader,
    issuedAt: v.issued_at.toISOString(),
    issuedBy: v.issued_by,
  }));
  return { items, total: items.length };
}

/** The report as .docx: an issued version, or without one the text in force (marked a draft unless just issued). */
export async function reportFile(
  deps: ReportsDeps,
  ctx: RequestCtx,
  incidentId: string,
  reportId: string,
  version?: number,
): Promise<{ file: Buffer; name: string }> {
  requirePermission(ctx.actor, 'reports.read');
  const { incident, r } = await load(deps, ctx, incidentId, reportId);
  const kind = r.kind as ReportKind;
  let doc: {
    title: string;
    sections: ReportSections;
    header: ReportHeader;
    issuedAt: Date | null;
    version: number | null;
  };
  if (version !== undefined || (!r.changed_since_issue && r.issued_versions > 0)) {
    const n = version ?? r.issued_versions;
    const v = await repo.findVersion(deps.db.kysely, r.id, n);
    if (!v) throw new AppError('NO_SUCH_VERSION', { field: 'version', value: String(n) });
    doc = {
      title: v.title,
      sections: v.sections as ReportSections,
      header: v.header as ReportHeader,
      issuedAt: v.issued_at,
      version: v.version,
    };
  } else {
    doc = {
      title: r.title,
      sections: r.sections as ReportSections,
      header: r.header as ReportHeader,
      issuedAt: null,
      version: null,
    };
  }
  const file = await reportDocx({ kind, incidentNumber: incident.number, ...doc, now: deps.clock.now() });
  const suffix = kind === 'update' ? `续报${r.seq}` : REPORT_KIND_INFO[kind].zh;
  return { file, name: `${incident.number}-${suffix}${doc.version ? `-v${doc.version}` : '-草稿'}.docx` };
}

/** Records an incident's level from the time of its event (the update clock re-plans on a change). */
export async function recordLevelOf(deps: ReportsDeps, payload: unknown, at: Date): Promise<void> {
  const p = payload as Partial<Incident> | null;
  if (!p?.id || p.level === undefined) return;
  await repo.recordLevel(deps.db.kysely, p.id, at, p.level);
}

/**
 * Raises one alarm `reminderMinutes` before each due time and one when it passes, for reports not issued. Each is
 * claimed by its row in `report_reminders` inside the alarm's transaction, so another instance checking at the same
 * time raises nothing. Returns how many alarms were raised.
 */
export async function checkReminders(deps: ReportsDeps): Promise<number> {
  const now = deps.clock.now();
  const ctx = systemCtx();
  const settings = await readSettings(deps.db.kysely);
  const soon = settings.reminderMinutes * 60_000;
  const incidents = await activeIncidents(deps, ctx, now);
  const plans = await schedules(deps, incidents, now);
  let raised = 0;
  for (const i of incidents) {
    const slots = plans.get(i.id)!.slots;
    if (slots.some((s) => s.kind === 'final' && s.status === 'issued')) continue;
    for (const s of slots) {
      if (s.status === 'issued') continue;
      const due = Date.parse(s.dueAt);
      const what =
        due <= now.getTime()
          ? now.getTime() - due <= OVERDUE_ALARM_WINDOW
            ? 'overdue'
            : null
          : due - now.getTime() <= soon
            ? 'soon'
            : null;
      if (!what) continue;
      const owner = await deps.incidents().ownerOf(i.id);
      const kind = REPORT_KIND_INFO[s.kind];
      const nth = s.kind === 'update' ? ` ${s.seq}` : '';
      const at = chineseDateTime(new Date(due));
      const ok = await deps.db.transaction(async (trx) => {
        const claimed = await repo.claimReminder(trx, {
          incident_id: i.id,
          kind: s.kind,
          seq: s.seq,
          due_at: new Date(due),
          what,
          sent_at: now,
        });
        if (!claimed) return false;
        await deps.alerts.raise(trx, now, {
          source: 'report',
          sourceId: i.id,
          severity: i.level ?? 'IV',
          title:
            what === 'soon'
              ? {
                  zh: `${kind.zh}${nth}将于 ${at} 到期：${i.number} ${i.title}`,
                  en: `${kind.en}${nth} due at ${cityDateTime(due)} (Beijing time): ${i.number} ${i.title}`,
                }
              : {
                  zh: `${kind.zh}${nth}已超时（应于 ${at} 报送）：${i.number} ${i.title}`,
                  en: `${kind.en}${nth} overdue (due ${cityDateTime(due)}, Beijing time): ${i.number} ${i.title}`,
                },
          link: `/incidents/${i.id}?panel=reports`,
          visibility: { permission: 'reports.read', district: owner?.district ?? null, unit: owner?.unit ?? null },
        });
        return true;
      });
      if (ok) raised++;
    }
  }
  if (raised) deps.afterCommit();
  return raised;
}

/** The SitRep of the incidents the caller sees (the system: all), as .docx. */
export async function buildSitrep(deps: ReportsDeps, ctx: RequestCtx): Promise<{ file: Buffer; incidents: number }> {
  const now = deps.clock.now();
  const incidents = (await activeIncidents(deps, ctx, now)).filter((i) => i.status !== 'closed');
  const plans = await schedules(deps, incidents, now);
  const rows: SitrepIncident[] = [];
  for (const i of incidents) {
    const slots = plans.get(i.id)!.slots;
    const overdue = slots.filter((s) => s.status === 'overdue').length;
    const next = slots.find((s) => s.status === 'due' || s.status === 'draft');
    const c = i.casualties;
    const log = await deps.incidents().listLog(ctx, i.id, 3);
    rows.push({
      number: i.number,
      title: i.title,
      type: i.typeName,
      place: i.address || i.district?.name || '',
      level: i.level ? `${i.level}级` : '未定级',
      status: STATUS_INFO[i.status].zh,
      casualties: `亡${c.deaths} 失踪${c.missing} 重伤${c.seriouslyInjured} 伤${c.injured}`,
      reports: [
        overdue ? `超时 ${overdue} 份` : '',
        next ? `${REPORT_KIND_INFO[next.kind].zh}应于 ${chineseDateTime(new Date(next.dueAt))} 报送` : '',
      ]
        .filter(Boolean)
        .join('；'),
      log: log.items.map(
        (e) => `${chineseDateTime(new Date(e.at))}，${describeLogEntry(e.kind, e.data, 'zh') ?? e.text}`,
      ),
    });
  }
  const file = await sitrepDocx({
    header: {
      unit: ctx.actor.unitCode ? deps.unitName(ctx.actor.unitCode) : deps.unitName('yjj'),
      signer: '',
      docNumber: '',
      reporter: ctx.actor.name === 'system' ? '安澜平台自动生成' : ctx.actor.name,
      phone: '',
    },
    generatedAt: now,
    incidents: rows,
  });
  return { file, incidents: rows.length };
}

/** On demand: the caller's SitRep (not stored). */
export async function sitrepNow(deps: ReportsDeps, ctx: RequestCtx): Promise<Buffer> {
  requirePermission(ctx.actor, 'reports.read');
  requirePermission(ctx.actor, 'incidents.read');
  return (await buildSitrep(deps, ctx)).file;
}

/**
 * Makes and stores a city-wide SitRep: on demand (`trigger` 'manual'), or for a scheduled time of day, once per slot
 * (`YYYY-MM-DD HH:MM`) whichever instance gets there first. Returns the stored one, or undefined for a slot taken.
 */
export async function generateSitrep(
  deps: ReportsDeps,
  ctx: RequestCtx,
  slot: string | null,
): Promise<Sitrep | undefined> {
  if (slot === null) {
    requirePermission(ctx.actor, 'reports.sitrep');
    requireInScope(ctx.actor, {});
  }
  const system = systemCtx();
  const now = deps.clock.now();
  const { file, incidents } = await buildSitrep(deps, system);
  const id = deps.ids.next();
  const trigger = slot ? slot.slice(11) : 'manual';
  const ok = await deps.db.transaction(async (trx) => {
    if (!(await repo.insertSitrep(trx, { id, generated_at: now, trigger, incidents, file, slot }))) return false;
    await recordAudit(trx, ctx, now, {
      action: 'reports.sitrep_generated',
      entity: 'sitrep',
      entityId: id,
      after: { trigger, incidents },
    });
    return true;
  });
  return ok ? { id, generatedAt: now.toISOString(), trigger, incidents, size: file.length } : undefined;
}

/** The slot of a scheduled SitRep due now (within half an hour of its time of day, Beijing time), if any. */
export function dueSitrepSlot(times: readonly string[], now: Date): string | undefined {
  const [day, hm] = cityDateTime(now).split(' ') as [string, string];
  const minutes = Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
  for (const t of times) {
    const [h, m] = t.split(':').map(Number);
    const since = minutes - (h * 60 + m);
    if (since >= 0 && since < 30) return `${day} ${t}`;
  }
  return undefined;
}

/** On demand, stored: the city-wide SitRep now (for those who see the whole city). */
export async function makeSitrep(deps: ReportsDeps, ctx: RequestCtx): Promise<Sitrep> {
  const s = await generateSitrep(deps, ctx, null);
  // a SitRep made on demand has no slot: nothing can have taken it
  if (!s) throw new Error('a SitRep on demand was not stored');
  return s;
}

export async function scheduledSitrep(deps: ReportsDeps): Promise<Sitrep | undefined> {
  const settings = await readSettings(deps.db.kysely);
  const slot = dueSitrepSlot(settings.sitrepTimes, deps.clock.now());
  if (!slot) return undefined;
  if (await repo.sitrepSlotTaken(deps.db.kysely, slot)) return undefined;
  return generateSitrep(deps, systemCtx(), slot);
}

/** The stored SitReps are city-wide: for those who see the whole city. */
function requireCityWide(ctx: RequestCtx): void {
  requirePermission(ctx.actor, 'reports.read');
  if (!inScope(ctx.actor, {})) requireInScope(ctx.actor, {});
}

export async function listSitreps(
  deps: ReportsDeps,
  ctx: RequestCtx,
  limit = 50,
  offset = 0,
): Promise<{ items: Sitrep[]; total: number }> {
  requireCityWide(ctx);
  const { items, total } = await repo.listSitreps(deps.db.kysely, limit, offset);
  return {
    items: items.map((s) => ({
      id: s.id,
      generatedAt: s.generated_at.toISOString(),
      trigger: s.trigger,
      incidents: s.incidents,
      size: Number(s.size),
    })),
    total,
  };
}

export async function sitrepFile(deps: ReportsDeps, ctx: RequestCtx, id: string): Promise<{ file: Buffer; at: Date }> {
  requireCityWide(ctx);
  const s = await repo.findSitrep(deps.db.kysely, id);
  if (!s) throw new AppError('NOT_FOUND', { field: 'id', entity: { zh: '综合情况报告', en: 'SitRep' } });
  return { file: Buffer.from(s.file), at: s.generated_at };
}
