/** The grid's rules (setting `risks.grid`): read with its version, the defaults (assumptions) until changed. */

import { Value } from 'typebox/value';
import { DEFAULT_RISK_GRID_SETTINGS, RiskGridSettings } from '../../../contracts/risks.ts';
import type { Tx } from '../../platform/db/index.ts';
import { getSetting } from '../../platform/settings.ts';

export const GRID_SETTING = 'risks.grid';

export async function currentSettings(
  db: Tx,
  o: { forUpdate?: boolean } = {},
): Promise<{ value: RiskGridSettings; version: number; isDefault: boolean; updatedAt: Date | null }> {
  const row = await getSetting(db, GRID_SETTING, o);
  if (!row) return { value: DEFAULT_RISK_GRID_SETTINGS, version: 0, isDefault: true, updatedAt: null };
  const stored = (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as unknown;
  // a stored value missing a newer field takes the default's
  const merged = { ...DEFAULT_RISK_GRID_SETTINGS, ...(stored as object) };
  merged.kinds = { ...DEFAULT_RISK_GRID_SETTINGS.kinds, ...((stored as RiskGridSettings).kinds ?? {}) };
  const value = Value.Check(RiskGridSettings, merged) ? merged : DEFAULT_RISK_GRID_SETTINGS;
  return { value, version: Number(row.version), isDefault: false, updatedAt: new Date(row.updated_at) };
}
