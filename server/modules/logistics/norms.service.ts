/**
 * Relief norms (per person per day, or once), reserve norms (per 1,000 residents per tier) and the residents per
 * district they are counted on, kept in the platform's settings under `logistics.norms`. Until an administrator saves
 * them, the defaults apply (norms.defaults.ts): every quantity an assumption, the populations approximate.
 */
import {
  type Norms,
  NormsInput,
  type NormsSettings,
  standardCodeOf,
  type WarehouseTier,
} from '../../../contracts/logistics.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { getSetting, putSetting } from '../../platform/settings.ts';
import type { LogisticsDeps } from './logistics.deps.ts';
import { DEFAULT_NORMS } from './norms.defaults.ts';
import './dispatch.errors.ts';

export const NORMS_KEY = 'logistics.norms';
/** the unit kinds a population row may name: the city (the city tier's base), districts and zones */
const AREA_KINDS: readonly string[] = ['city', 'district', 'zone'];

async function readNorms(db: Tx): Promise<NormsSettings> {
  const s = await getSetting(db, NORMS_KEY);
  const stored = s?.value as Norms | undefined;
  const n = stored ?? DEFAULT_NORMS;
  return {
    relief: n.relief,
    reserve: n.reserve,
    population: n.population,
    version: s?.version ?? 0,
    defaults: !stored,
    updatedAt: s ? new Date(s.updated_at).toISOString() : null,
  };
}

/** The norms in force (the saved ones, else the defaults): for the relief plan (part B) and the gap analysis. */
export async function getNorms(deps: Pick<LogisticsDeps, 'db'>): Promise<Norms> {
  const { relief, reserve, population } = await readNorms(deps.db.kysely);
  return { relief, reserve, population };
}

export async function normsSettings(deps: LogisticsDeps, ctx: RequestCtx): Promise<NormsSettings> {
  requirePermission(ctx.actor, 'supplies.read');
  return readNorms(deps.db.kysely);
}

/** The checks beyond the schema: known codes, no repeats, a basis for a norm that is not an assumption. */
export function checkNorms(deps: Pick<LogisticsDeps, 'units'>, n: Norms): void {
  const item = (field: string, code: string) => {
    if (!standardCodeOf(code)) throw new AppError('NORM_UNKNOWN_ITEM', { field, value: code });
  };
  const basis = (field: string, x: { basis: string; assumption: boolean }) => {
    if (!x.assumption && !x.basis.trim()) throw new AppError('NORM_BASIS_REQUIRED', { field });
  };
  const seen = new Set<string>();
  n.relief.forEach((r, i) => {
    item(`relief.${i}.itemCode`, r.itemCode);
    if (seen.has(r.itemCode))
      throw new AppError('NORM_DUPLICATE', { field: `relief.${i}.itemCode`, value: r.itemCode });
    seen.add(r.itemCode);
    basis(`relief.${i}.basis`, r);
  });
  seen.clear();
  n.reserve.forEach((r, i) => {
    item(`reserve.${i}.itemCode`, r.itemCode);
    const key = `${r.itemCode} ${r.tier}`;
    if (seen.has(key)) throw new AppError('NORM_DUPLICATE', { field: `reserve.${i}.tier`, value: key });
    seen.add(key);
    basis(`reserve.${i}.basis`, r);
  });
  seen.clear();
  const units = deps.units();
  n.population.forEach((p, i) => {
    const field = `population.${i}.districtCode`;
    const u = units.get(p.districtCode);
    if (!u || !AREA_KINDS.includes(u.kind))
      throw new AppError('NORM_UNKNOWN_DISTRICT', { field, value: p.districtCode });
    if (seen.has(p.districtCode)) throw new AppError('NORM_DUPLICATE', { field, value: p.districtCode });
    seen.add(p.districtCode);
  });
}

export async function putNorms(deps: LogisticsDeps, ctx: RequestCtx, input: NormsInput): Promise<NormsSettings> {
  requirePermission(ctx.actor, 'supplies.manage');
  checkInput(NormsInput, input);
  const value: Norms = {
    relief: input.relief.map((r) => ({ ...r, basis: r.basis.trim() })),
    reserve: input.reserve.map((r) => ({ ...r, basis: r.basis.trim() })),
    population: input.population.map((p) => ({ ...p, basis: p.basis.trim() })),
  };
  checkNorms(deps, value);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    // the settings row locked, so two saves on the same version do not both pass the check
    await getSetting(trx, NORMS_KEY, { forUpdate: true });
    const before = await readNorms(trx);
    if (input.version !== undefined && input.version !== before.version)
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: before.version });
    await putSetting(trx, NORMS_KEY, value, now);
    const saved = await getSetting(trx, NORMS_KEY);
    await recordAudit(trx, ctx, now, {
      action: 'logistics.norms_changed',
      entity: 'setting',
      entityId: NORMS_KEY,
      before: before.defaults
        ? { defaults: true }
        : { relief: before.relief, reserve: before.reserve, population: before.population },
      after: value,
    });
    await emitEvent(trx, now, {
      type: 'logistics.norms_changed',
      entity: 'setting',
      entityId: NORMS_KEY,
      payload: { version: saved?.version ?? 0 },
      visibility: { permission: 'supplies.read' },
    });
  });
  deps.afterCommit();
  return readNorms(deps.db.kysely);
}

/** residents of a district code by the norms (undefined: not listed) */
export function peopleOf(n: Norms, districtCode: string): number | undefined {
  return n.population.find((p) => p.districtCode === districtCode)?.people;
}

/** the reserve norm of an item and tier, per 1,000 residents (0: none set) */
export function reservePerThousand(n: Norms, itemCode: string, tier: WarehouseTier): number {
  return n.reserve.find((r) => r.itemCode === itemCode && r.tier === tier)?.perThousand ?? 0;
}
