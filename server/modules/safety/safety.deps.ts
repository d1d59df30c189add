/** What every part of the safety module works with: the platform's pieces and the doors of other modules. */
import type { GeoApi } from '../../geo/index.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/module.ts';

export interface UnitInfo {
  code: string;
  name: string;
  nameEn: string;
  kind: string;
}

export interface SafetyDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  platform: Platform;
  /** units by code (read at seed, enterprises' own units added as they are registered) */
  units(): Map<string, UnitInfo>;
  districtName(code: string, lang?: 'zh' | 'en'): string;
  geo(): GeoApi;
}
