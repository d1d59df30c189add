import { alerts } from '../features/alerts/manifest.tsx';
import { auth } from '../features/auth/manifest.ts';
import { command } from '../features/command/manifest.tsx';
import { dangers } from '../features/dangers/manifest.tsx';
import { drills } from '../features/drills/manifest.tsx';
import { duty } from '../features/duty/manifest.tsx';
import { exercises } from '../features/exercises/manifest.tsx';
import { experts } from '../features/experts/manifest.tsx';
import { fieldApp } from '../features/field/manifest.tsx';
import { forces } from '../features/forces/manifest.tsx';
import { geo } from '../features/geo/manifest.tsx';
import { incidents } from '../features/incidents/manifest.tsx';
import { logistics } from '../features/logistics/manifest.tsx';
import { monitoring } from '../features/monitoring/manifest.tsx';
import { org } from '../features/org/manifest.tsx';
import { reports } from '../features/reports/manifest.tsx';
import { risks } from '../features/risks/manifest.tsx';
import { safety } from '../features/safety/manifest.tsx';
import { system } from '../features/system/manifest.tsx';
import { warnings } from '../features/warnings/manifest.tsx';
import type { FeatureManifest } from './manifest.ts';

/** Every feature of the web app: a new one is a folder under features/ and one line here. */
export const FEATURES: readonly FeatureManifest[] = [
  incidents,
  geo,
  org,
  system,
  auth,
  alerts,
  monitoring,
  warnings,
  forces,
  experts,
  command,
  reports,
  fieldApp,
  duty,
  logistics,
  safety,
  dangers,
  drills,
  exercises,
  risks,
];
