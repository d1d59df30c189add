/**
 * Enterprises (企业): the register of work-safety subjects. The credit code is checked by its GB 32100-2015 check
 * character (contracts/credit-code.ts, as the web does) and unique. The district is where the enterprise stands (the
 * geo door's `districtAt`, a point at sea: its sea area's district) or, without a location, the one given. Each
 * enterprise gets its own org unit (kind 'enterprise', code `QY-` + credit code) at registration; enterprise users
 * belong to it and see and edit only their own enterprise (never its credit code or district); district staff see
 * their district's; city and departments all. Contacts' phones are masked without `personal.read`.
 */
import { pinyin } from 'pinyin-pro';
import type { Static } from 'typebox';
import { type EntryDatum, toWgs84 } from '../../../contracts/coordinates.ts';
import { checkCreditCode, creditCodeProblemText, normaliseCreditCode } from '../../../contracts/credit-code.ts';
import {
  type AutomationStatus,
  addDays,
  type Enterprise,
  EnterpriseInput,
  type EnterpriseLayer,
  EnterprisePatch,
  EnterpriseQuery,
  type HighRiskCategory,
  highestColour,
  INSURANCE_EXPIRING_DAYS,
  type Industry,
  insuranceStatus,
  NO_RISK_COLOUR_HEX,
  RISK_COLOUR_INFO,
  type RiskColour,
  type RiskGrading,
  riskColourOf,
} from '../../../contracts/safety.ts';
import { AppError } from '../../errors.ts';
import { requireInScope, requirePermission, type Visibility } from '../../platform/access/scope.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { maskPhone } from '../../platform/auth/mask.ts';
import { checkInput } from '../../platform/core/check-input.ts';
import { can, type RequestCtx } from '../../platform/core/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { cityDate } from '../../platform/time.ts';
import * as repo from './enterprises.repository.ts';
import { grading } from './grading.service.ts';
import type { SafetyDeps } from './safety.deps.ts';
import './safety.errors.ts';
import type { EnterpriseRef } from './index.ts';

export const ENTERPRISE_ENTITY = { zh: '企业', en: 'enterprise' };

export function enterpriseVisibility(r: { district_code: string | null; unit_code: string }): Visibility {
  return { permission: 'enterprises.read', district: r.district_code, unit: r.unit_code };
}

/** The enterprise's own org unit code. */
export function enterpriseUnitCode(creditCode: string): string {
  return `QY-${creditCode}`;
}

/** A credit code as stored (upper case), or 400 on `field` naming what to check. */
export function validCreditCode(raw: string, field = 'creditCode'): string {
  const r = checkCreditCode(raw);
  if (r.ok) return r.code;
  throw new AppError('CREDIT_CODE_INVALID', {
    field,
    value: normaliseCreditCode(raw),
    reason: { zh: creditCodeProblemText(r, 'zh'), en: creditCodeProblemText(r, 'en') },
  });
}

export function today(deps: SafetyDeps): string {
  return cityDate(deps.clock.now());
}

function searchKeys(name: string): string {
  const syl = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }) as string[];
  const parts = syl.map((s) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '')).filter(Boolean);
  return `${parts.join('')} ${parts.map((s) => s[0]).join('')}`;
}

export function toRef(r: repo.EnterpriseRow): EnterpriseRef {
  return {
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    districtCode: r.district_code,
    unitCode: r.unit_code,
    industry: r.industry,
    highRiskCategory: r.high_risk_category as HighRiskCategory | null,
    crowdedVenue: r.crowded_venue,
    location: r.lng === null || r.lat === null ? null : { lon: r.lng, lat: r.lat },
    active: r.active,
    registeredOn: cityDate(r.created_at),
  };
}

/** The colour of an enterprise: the highest of its risk points' (null without any). */
export function enterpriseColour(s: repo.EnterpriseSummary | undefined, g: RiskGrading): RiskColour | null {
  if (!s) return null;
  return highestColour([
    s.maxLec === null ? null : riskColourOf('LEC', s.maxLec, g),
    s.maxLs === null ? null : riskColourOf('LS', s.maxLs, g),
  ]);
}

