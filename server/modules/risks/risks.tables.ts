/** The risks module's tables, added to the platform's `Database` type (checked by schema.test.ts). */
import type { ColumnType, Generated } from 'kysely';
import type { Geom, Ts, TsNull } from '../../platform/db/schema.ts';

/** jsonb with a default: written as JSON text, may be left out */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

declare module '../../platform/db/schema.ts' {
  interface Database {
    census_layers: {
      id: string;
      name: string;
      kind: string;
      source: string | null;
      datum: string;
      format: string;
      file_name: string | null;
      file_sha256: string | null;
      feature_count: Generated<number>;
      owner_unit: string;
      imported_by: string | null;
      imported_at: Ts;
      demo: Generated<boolean>;
    };
    census_features: {
      id: string;
      layer_id: string;
      kind: string;
      name: string | null;
      properties: JsonDefault;
      population: number | null;
      capacity: number | null;
      hazard_level: number | null;
      geom: Geom;
      demo: Generated<boolean>;
    };
    risk_grid_cells: {
      h3: string;
      district_code: string | null;
      h: number;
      e: number;
      v: number;
      score: number;
      cls: string;
      population: Generated<number>;
      raw: JsonDefault;
      contributors: JsonDefault;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    };
    risk_grid_state: {
      id: Generated<number>;
      computed_at: TsNull;
      resolution: Generated<number>;
      cell_count: Generated<number>;
      feature_count: Generated<number>;
      settings_version: Generated<number>;
      norms: JsonDefault;
      counts: JsonDefault;
      duration_ms: number | null;
      data_mark: Generated<number>;
      computed_mark: Generated<number>;
    };
    prevention_projects: {
      id: string;
      name: string;
      type: string;
      district_code: string;
      owner_unit: string;
      geom: Geom;
      target_quantity: number;
      unit: string;
      responsible_unit: string;
      start_date: string;
      end_date: string;
      notes: string | null;
      done_quantity: Generated<number>;
      last_report_date: string | null;
      demo: Generated<boolean>;
      version: Generated<number>;
      created_by: string | null;
      created_at: Ts;
      updated_at: Ts;
    };
    project_progress: {
      id: string;
      project_id: string;
      report_date: string;
      quantity: number;
      note: string | null;
      reporter: string;
      created_by: string | null;
      created_at: Ts;
    };
  }
}
