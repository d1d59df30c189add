/** The safety module's door: what other modules may ask of the enterprises register (hidden dangers, drills, …). */
import type { RequestCtx } from '../../platform/core/context.ts';

export interface EnterpriseRef {
  id: string;
  name: string;
  creditCode: string;
  /** from the location (geo door districtAt) or given */
  districtCode: string | null;
  /** the enterprise's own org unit (kind 'enterprise'); enterprise_user scope = this unit */
  unitCode: string;
  /** a code of contracts/safety.ts INDUSTRIES, e.g. 'chemical' */
  industry: string;
  highRiskCategory:
    | 'hazardous_chemicals'
    | 'mines'
    | 'metal_smelting'
    | 'urban_rail'
    | 'construction'
    | 'fireworks'
    | null;
  crowdedVenue: boolean;
  /** WGS-84 */
  location: { lon: number; lat: number } | null;
  active: boolean;
  /** the Beijing date it was registered (drill compliance counts a never-drilled enterprise from it) */
  registeredOn: string;
}

export interface SafetyApi {
  /** one enterprise; scope checked for ctx (403 OUT_OF_SCOPE / 404) */
  getEnterprise(ctx: RequestCtx, id: string): Promise<EnterpriseRef>;
  /** no scope check (system use: compliance, statistics); active ones unless includeInactive */
  listEnterpriseRefs(opts?: { ids?: string[]; includeInactive?: boolean }): Promise<EnterpriseRef[]>;
}
