/** What every part of the logistics module works with: the platform's pieces and the doors of other modules. */

import type { GeoApi } from '../../geo/index.ts';
import type { Clock, Ids } from '../../platform/core/ids.ts';
import type { Db } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/module.ts';
import type { WorkerPool } from '../../platform/workers/worker-pool.ts';

export interface LogisticsDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  afterCommit: () => void;
  platform: Platform;
  /** units by code (read at seed): names for districts and owners */
  units(): Map<string, { code: string; name: string; nameEn: string; kind: string }>;
  districtName(code: string, lang?: 'zh' | 'en'): string;
  geo(): GeoApi;
  workers: WorkerPool;
}
