/** The safety module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Ts } from '../../platform/db/schema.ts';

/** jsonb: written as JSON text */
type JsonNull = ColumnType<Record<string, unknown>, string, string> | null;
type JsonOrDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    enterprises: {
      id: string;
      name: string;
      credit_code: string;
      industry: string;
      high_risk_category: string | null;
      crowded_venue: Generated<boolean>;
      park: string | null;
      geom: Geom;
      location_entered: JsonNull;
      district_code: string | null;
      address: string | null;
      legal_representative: string | null;
      safety_contacts: JsonOrDefault;
      employees: number | null;
      insurance_expiry: string | null;
      automation: Generated<string>;
      unit_code: string;
      active: Generated<boolean>;
      notes: string | null;
      search_keys: Generated<string>;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    hazard_units: {
      id: string;
      enterprise_id: string;
      name: string;
      kind: string;
      inventories: JsonOrDefault;
      exposed_population: Generated<number>;
      s: number;
      is_major: boolean;
      r: number | null;
      alpha: number | null;
      grade: number | null;
      working: JsonOrDefault;
      notes: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    risk_points: {
      id: string;
      enterprise_id: string;
      name: string;
      area: string | null;
      hazard: Generated<string>;
      accident_types: JsonOrDefault;
      method: string;
      l: number;
      e: number | null;
      c: number | null;
      s: number | null;
      score: number;
      control_measures: JsonOrDefault;
      responsible: JsonOrDefault;
      review_interval_days: number | null;
      next_review: string | null;
      active: Generated<boolean>;
      notes: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
