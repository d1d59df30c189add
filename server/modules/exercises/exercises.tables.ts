/** The exercises module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Json, Ts, TsNull } from '../../platform/db/schema.ts';

type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    exercises: {
      id: string;
      number: string;
      title: string;
      scenario: Generated<string>;
      content: string;
      form: string;
      plan_id: string | null;
      plan_name: string | null;
      organiser_unit: string;
      participants: Generated<string[]>;
      planned_start: TsNull;
      director: Generated<string>;
      status: Generated<string>;
      started_at: TsNull;
      ended_at: TsNull;
      started_by: string | null;
      measurements: Json | null;
      targets: Json | null;
      observations: Generated<string>;
      improvements: JsonDefault;
      drill_id: string | null;
      created_by: string | null;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    exercise_injects: {
      id: string;
      exercise_id: string;
      seq: number;
      offset_seconds: number;
      kind: string;
      title: string;
      payload: Json;
      played_at: TsNull;
      result: Json | null;
    };
    exercise_readings: {
      exercise_id: string;
      inject_id: string;
      device_id: string;
      metric: string;
      ts: Ts;
      value: number;
    };
  }
}