export function toEnterprise(
  deps: SafetyDeps,
  ctx: RequestCtx | null,
  r: repo.EnterpriseRow,
  summary: repo.EnterpriseSummary | undefined,
  g: RiskGrading,
): Enterprise {
  const show = ctx === null || can(ctx.actor, 'personal.read');
  const lang = ctx?.lang ?? 'zh';
  return {
    id: r.id,
    name: r.name,
    creditCode: r.credit_code,
    industry: r.industry as Industry,
    highRiskCategory: r.high_risk_category as HighRiskCategory | null,
    crowdedVenue: r.crowded_venue,
    park: r.park,
    location: r.lng === null || r.lat === null ? null : { type: 'Point', coordinates: [r.lng, r.lat] },
    locationEntered: (r.location_entered as Enterprise['locationEntered']) ?? null,
    district: r.district_code ? { code: r.district_code, name: deps.districtName(r.district_code, lang) } : null,
    address: r.address,
    legalRepresentative: r.legal_representative,
    safetyContacts: r.safety_contacts.map((c) => ({ ...c, phone: show ? c.phone : maskPhone(c.phone) })),
    employees: r.employees,
    insuranceExpiry: r.insurance_expiry,
    insuranceStatus: insuranceStatus(r.insurance_expiry, today(deps)),
    automation: r.automation as AutomationStatus,
    unitCode: r.unit_code,
    active: r.active,
    notes: r.notes,
    majorHazards: { count: summary?.majorCount ?? 0, highestGrade: summary?.highestGrade ?? null },
    riskColour: enterpriseColour(summary, g),
    demo: r.demo,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The enterprise's personal fields masked (audit rows and events for viewers without personal.read). */
export function redactEnterprise(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const v = { ...(value as Record<string, unknown>) };
  for (const key of ['safetyContacts', 'safety_contacts'])
    if (Array.isArray(v[key]))
      v[key] = (v[key] as { phone?: unknown }[]).map((c) =>
        c && typeof c === 'object' && typeof c.phone === 'string' ? { ...c, phone: maskPhone(c.phone) } : c,
      );
  return v;
}

/** An enterprise the actor may see (404 unknown, 403 outside the scope). */
export async function readEnterprise(
  deps: SafetyDeps,
  ctx: RequestCtx,
  id: string,
  field = 'id',
  db: Tx = deps.db.kysely,
): Promise<repo.EnterpriseRow> {
  requirePermission(ctx.actor, 'enterprises.read');
  const r = await repo.findEnterprise(db, id);
  if (!r) throw new AppError('NOT_FOUND', { field, entity: ENTERPRISE_ENTITY });
  requireInScope(ctx.actor, enterpriseVisibility(r), field);
  return r;
}

export async function getEnterprise(deps: SafetyDeps, ctx: RequestCtx, id: string): Promise<Enterprise> {
  const r = await readEnterprise(deps, ctx, id);
  const db = deps.db.kysely;
  return toEnterprise(deps, ctx, r, (await repo.summaries(db, [id])).get(id), await grading(db));
}

export async function getEnterpriseRef(deps: SafetyDeps, ctx: RequestCtx, id: string): Promise<EnterpriseRef> {
  return toRef(await readEnterprise(deps, ctx, id));
}

/** No scope check (system use): active ones unless includeInactive. */
export async function listEnterpriseRefs(
  deps: SafetyDeps,
  opts: { ids?: string[]; includeInactive?: boolean } = {},
): Promise<EnterpriseRef[]> {
  const { rows } = await repo.listEnterprises(
    deps.db.kysely,
    null,
    { ...(opts.ids ? { ids: opts.ids } : {}), ...(opts.includeInactive ? {} : { active: true }) },
    { limit: 1_000_000, offset: 0 },
  );
  return rows.map(toRef);
}

function filterOf(deps: SafetyDeps, q: Static<typeof EnterpriseQuery>): repo.EnterpriseFilter {
  let insuranceBy: string | undefined;
  if (q.insuranceExpiring) {
    insuranceBy = addDays(today(deps), INSURANCE_EXPIRING_DAYS);
  }
  return {
    q: q.q?.trim() || undefined,
    district: q.district,
    industry: q.industry,
    highRiskCategory: q.highRiskCategory,
    crowded: q.crowded,
    majorHazard: q.majorHazard,
    insuranceBy,
    active: q.active,
  };
}

export async function listEnterprises(
  deps: SafetyDeps,
  ctx: RequestCtx,
  q: Static<typeof EnterpriseQuery>,
): Promise<{ items: Enterprise[]; total: number }> {
  requirePermission(ctx.actor, 'enterprises.read');
  checkInput(EnterpriseQuery, q);
  const db = deps.db.kysely;
  const { rows, total } = await repo.listEnterprises(db, ctx.actor, filterOf(deps, q), {
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
  });
  const sums = await repo.summaries(
    db,
    rows.map((r) => r.id),
  );
  const g = await grading(db);
  return { items: rows.map((r) => toEnterprise(deps, ctx, r, sums.get(r.id), g)), total };
}

/** The map layer: active enterprises with a location the actor may see, coloured by their highest risk point. */
export async function enterpriseLayer(deps: SafetyDeps, ctx: RequestCtx): Promise<EnterpriseLayer> {
  requirePermission(ctx.actor, 'enterprises.read');
  const db = deps.db.kysely;
  const { rows } = await repo.listEnterprises(db, ctx.actor, { active: true }, { limit: 5000, offset: 0 });
  const located = rows.filter((r) => r.lng !== null && r.lat !== null);
  const sums = await repo.summaries(
    db,
    located.map((r) => r.id),
  );
  const g = await grading(db);
  return {
    type: 'FeatureCollection',
    features: located.map((r) => {
      const colour = enterpriseColour(sums.get(r.id), g);
      return {
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [r.lng as number, r.lat as number] },
        properties: {
          id: r.id,
          name: r.name,
          industry: r.industry,
          districtCode: r.district_code,
          riskColour: colour,
          majorHazards: sums.get(r.id)?.majorCount ?? 0,
          color: colour ? RISK_COLOUR_INFO[colour].hex : NO_RISK_COLOUR_HEX,
        },
      };
    }),
  };
}

/** The district of a point: the boundary holding it, else the sea area's district, else none. */
async function districtOf(deps: SafetyDeps, lng: number, lat: number): Promise<string | null> {
  const geo = deps.geo();
  return (await geo.districtAt(lng, lat))?.code ?? (await geo.seaAreaAt(lng, lat))?.districtCode ?? null;
}

export interface PreparedEnterprise {
  input: EnterpriseInput;
  write: repo.EnterpriseWrite;
}

/** An enterprise's rules beyond its schema, each naming its field; the write resolved. */
async function enterpriseWrite(
  deps: SafetyDeps,
  ctx: RequestCtx,
  input: EnterpriseInput,
  had?: repo.EnterpriseRow,
  unitCode?: string,
): Promise<PreparedEnterprise> {
  const code = validCreditCode(input.creditCode);
  const other = await repo.findByCreditCode(deps.db.kysely, code);
  if (other && other.id !== had?.id) throw new AppError('DUPLICATE', { field: 'creditCode', value: code });
  // the location: as entered in a datum (converted), else as given (WGS-84)
  let lng: number | null = null;
  let lat: number | null = null;
  let entered: EnterpriseInput['locationEntered'] = null;
  if (input.locationEntered) {
    entered = input.locationEntered;
    [lng, lat] = toWgs84(entered.datum as EntryDatum, entered.coordinates[0], entered.coordinates[1]);
  } else if (input.location) {
    [lng, lat] = input.location.coordinates as [number, number];
    if (had && had.lng === lng && had.lat === lat) entered = had.location_entered as typeof entered;
  }
  if (lng !== null && lat !== null && !(lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90))
    throw new AppError('COORDINATES_OUT_OF_RANGE', { field: 'location.coordinates' });
  let district: string | null;
  const field = input.locationEntered ? 'locationEntered' : 'location';
  if (lng !== null && lat !== null)
    district =
      had && had.lng === lng && had.lat === lat && had.district_code
        ? had.district_code
        : ((await districtOf(deps, lng, lat)) ?? input.districtCode ?? null);
  else district = input.districtCode ?? null;
  if (district && lng === null) {
    const u = deps.units().get(district);
    if (!u || (u.kind !== 'district' && u.kind !== 'zone'))
      throw new AppError('ENTERPRISE_UNKNOWN_DISTRICT', { field: 'districtCode', value: district });
  }
  if (ctx.actor.scope === 'enterprise' && had) {
    if (code !== had.credit_code)
      throw new AppError('ENTERPRISE_FIELD_LOCKED', {
        field: 'creditCode',
        what: { zh: '统一社会信用代码', en: 'credit code' },
      });
    if (district !== had.district_code)
      throw new AppError('ENTERPRISE_FIELD_LOCKED', {
        field: input.districtCode !== undefined && lng === null ? 'districtCode' : field,
        what: { zh: '所属区市', en: 'district' },
      });
  }
  const unit = had?.unit_code ?? unitCode ?? enterpriseUnitCode(code);
  requireInScope(ctx.actor, { district, unit }, lng !== null ? field : 'districtCode');
  const name = input.name.trim();
  return {
    input,
    write: {
      name,
      credit_code: code,
      industry: input.industry,
      high_risk_category: input.highRiskCategory ?? null,
      crowded_venue: input.crowdedVenue ?? false,
      park: input.park?.trim() || null,
      lng,
      lat,
      location_entered: entered,
      district_code: district,
      address: input.address?.trim() || null,
      legal_representative: input.legalRepresentative?.trim() || null,
      safety_contacts: (input.safetyContacts ?? []).map((c) => ({
        name: c.name.trim(),
        ...(c.role?.trim() ? { role: c.role.trim() } : {}),
        phone: c.phone.trim(),
      })),
      employees: input.employees ?? null,
      insurance_expiry: input.insuranceExpiry ?? null,
      automation: input.automation ?? 'not_applicable',
      unit_code: unit,
      active: input.active ?? true,
      notes: input.notes?.trim() || null,
      search_keys: searchKeys(name),
    },
  };
}

/** Checks a new enterprise (permission, schema, rules, scope) before any transaction: the import's dry run too. */
export async function prepareEnterprise(
  deps: SafetyDeps,
  ctx: RequestCtx,
  input: EnterpriseInput,
  unitCode?: string,
): Promise<PreparedEnterprise> {
  requirePermission(ctx.actor, 'enterprises.manage');
  if (ctx.actor.scope === 'enterprise') throw new AppError('ENTERPRISE_CREATE_FORBIDDEN', {});
  checkInput(EnterpriseInput, input);
  return enterpriseWrite(deps, ctx, input, undefined, unitCode);
}

/**
 * The enterprise's own org unit (kind 'enterprise'), added in the enterprise's transaction (audited) unless it exists,
 * so a refused or failed registration leaves no unit behind.
 */
async function ensureUnit(deps: SafetyDeps, trx: Tx, ctx: RequestCtx, w: repo.EnterpriseWrite): Promise<void> {
  const units = deps.units();
  // under its district, else under the city (a unit's parent must exist)
  const city = [...units.values()].find((x) => x.kind === 'city')?.code ?? null;
  const parent = w.district_code && units.has(w.district_code) ? w.district_code : city;
  const u = { code: w.unit_code, name: w.name, nameEn: w.name, kind: 'enterprise' as const, parent };
  await deps.platform.access.addUnit(ctx, u, trx);
}

/** Writes a prepared enterprise in the caller's transaction: its row, audit row and event. */
export async function writeEnterprise(
  deps: SafetyDeps,
  trx: Tx,
  ctx: RequestCtx,
  p: PreparedEnterprise,
  now: Date,
  opts: { demo?: boolean } = {},
): Promise<string> {
  const id = deps.ids.next();
  if (await repo.findByCreditCode(trx, p.write.credit_code))
    throw new AppError('DUPLICATE', { field: 'creditCode', value: p.write.credit_code });
  await ensureUnit(deps, trx, ctx, p.write);
  await repo.insertEnterprise(trx, id, p.write, ctx.actor.id, now, opts.demo ?? false);
  await recordAudit(trx, ctx, now, {
    action: 'enterprise.created',
    entity: 'enterprise',
    entityId: id,
    after: { ...p.input, creditCode: p.write.credit_code, unitCode: p.write.unit_code },
  });
  await emitEvent(trx, now, {
    type: 'enterprise.created',
    entity: 'enterprise',
    entityId: id,
    payload: { id },
    visibility: enterpriseVisibility(p.write),
  });
  return id;
}

export async function createEnterprise(
  deps: SafetyDeps,
  ctx: RequestCtx,
  input: EnterpriseInput,
  opts: { demo?: boolean /** an existing unit of kind 'enterprise' (the demo's account) */; unitCode?: string } = {},
): Promise<Enterprise> {
  const prepared = await prepareEnterprise(deps, ctx, input, opts.unitCode);
  const now = deps.clock.now();
  const id = await deps.db.transaction((trx) => writeEnterprise(deps, trx, ctx, prepared, now, opts));
  deps.afterCommit();
  return getEnterprise(deps, ctx, id);
}

function inputOf(r: repo.EnterpriseRow): EnterpriseInput {
  return {
    name: r.name,
    creditCode: r.credit_code,
    industry: r.industry as Industry,
    highRiskCategory: r.high_risk_category as HighRiskCategory | null,
    crowdedVenue: r.crowded_venue,
    park: r.park,
    location: r.lng === null || r.lat === null ? null : { type: 'Point', coordinates: [r.lng, r.lat] },
    districtCode: r.district_code,
    ...(r.address ? { address: r.address } : {}),
    ...(r.legal_representative ? { legalRepresentative: r.legal_representative } : {}),
    safetyContacts: r.safety_contacts,
    employees: r.employees,
    insuranceExpiry: r.insurance_expiry,
    automation: r.automation as AutomationStatus,
    active: r.active,
    ...(r.notes ? { notes: r.notes } : {}),
  };
}

export async function updateEnterprise(
  deps: SafetyDeps,
  ctx: RequestCtx,
  id: string,
  patch: EnterprisePatch,
): Promise<Enterprise> {
  requirePermission(ctx.actor, 'enterprises.manage');
  checkInput(EnterprisePatch, patch);
  const had = await readEnterprise(deps, ctx, id);
  const { version, ...rest } = patch;
  const merged: EnterpriseInput = { ...inputOf(had), ...rest };
  // a new location decides the district again; a location removed keeps the district unless another is given
  if (rest.locationEntered) merged.location = null;
  if ((rest.location !== undefined || rest.locationEntered) && rest.districtCode === undefined)
    merged.districtCode = null;
  if (rest.location === null && !rest.locationEntered && rest.districtCode === undefined)
    merged.districtCode = had.district_code;
  // masked phones sent back unchanged keep the stored number
  if (rest.safetyContacts)
    merged.safetyContacts = rest.safetyContacts.map((c) => {
      const same = had.safety_contacts.find((h) => h.name === c.name && maskPhone(h.phone) === c.phone);
      return same && c.phone.includes('*') ? { ...c, phone: same.phone } : c;
    });
  const p = await enterpriseWrite(deps, ctx, merged, had);
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    if (!(await repo.updateEnterprise(trx, id, p.write, version, now)))
      throw new AppError('VERSION_CONFLICT', { field: 'version', current: had.version });
    await recordAudit(trx, ctx, now, {
      action: 'enterprise.updated',
      entity: 'enterprise',
      entityId: id,
      before: had,
      after: patch,
    });
    await emitEvent(trx, now, {
      type: 'enterprise.updated',
      entity: 'enterprise',
      entityId: id,
      payload: { id },
      visibility: enterpriseVisibility(p.write),
    });
  });
  deps.afterCommit();
  return getEnterprise(deps, ctx, id);
}
