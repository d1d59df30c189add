/** The duty module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Ts } from '../../platform/db/schema.ts';

type Json = ColumnType<unknown, string, string>;
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    duty_patterns: {
      id: string;
      unit_code: string;
      name: string;
      slots: Json;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    duty_shifts: {
      id: string;
      unit_code: string;
      shift_date: string;
      pattern_id: string;
      slot: string;
      slot_name: string;
      role: string;
      user_id: string;
      user_name: string;
      starts_at: Ts;
      ends_at: Ts;
      note: Generated<string>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    duty_gap_alarms: {
      unit_code: string;
      role: string;
      gap_start: Ts;
      raised_at: Ts;
    };
    duty_handovers: {
      id: string;
      unit_code: string;
      from_user: string;
      from_name: string;
      to_user: string;
      to_name: string;
      notes: Generated<string>;
      items: JsonDefault;
      status: Generated<string>;
      created_at: Ts;
      accepted_at: Date | null;
      accept_note: Generated<string>;
      version: Generated<number>;
    };
    duty_contacts: {
      id: string;
      name: string;
      title: Generated<string>;
      unit_code: string | null;
      organisation: Generated<string>;
      phones: Generated<string[]>;
      notes: Generated<string>;
      pinyin: Generated<string>;
      initials: Generated<string>;
      version: Generated<number>;
      created_by_unit: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
