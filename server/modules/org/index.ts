/** The org module's door: the organisation as the administration pages and other modules see it. */
import type { OrgUnit } from '../../../contracts/org.ts';

export interface OrgApi {
  /** every unit, with whether the map has its boundary polygon */
  listUnits(): Promise<OrgUnit[]>;
}

export { DEMO_PASSWORD, DEMO_USERS } from './org.demo.ts';
export { WEIHAI_UNITS } from './org.seed.ts';
