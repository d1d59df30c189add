/**
 * What this module asks of the enterprises register (module `safety`, its door `SafetyApi`): the shape agreed in
 * issue 14's interfaces, written here until the safety module is merged.
 */
import type { RequestCtx } from '../../platform/core/context.ts';

export interface EnterpriseRef {
  id: string;
  name: string;
  creditCode: string;
  districtCode: string | null;
  unitCode: string;
  industry: string;
  highRiskCategory: string | null;
  crowdedVenue: boolean;
  location: { lon: number; lat: number } | null;
  active: boolean;
}
export interface SafetyApi {
  getEnterprise(ctx: RequestCtx, id: string): Promise<EnterpriseRef>;
  listEnterpriseRefs(opts?: { ids?: string[]; includeInactive?: boolean }): Promise<EnterpriseRef[]>;
}
