/** The monitoring module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Json, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    devices: {
      id: string;
      name: string;
      code: string | null;
      kind: string;
      metrics: Generated<string[]>;
      geom: Geom;
      district_code: string | null;
      owner_unit: string | null;
      params: JsonDefault;
      stream_url: string | null;
      offline_after_minutes: Generated<number>;
      enabled: Generated<boolean>;
      notes: Generated<string>;
      token_hash: string;
      last_seen_at: TsNull;
      latest: JsonDefault;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    readings: {
      device_id: string;
      metric: string;
      ts: Ts;
      value: number;
    };
    readings_hourly: {
      device_id: string;
      metric: string;
      hour: Ts;
      min: number;
      max: number;
      sum: number;
      count: number;
    };
    ingest_dead_letters: {
      id: string;
      at: Ts;
      device_id: string | null;
      via: string;
      reason: string;
      payload: string;
    };
    monitoring_rules: {
      id: string;
      builtin: string | null;
      modified: Generated<boolean>;
      name: string;
      name_en: Generated<string>;
      hazard_code: string;
      kind: string | null;
      device_ids: Generated<string[]>;
      colours: Json;
      hysteresis: Generated<number>;
      clear_after_minutes: Generated<number>;
      enabled: Generated<boolean>;
      basis: Generated<string>;
      version: Generated<number>;
      updated_at: Ts;
    };
  }
}
