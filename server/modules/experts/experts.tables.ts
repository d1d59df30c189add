/** The experts module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    experts: {
      id: string;
      name: string;
      fields: string[];
      field_keys: string[];
      speciality: Generated<string>;
      title: string;
      title_text: Generated<string>;
      organisation: string;
      phones: Generated<string[]>;
      email: Generated<string>;
      district_code: string | null;
      owner_unit: string | null;
      availability: Generated<string>;
      unavailable_until: string | null;
      availability_reason: Generated<string>;
      active: Generated<boolean>;
      notes: Generated<string>;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    expert_draws: {
      id: string;
      parent_id: string | null;
      round: Generated<number>;
      fields: string[];
      count: number;
      exclude_organisations: Generated<string[]>;
      exclude_expert_ids: Generated<string[]>;
      purpose: string;
      incident_id: string | null;
      warning_id: string | null;
      district_code: string | null;
      owner_unit: string | null;
      seed: string;
      algorithm: string;
      candidates: string[];
      result: string[];
      digest: string;
      reason: Generated<string>;
      drawn_by: string | null;
      drawn_by_name: string | null;
      drawn_at: Ts;
    };
    expert_invitations: {
      id: string;
      draw_id: string;
      round_id: string;
      expert_id: string;
      status: Generated<string>;
      reason: Generated<string>;
      replied_at: TsNull;
      replied_by: string | null;
      replaced: Generated<boolean>;
      version: Generated<number>;
      created_at: Ts;
    };
    consultation_templates: {
      id: string;
      key: string;
      name: string;
      name_en: string;
      cadence: string;
      due_day: Generated<number>;
      occasions: JsonDefault;
      lead_days: Generated<number>;
      agenda: JsonDefault;
      sections: JsonDefault;
      active: Generated<boolean>;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    consultations: {
      id: string;
      title: string;
      kind: string;
      starts_at: Ts;
      place: Generated<string>;
      link: Generated<string>;
      participants: JsonDefault;
      agenda: JsonDefault;
      minutes: Generated<string>;
      conclusions: JsonDefault;
      incident_id: string | null;
      warning_id: string | null;
      template_key: string | null;
      period: string | null;
      status: Generated<string>;
      district_code: string | null;
      owner_unit: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
