/** The drills module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb written as JSON text */
type JsonText = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    drills: {
      id: string;
      number: string;
      title: string;
      drill_date: string;
      start_time: string | null;
      end_time: string | null;
      location: Generated<string>;
      organiser_unit: string | null;
      subject_kind: string;
      subject_id: string;
      subject_name: string;
      plan_kind: string | null;
      plan_id: string | null;
      plan_name: string | null;
      plan_type: string | null;
      plan_owner_unit: string | null;
      content: string;
      form: string;
      purpose: string | null;
      scenario: Generated<string>;
      participants: JsonText;
      evaluation: ColumnType<Record<string, unknown> | string | null, string | null | undefined, string | null>;
      plan_item_id: string | null;
      source_kind: Generated<string>;
      exercise_id: string | null;
      revision_task_id: Generated<string | null>;
      notes: Generated<string>;
      district_code: string | null;
      owner_unit: string;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    drill_problems: {
      id: string;
      drill_id: string;
      idx: number;
      description: string;
      severity: string;
      needs_plan_revision: Generated<boolean>;
    };
    drill_actions: {
      id: string;
      drill_id: string;
      problem_id: string;
      idx: number;
      description: string;
      owner_name: Generated<string>;
      owner_unit: Generated<string>;
      deadline: string;
      status: Generated<string>;
      done_note: Generated<string>;
      alarmed_at: TsNull;
    };
    drill_plans: {
      id: string;
      year: number;
      unit_kind: string;
      unit_id: string;
      unit_name: string;
      title: Generated<string>;
      items: JsonText;
      district_code: string | null;
      owner_unit: string;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
