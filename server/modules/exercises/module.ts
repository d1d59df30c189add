import { defineModule } from '../../platform/module.ts';
import type { DrillsApi } from '../drills/index.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { MonitoringApi } from '../monitoring/index.ts';
import type { WarningsApi } from '../warnings/index.ts';
import { EXERCISES_ERRORS } from './exercises.errors.ts';
import { exercisesRoutes } from './exercises.routes.ts';
import * as svc from './exercises.service.ts';
import type { ExercisesApi } from './index.ts';

const READERS = ['commander', 'duty_officer', 'department_staff', 'district_staff', 'auditor', 'viewer'] as const;
/** how often the runner looks for injects whose time has come */
const RUNNER_MS = 5_000;

export type ExercisesInternal = ExercisesApi & { deps: svc.ExercisesDeps; timer?: NodeJS.Timeout };

/** Drill mode (演练模式): exercises with scheduled injects, measured response times, the evaluation report. */
export const exercisesModule = defineModule<ExercisesInternal>({
  name: 'exercises',
  errors: EXERCISES_ERRORS,
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'exercises.read', zh: '查看演练', en: 'View exercises', roles: READERS },
    {
      code: 'exercises.run',
      zh: '组织和导调演练',
      en: 'Prepare and run exercises',
      roles: ['commander', 'duty_officer', 'department_staff'],
    },
    {
      code: 'exercises.settings',
      zh: '配置演练响应时限',
      en: 'Configure exercise response targets',
      roles: ['commander'],
    },
  ],
  create(p) {
    const deps: svc.ExercisesDeps = {
      db: p.db,
      clock: p.clock,
      ids: p.ids,
      log: p.log,
      afterCommit: () => p.afterCommit(),
      alerts: p.alerts,
      incidents: () => p.module<IncidentsApi>('incidents'),
      warnings: () => p.module<WarningsApi>('warnings'),
      monitoring: () => p.module<MonitoringApi>('monitoring'),
      drills: () => {
        try {
          return p.module<DrillsApi>('drills');
        } catch {
          return undefined;
        }
      },
    };
    // a scenario message is a notice: acknowledging it means only that it was read
    p.alerts.onAcknowledge('exercise', async () => undefined);
    return { deps, getExercise: (ctx, id) => svc.getExercise(deps, ctx, id) };
  },
  async start(api, p) {
    if (!p.config.timers) return undefined;
    api.timer = setInterval(() => {
      void svc.playDue(api.deps).catch((err) => p.log.error('exercise injects not played', err));
    }, RUNNER_MS);
    api.timer.unref();
    return undefined;
  },
  async stop(api) {
    clearInterval(api.timer);
  },
  routes: {
    prefixes: ['/api/v1/exercises'],
    register(app, api) {
      exercisesRoutes(app, api.deps);
    },
  },
});
