/** The geo module's tables (boundaries, sea areas, road networks, closures, places), added to the platform's `Database` type. */
import type { Generated } from 'kysely';
import type { Geom, Ts, TsNull } from '../platform/db/schema.ts';

declare module '../platform/db/schema.ts' {
  interface Database {
    boundaries: {
      code: string;
      name: string;
      kind: string;
      geom: Geom;
      label_point: Geom;
      source: string;
      updated_at: Generated<Date>;
    };
    sea_areas: {
      code: string;
      name: string;
      name_en: Generated<string>;
      district_code: string | null;
      approximate: Generated<boolean>;
      demo: Generated<boolean>;
      source: string;
      geom: Geom;
      updated_at: Generated<Date>;
    };
    road_networks: {
      id: string;
      name: string;
      source: string;
      attribution: string;
      synthetic: Generated<boolean>;
      status: string;
      message: string | null;
      node_count: Generated<number>;
      segment_count: Generated<number>;
      bbox: number[] | null;
      file: string | null;
      created_by: string | null;
      created_at: Ts;
      ready_at: TsNull;
    };
    roads: {
      network_id: string;
      seg: number;
      osm_way_id: string | number | null;
      name: string | null;
      name_en: string | null;
      class: string;
      oneway: string;
      meters: number;
      geom: Geom;
    };
    places: {
      id: string;
      name: string;
      name_en: string | null;
      kind: string;
      source: string;
      network_id: string | null;
      ref: string | null;
      district_code: string | null;
      geom: Geom;
      demo: Generated<boolean>;
      approximate: Generated<boolean>;
      note: string | null;
      created_by: string | null;
      created_by_unit: string | null;
      created_at: Ts;
      updated_at: Ts;
      version: Generated<number>;
    };
    map_areas: { network_id: string; id: number; kind: string; name: string | null; geom: Geom };
    road_network_files: { network_id: string; part: number; data: Uint8Array };
    closures: {
      id: string;
      number: string;
      cause: string;
      geom: Geom;
      network_id: string | null;
      segs: number[];
      road_names: Generated<string[]>;
      starts_at: Ts;
      expected_end_at: TsNull;
      cleared_at: TsNull;
      cleared_by: string | null;
      incident_id: string | null;
      /** the district the closed stretch lies in (most); null outside every district */
      district_code: string | null;
      created_by: string;
      created_by_unit: string | null;
      created_at: Ts;
      version: Generated<number>;
    };
  }
}
