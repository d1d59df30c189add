/** The dangers module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;
/** jsonb: written as JSON text */
type Json = ColumnType<unknown, string, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    hidden_dangers: {
      id: string;
      number: string;
      title: string;
      description: Generated<string>;
      category: string;
      grade: string;
      source: string;
      status: Generated<string>;
      enterprise_id: string | null;
      enterprise_name: string | null;
      district_code: string | null;
      owner_unit: string | null;
      lng: number | null;
      lat: number | null;
      location_entered: Json | null;
      address: Generated<string>;
      found_at: Ts;
      reporter_id: string | null;
      reporter_name: Generated<string>;
      reporter_phone: Generated<string>;
      responsible_unit: string | null;
      responsible_person: Generated<string>;
      deadline: string | null;
      deadline_at: TsNull;
      measures: Generated<string>;
      funds: number | null;
      rectification_note: Generated<string>;
      evidence_file_ids: Generated<string[]>;
      submitted_by: string | null;
      submitted_at: TsNull;
      verification_note: Generated<string>;
      verified_by: string | null;
      verified_at: TsNull;
      closed_at: TsNull;
      cancel_reason: Generated<string>;
      return_reason: Generated<string>;
      escalation_level: Generated<number>;
      inspection_id: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    hidden_danger_steps: {
      id: string;
      danger_id: string;
      action: string;
      from_status: string | null;
      to_status: string;
      by_user: string | null;
      by_name: Generated<string>;
      at: Ts;
      note: Generated<string>;
    };
    inspections: {
      id: string;
      number: string;
      enterprise_id: string;
      enterprise_name: string;
      district_code: string | null;
      owner_unit: string | null;
      date: string;
      inspectors: JsonDefault;
      kind: string;
      basis: Generated<string>;
      conclusion: Generated<string>;
      findings: JsonDefault;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
