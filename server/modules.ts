/**
 * The modules of this installation, in the order they are created, seeded and started. Adding a module adds its
 * folder and one line here; `app.ts` and the CLI loop over this list.
 */
import { geoModule } from './geo/module.ts';
import { commandModule } from './modules/command/module.ts';
import { dangersModule } from './modules/dangers/module.ts';
import { drillsModule } from './modules/drills/module.ts';
import { dutyModule } from './modules/duty/module.ts';
import { exercisesModule } from './modules/exercises/module.ts';
import { expertsModule } from './modules/experts/module.ts';
import { forcesModule } from './modules/forces/module.ts';
import { incidentsModule } from './modules/incidents/module.ts';
import { logisticsModule } from './modules/logistics/module.ts';
import { monitoringModule } from './modules/monitoring/module.ts';
import { orgModule } from './modules/org/module.ts';
import { reportsModule } from './modules/reports/module.ts';
import { risksModule } from './modules/risks/module.ts';
import { safetyModule } from './modules/safety/module.ts';
import { warningsModule } from './modules/warnings/module.ts';
import type { AnyModule } from './platform/module.ts';

export const MODULES: readonly AnyModule[] = [
  orgModule,
  geoModule,
  incidentsModule,
  reportsModule,
  monitoringModule,
  warningsModule,
  forcesModule,
  expertsModule,
  commandModule,
  dutyModule,
  logisticsModule,
  safetyModule,
  dangersModule,
  drillsModule,
  exercisesModule,
  risksModule,
];
