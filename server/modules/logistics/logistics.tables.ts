/** The logistics module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb: written as JSON text */
type Json = ColumnType<unknown, string, string>;
type Big = number;
type BigDefault = Generated<number>;
/** a day as text, YYYY-MM-DD (Beijing) */
type DateNull = string | null;

declare module '../../platform/db/schema.ts' {
  interface Database {
    supply_items: {
      code: string;
      standard_code: string;
      name: string;
      name_en: string | null;
      unit: string;
      unit_weight_kg: number | null;
      unit_volume_m3: number | null;
      shelf_life_days: number | null;
      unit_price_yuan: number | null;
      /** where the figures come from (part A's migration 20261206110000) */
      basis: string | null;
      active: Generated<boolean>;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
    warehouses: {
      id: string;
      code: string;
      name: string;
      tier: string;
      reserve_type: string;
      geom: Geom;
      district_code: string | null;
      address: string | null;
      capacity_m3: number | null;
      area_m2: number | null;
      manager: string | null;
      phones: Generated<string[]>;
      owner_unit: string;
      agreement: ColumnType<Record<string, unknown> | string | null, string | null | undefined, string | null>;
      loading_minutes: Generated<number>;
      active: Generated<boolean>;
      notes: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    warehouse_commitments: {
      warehouse_id: string;
      item_code: string;
      committed: Big;
      called: BigDefault;
    };
    stock_batches: {
      warehouse_id: string;
      item_code: string;
      batch: string;
      quantity: Big;
      produced_on: DateNull;
      expires_on: DateNull;
      received_at: Ts;
      updated_at: Ts;
    };
    stock_movements: {
      id: string;
      doc_no: string;
      kind: string;
      warehouse_id: string;
      item_code: string;
      batch: string | null;
      quantity: Big;
      balance: Big;
      operator_id: string;
      operator_name: string;
      at: Ts;
      note: string | null;
      counterpart: string | null;
      /** the ledger's order (part A's migration 20261206110000) */
      seq: Generated<number>;
    };
    stock_expiry_alarms: {
      warehouse_id: string;
      item_code: string;
      batch: string;
      threshold: string;
      raised_at: Ts;
    };
    relief_plans: {
      id: string;
      number: string;
      name: string | null;
      incident_id: string | null;
      district_code: string | null;
      owner_unit: string;
      start_at: Ts;
      deadline_at: Ts;
      feasible: boolean;
      request: Json;
      answer: Json;
      created_by: string;
      created_at: Ts;
    };
    dispatch_orders: {
      id: string;
      number: string;
      plan_id: string;
      warehouse_id: string;
      place_id: string;
      place_name: string | null;
      destination: Geom;
      lines: Json;
      state: Generated<string>;
      planned_depart_at: Ts;
      eta_at: Ts;
      loaded_at: TsNull;
      departed_at: TsNull;
      delivered_at: TsNull;
      vehicle: string | null;
      driver: string | null;
      proof: ColumnType<Record<string, unknown> | string | null, string | null | undefined, string | null>;
      late_alarmed: Generated<boolean>;
      district_code: string | null;
      owner_unit: string;
      version: Generated<number>;
      created_at: Ts;
      updated_at: Ts;
    };
  }
}
