/**
 * The plans register as an Excel workbook: the list's filters and data scope, one row per plan with its review
 * date and flags, whether it is digital and how many actions each level has. Built in a worker thread; audited.
 */
import { PLAN_KIND_INFO, PLAN_STATUS_INFO, type Plan, type PlanListQuery } from '../../../contracts/command.ts';
import { eventTypeName } from '../../../contracts/incidents.ts';
import type { Lang } from '../../errors.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type Column, workbookOf } from '../../platform/excel/excel.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';
import { listPlans, type PlanDeps } from './plans.service.ts';

export const PLAN_EXPORT_MAX = 20_000;
const PAGE = 500;

function columns(lang: Lang): Column<Plan>[] {
  const zh = lang === 'zh';
  const yes = zh ? '是' : 'yes';
  return [
    { header: zh ? '预案名称' : 'Name', width: 40, value: (p) => p.name },
    { header: zh ? '类别' : 'Kind', width: 18, value: (p) => PLAN_KIND_INFO[p.kind][lang] },
    {
      header: zh ? '编制单位' : 'Owner unit',
      width: 20,
      value: (p) => (p.ownerUnit ? (zh ? p.ownerUnit.name : p.ownerUnit.nameEn || p.ownerUnit.name) : null),
    },
    {
      header: zh ? '适用事件类型' : 'Hazards',
      width: 36,
      value: (p) => p.hazardCodes.map((c) => `${c} ${eventTypeName(c, lang)}`).join(zh ? '；' : '; '),
    },
    { header: zh ? '状态' : 'Status', width: 10, value: (p) => PLAN_STATUS_INFO[p.status][lang] },
    { header: zh ? '版次' : 'Edition', width: 8, value: (p) => p.edition },
    { header: zh ? '批准人' : 'Approved by', width: 14, value: (p) => p.approvedBy },
    { header: zh ? '批准日期' : 'Approved on', width: 12, value: (p) => p.approvedOn },
    { header: zh ? '评估修订期限' : 'Review due', width: 12, value: (p) => p.reviewDueOn },
    {
      header: zh ? '评估提示' : 'Review flag',
      width: 12,
      value: (p) => (p.overdue ? (zh ? '已逾期' : 'overdue') : p.reviewDue ? (zh ? '即将到期' : 'due soon') : null),
    },
    { header: zh ? '数字化预案' : 'Digital', width: 10, value: (p) => (p.digital ? yes : null) },
    {
      header: zh ? '启动条件（最低级别）' : 'Activates from level',
      width: 12,
      value: (p) => p.activation?.minLevel ?? null,
    },
    {
      header: zh ? '各级行动数' : 'Actions per level',
      width: 24,
      value: (p) => p.levels.map((l) => `${l.level}: ${l.actions.length}`).join(', ') || null,
    },
    { header: zh ? '演示数据' : 'Demo', width: 8, value: (p) => (p.demo ? yes : null) },
  ];
}

export async function exportPlans(
  deps: PlanDeps & { workers?: WorkerPool },
  ctx: RequestCtx,
  q: PlanListQuery,
  signal?: AbortSignal,
): Promise<{ file: Buffer; rows: number; total: number }> {
  const { limit: _l, offset: _o, ...filter } = q;
  const first = await listPlans(deps, ctx, { ...filter, limit: PAGE, offset: 0 });
  let rows = 0;
  async function* pages() {
    let page = first.items;
    while (page.length && rows < PLAN_EXPORT_MAX) {
      signal?.throwIfAborted();
      const take = page.slice(0, PLAN_EXPORT_MAX - rows);
      rows += take.length;
      yield take;
      if (page.length < PAGE) break;
      page = (await listPlans(deps, ctx, { ...filter, limit: PAGE, offset: rows })).items;
    }
  }
  const zh = ctx.lang === 'zh';
  const now = deps.clock.now();
  const note = zh
    ? `应急预案登记表，${ctx.actor.name} 导出，共 ${first.total} 项；评估修订期限为批准日期后 3 年，提前 90 天提示。`
    : `Emergency plans register exported by ${ctx.actor.name}: ${first.total} plans; review due 3 years after approval, flagged 90 days ahead.`;
  const offThread = deps.workers ? { workers: deps.workers, owner: ctx.actor, signal } : undefined;
  const file = await workbookOf(zh ? '应急预案' : 'Plans', columns(ctx.lang), pages(), note, offThread);
  await deps.db.transaction((trx) =>
    recordAudit(trx, ctx, now, {
      action: 'plan.exported',
      entity: 'plan',
      after: { filters: filter, rows, total: first.total },
    }),
  );
  return { file, rows, total: first.total };
}
