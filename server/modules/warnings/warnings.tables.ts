/** The warnings module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Json, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    warnings: {
      id: string;
      number: string;
      hazard_code: string;
      colour: string;
      status: Generated<string>;
      source: string;
      device_id: string | null;
      device_name: string | null;
      rule_id: string | null;
      title: string;
      title_en: Generated<string>;
      description: Generated<string>;
      raised_at: Ts;
      last_held_at: TsNull;
      district_code: string | null;
      geom: Geom;
      level_history: JsonDefault;
      acknowledged_at: TsNull;
      acknowledged_by: string | null;
      lifted_at: TsNull;
      lifted_by: string | null;
      lifted_reason: string | null;
      published_at: TsNull;
      published_by: string | null;
      cap_identifier: string | null;
      cap_sender: string | null;
      cap_sent: TsNull;
      cap_xml: string | null;
      sender_name: string | null;
      expires_at: TsNull;
      incident_id: string | null;
      owner_unit: string | null;
      /** drill mode: the exercise whose synthetic readings raised it (null: a real warning) */
      exercise_id: string | null;
      exercise_title: string | null;
      version: Generated<number>;
      updated_at: Ts;
    };
    cap_messages: {
      id: string;
      warning_id: string;
      identifier: string;
      sender: string;
      sent: Ts;
      msg_type: string;
      xml: string;
    };
    warning_policies: {
      id: string;
      name: string;
      hazard_codes: Generated<string[]>;
      districts: Generated<string[]>;
      min_colour: Generated<string>;
      steps: Json;
      enabled: Generated<boolean>;
      version: Generated<number>;
      updated_at: Ts;
    };
    warning_escalations: {
      warning_id: string;
      policy_id: string;
      next_step: number;
      next_due_at: TsNull;
    };
    warning_deliveries: {
      id: string;
      warning_id: string;
      policy_id: string | null;
      step: number;
      channel: string;
      recipient: string;
      reason: string;
      status: string;
      detail: Generated<string>;
      at: Ts;
    };
    cap_feeds: {
      id: string;
      url: string;
      name: string;
      enabled: Generated<boolean>;
      interval_minutes: Generated<number>;
      last_polled_at: TsNull;
      last_status: Generated<string>;
      etag: string | null;
    };
  }
}
