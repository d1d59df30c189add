/** What this module asks of the enterprises register: the safety module's door. */
export type { EnterpriseRef, SafetyApi } from '../safety/index.ts';
