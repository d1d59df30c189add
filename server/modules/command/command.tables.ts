/** The command module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    plans: {
      id: string;
      name: string;
      kind: string;
      hazard_codes: Generated<string[]>;
      owner_unit: string | null;
      scope: Generated<string[]>;
      summary: Generated<string>;
      status: Generated<string>;
      approved_by: string | null;
      approved_on: string | null;
      retired_at: TsNull;
      edition: Generated<number>;
      activation: Json | null;
      levels: JsonDefault;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    plan_versions: {
      id: string;
      plan_id: string;
      edition: number;
      note: Generated<string>;
      snapshot: ColumnType<unknown, string, string>;
      by_name: string | null;
      at: Ts;
    };
    plan_activations: {
      id: string;
      incident_id: string;
      incident_number: string;
      incident_title: string;
      incident_district: string | null;
      plan_id: string;
      plan_name: string;
      level: string;
      status: Generated<string>;
      activated_by: string | null;
      activated_by_name: string | null;
      activated_at: Ts;
      ended_at: TsNull;
      ended_note: string | null;
      version: Generated<number>;
    };
    tasks: {
      id: string;
      /** null: a task not made by an activation (a drill's plan-revision task; its incident columns hold '') */
      activation_id: string | null;
      incident_id: string;
      incident_number: string;
      incident_title: string;
      incident_district: string | null;
      plan_id: string;
      plan_name: string;
      action_key: string;
      unit: string;
      title: string;
      detail: Generated<string>;
      due_at: Ts;
      status: Generated<string>;
      assignee_id: string | null;
      assignee_name: string | null;
      checklist: JsonDefault;
      closed_note: string | null;
      escalated_at: TsNull;
      /** where a task not made by an activation comes from: 'drill' + the drill's id */
      source_kind: Generated<string | null>;
      source_id: Generated<string | null>;
      created_at: Ts;
      updated_at: Ts;
      version: Generated<number>;
    };
    task_comments: {
      id: string;
      task_id: string;
      text: string;
      by_user: string | null;
      by_name: string | null;
      at: Ts;
    };
  }
}
