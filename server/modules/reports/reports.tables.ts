/** The reports module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Ts, TsNull } from '../../platform/db/schema.ts';

type JsonText = ColumnType<unknown, string, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    incident_reports: {
      id: string;
      incident_id: string;
      kind: string;
      seq: number;
      due_at: Ts;
      title: string;
      sections: JsonText;
      header: JsonText;
      district_code: string | null;
      unit_code: string | null;
      version: Generated<number>;
      issued_versions: Generated<number>;
      issued_at: TsNull;
      changed_since_issue: Generated<boolean>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    incident_report_versions: {
      report_id: string;
      version: number;
      title: string;
      sections: JsonText;
      header: JsonText;
      issued_at: Ts;
      issued_by: string;
      issued_by_id: string | null;
    };
    report_level_changes: {
      incident_id: string;
      at: Ts;
      level: string | null;
    };
    report_reminders: {
      incident_id: string;
      kind: string;
      seq: number;
      due_at: Ts;
      what: string;
      sent_at: Ts;
    };
    sitreps: {
      id: string;
      generated_at: Ts;
      trigger: string;
      incidents: number;
      file: Uint8Array;
      slot: string | null;
    };
  }
}
