/** The forces module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    teams: {
      id: string;
      name: string;
      type: string;
      geom: Geom;
      district_code: string | null;
      owner_unit: string | null;
      organisation: Generated<string>;
      station_class: string | null;
      suburban: Generated<boolean>;
      specialties: Generated<string[]>;
      radius_km: number | null;
      headcount: Generated<number>;
      capabilities: Generated<string[]>;
      equipment: JsonDefault;
      vehicles: JsonDefault;
      contacts: JsonDefault;
      status: Generated<string>;
      status_note: Generated<string>;
      status_confirmed_at: Ts;
      position: Geom;
      position_at: TsNull;
      notes: Generated<string>;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    team_members: {
      id: string;
      team_id: string;
      name: string;
      role: Generated<string>;
      phone: Generated<string>;
      certificates: JsonDefault;
      training: JsonDefault;
      next_expiry: string | null;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    team_status_history: {
      id: string;
      team_id: string;
      status: string;
      previous: string | null;
      note: Generated<string>;
      by_user: string | null;
      at: Ts;
    };
    dispatches: {
      id: string;
      incident_id: string;
      team_id: string;
      note: Generated<string>;
      route: ColumnType<unknown, string, string>;
      eta_seconds: number | null;
      meters: number | null;
      estimated: Generated<boolean>;
      from_kind: Generated<string>;
      dispatched_by: string | null;
      dispatched_at: Ts;
      arrived_at: TsNull;
      arrived_by: string | null;
      released_at: TsNull;
      released_by: string | null;
      release_note: Generated<string>;
    };
    team_positions: {
      id: string;
      team_id: string;
      ts: Ts;
      geom: Geom;
      received_at: Ts;
      by_user: string | null;
      via: Generated<string>;
    };
    force_areas: {
      id: string;
      kind: string;
      name: string;
      geom: Geom;
      district_code: string | null;
      area_km2: number;
      approximate: Generated<boolean>;
      notes: Generated<string>;
      demo: Generated<boolean>;
      created_by: string | null;
      created_at: Ts;
    };
  }
}
