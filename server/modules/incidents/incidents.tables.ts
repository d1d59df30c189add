/** The incidents module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Json, Ts, TsNull } from '../../platform/db/schema.ts';

declare module '../../platform/db/schema.ts' {
  interface Database {
    incidents: {
      id: string;
      number: string;
      title: string;
      description: Generated<string>;
      type_code: string;
      category: string;
      occurred_at: Ts;
      reported_at: Ts;
      geom: Geom;
      address: Generated<string>;
      location_entered: Json | null;
      reporter_name: Generated<string>;
      reporter_unit: Generated<string>;
      reporter_phone: Generated<string>;
      deaths: Generated<number>;
      missing: Generated<number>;
      seriously_injured: Generated<number>;
      injured: Generated<number>;
      affected: Generated<number>;
      relocated: Generated<number>;
      direct_loss_wan: Generated<number>;
      district_code: string | null;
      district_status: string;
      computed_level: string | null;
      level_basis: Generated<string>;
      level_basis_data: Json | null;
      level_override: string | null;
      level_override_reason: string | null;
      level_override_by: string | null;
      level_override_at: TsNull;
      level: ColumnType<string | null, never, never>;
      status: Generated<string>;
      closed_at: TsNull;
      possible_duplicate_of: Generated<string[]>;
      merged_into: string | null;
      merged_at: TsNull;
      merged_by: string | null;
      created_by: string | null;
      created_by_unit: string | null;
      demo: Generated<boolean>;
      /** drill mode: the exercise that played it (null: a real incident) */
      exercise_id: string | null;
      exercise_title: string | null;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    incident_log: {
      id: string;
      incident_id: string;
      at: Ts;
      kind: string;
      text: string;
      actor_id: string | null;
      actor_name: string | null;
      data: Json | null;
    };
  }
}
