import { AppError } from '../../errors.ts';
import { scopeLabel } from '../../platform/access/scope.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { defineModule } from '../../platform/module.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { WarningsApi } from '../warnings/index.ts';
import { loadCommandDemo } from './command.demo.ts';
import { COMMAND_ERRORS } from './command.errors.ts';
import * as repo from './command.repository.ts';
import { commandRoutes } from './command.routes.ts';
import type { CommandApi, PlanRef } from './index.ts';
import { planVisibility, type UnitInfo } from './plans.service.ts';
import type { ResponseDeps } from './response.service.ts';
import * as tasks from './tasks.service.ts';

const READERS = [
  'commander',
  'duty_officer',
  'department_staff',
  'district_staff',
  'field_responder',
  'enterprise_user',
  'auditor',
  'viewer',
] as const;

/** how often overdue tasks are looked for (each is escalated once) */
export const ESCALATION_INTERVAL_MS = 60_000;

export type CommandInternal = CommandApi & { deps: ResponseDeps; timer: NodeJS.Timeout | null };

/** Command and response: the plans register, digital plans, their activation on incidents, department tasks. */
export const commandModule = defineModule<CommandInternal>({
  name: 'command',
  errors: COMMAND_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'plans.read', zh: '查看应急预案', en: 'View emergency plans', roles: READERS },
    {
      code: 'plans.manage',
      zh: '登记和修订应急预案',
      en: 'Register and revise emergency plans',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'enterprise_user'],
    },
    { code: 'plans.approve', zh: '批准应急预案', en: 'Approve emergency plans', roles: ['commander'] },
    {
      // the duty officer too: at night the leader on duty orders the activation by phone and the duty officer
      // enters it (the audit row names who did)
      code: 'plans.activate',
      zh: '启动预案、调整响应级别、结束响应',
      en: 'Activate plans, change the response level, end the response',
      roles: ['commander', 'duty_officer'],
    },
    { code: 'tasks.read', zh: '查看处置任务', en: 'View response tasks', roles: READERS },
    {
      code: 'tasks.update',
      zh: '办理处置任务',
      en: 'Work on response tasks',
      roles: ['commander', 'duty_officer', 'department_staff', 'district_staff', 'field_responder', 'enterprise_user'],
    },
  ],
  create(p) {
    const units = new Map<string, UnitInfo>();
    const deps: ResponseDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      afterCommit: () => p.afterCommit(),
      units: () => units,
      workers: p.workers,
      alerts: p.alerts,
      incidents: () => p.module<IncidentsApi>('incidents'),
      warnings: () => p.module<WarningsApi>('warnings'),
      users: {
        async find(id) {
          try {
            const u = await p.access.getUser(systemCtx(), id);
            return { id: u.id, displayName: u.displayName, unitCode: u.unitCode, disabled: u.disabled };
          } catch {
            return undefined;
          }
        },
        async ofUnit(unit) {
          const { items } = await p.access.listUsers(systemCtx(), { unitCode: unit, limit: 500 });
          return items.filter((u) => !u.disabled).map((u) => ({ id: u.id, displayName: u.displayName }));
        },
      },
    };
    p.alerts.onAcknowledge('task', tasks.onTaskAlarmAcknowledged(deps));
    const planRef = (r: repo.PlanRow): PlanRef => ({
      id: r.id,
      name: r.name,
      kind: r.kind as PlanRef['kind'],
      status: r.status as PlanRef['status'],
      ownerUnit: r.owner_unit,
      scope: r.scope,
      approvedOn: r.approved_on,
      createdAt: r.created_at.toISOString(),
    });
    return {
      deps,
      timer: null,
      listTasks: (ctx, q) => tasks.listTasks(deps, ctx, q),
      getPlanRef: async (id) => {
        const r = await repo.findPlan(deps.db.kysely, id);
        return r ? planRef(r) : undefined;
      },
      listPlansForCompliance: async () =>
        (await repo.plansOfKinds(deps.db.kysely, ['special', 'department'], 'approved')).map(planRef),
      createPlanRevisionTask: (ctx, input) => tasks.createPlanRevisionTask(deps, ctx, input),
    };
  },
  async seed(api, p) {
    const units = api.deps.units();
    units.clear();
    for (const u of await p.access.listUnits()) {
      const info = { id: u.id, code: u.code, name: u.name, nameEn: u.nameEn, kind: u.kind };
      units.set(u.code, info);
      units.set(u.id, info);
    }
    return undefined;
  },
  demo: (api) => loadCommandDemo(api.deps),
  async start(api, p) {
    if (!p.config.timers) return undefined;
    api.timer = setInterval(() => {
      tasks.escalateOverdue(api.deps).catch((err) => p.log.error('command: overdue task check failed', err));
    }, ESCALATION_INTERVAL_MS);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    if (api.timer) clearInterval(api.timer);
    api.timer = null;
  },
  routes: {
    prefixes: [
      '/api/v1/plans',
      '/api/v1/tasks',
      '/api/v1/incidents/:id/plan-suggestions',
      '/api/v1/incidents/:id/activations',
      '/api/v1/warnings/:id/plan-suggestions',
      '/api/v1/warnings/:id/promote',
    ],
    register(app, api) {
      commandRoutes(app, api.deps);
    },
  },
  entities: (api) => ({
    plan: async (_ctx, id) => {
      const r = await repo.findPlan(api.deps.db.kysely, id);
      return r ? { ...planVisibility(r), attach: 'plans.manage' } : undefined;
    },
    // a task's files follow the task's own scope (a department sees its unit's tasks only), stricter than scope.ts
    task: async (ctx, id) => {
      const r = await repo.findTask(api.deps.db.kysely, id);
      if (!r) return undefined;
      if (!tasks.seesTask(ctx.actor, r))
        throw new AppError('OUT_OF_SCOPE', { field: 'entityId', scope: scopeLabel(ctx.actor) });
      return { ...tasks.taskVisibility(r), attach: 'tasks.update' };
    },
  }),
});
