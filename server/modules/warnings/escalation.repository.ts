/** The escalation's SQL: policies, where each warning stands in them, and the deliveries. */
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';

export interface PolicyRow {
  id: string;
  name: string;
  hazard_codes: string[];
  districts: string[];
  min_colour: string;
  steps: unknown;
  enabled: boolean;
  version: number;
}

export interface PolicyWrite {
  name: string;
  hazardCodes: string[];
  districts: string[];
  minColour: string;
  steps: unknown;
  enabled: boolean;
}

const textArray = (a: string[]) => sql`${a}::text[]` as unknown as string[];

export async function listPolicies(db: Tx, onlyEnabled = false): Promise<PolicyRow[]> {
  let q = db.selectFrom('warning_policies').selectAll();
  if (onlyEnabled) q = q.where('enabled', '=', true);
  return q.orderBy('name').execute();
}

export async function findPolicy(db: Tx, id: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('warning_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPolicy(db: Tx, id: string, w: PolicyWrite, now: Date): Promise<void> {
  await db
    .insertInto('warning_policies')
    .values({
      id,
      name: w.name,
      hazard_codes: textArray(w.hazardCodes),
      districts: textArray(w.districts),
      min_colour: w.minColour,
      steps: JSON.stringify(w.steps),
      enabled: w.enabled,
      updated_at: now,
    })
    .execute();
}

/** false when the version is no longer the stored one */
export async function updatePolicy(db: Tx, id: string, w: PolicyWrite, version: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('warning_policies')
    .set({
      name: w.name,
      hazard_codes: textArray(w.hazardCodes),
      districts: textArray(w.districts),
      min_colour: w.minColour,
      steps: JSON.stringify(w.steps),
      enabled: w.enabled,
      version: version + 1,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deletePolicy(db: Tx, id: string): Promise<void> {
  await db.deleteFrom('warning_policies').where('id', '=', id).execute();
}

/** a policy (re)starts for a warning from its first step */
export async function startEscalation(db: Tx, warningId: string, policyId: string, due: Date): Promise<void> {
  await db
    .insertInto('warning_escalations')
    .values({ warning_id: warningId, policy_id: policyId, next_step: 0, next_due_at: due })
    .onConflict((oc) => oc.columns(['warning_id', 'policy_id']).doUpdateSet({ next_step: 0, next_due_at: due }))
    .execute();
}

export async function stopEscalations(db: Tx, warningId: string): Promise<void> {
  await db.deleteFrom('warning_escalations').where('warning_id', '=', warningId).execute();
}

export async function dueSteps(db: Tx, now: Date) {
  return db
    .selectFrom('warning_escalations as e')
    .innerJoin('warning_policies as p', 'p.id', 'e.policy_id')
    .innerJoin('warnings as w', 'w.id', 'e.warning_id')
    .select(['e.warning_id', 'e.policy_id', 'e.next_step', 'e.next_due_at', 'p.steps', 'w.status'])
    .where('e.next_due_at', '<=', now)
    .execute();
}

/** Moves a step on; true for the one instance whose statement did it (it sends the step). */
export async function claimStep(
  db: Tx,
  d: { warning_id: string; policy_id: string; next_step: number },
  nextDue: Date | null,
): Promise<boolean> {
  const r = await db
    .updateTable('warning_escalations')
    .set({ next_step: d.next_step + 1, next_due_at: nextDue })
    .where('warning_id', '=', d.warning_id)
    .where('policy_id', '=', d.policy_id)
    .where('next_step', '=', d.next_step)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface DeliveryRow {
  id: string;
  warning_id: string;
  policy_id: string | null;
  step: number;
  channel: string;
  recipient: string;
  reason: string;
  status: string;
  detail: string;
  at: Date;
}

export async function insertDeliveries(db: Tx, rows: DeliveryRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('warning_deliveries').values(rows).execute();
}

export async function deliveriesOf(db: Tx, warningId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('warning_deliveries')
    .selectAll()
    .where('warning_id', '=', warningId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** the policy steps a warning's notifications reached (a lift is told to them) */
export async function stepsReached(db: Tx, warningId: string) {
  return db
    .selectFrom('warning_deliveries as d')
    .innerJoin('warning_policies as p', 'p.id', 'd.policy_id')
    .select(['d.policy_id', 'd.step', 'p.steps'])
    .where('d.warning_id', '=', warningId)
    .where('d.status', '=', 'sent')
    .where('d.reason', '<>', 'lifted')
    .distinct()
    .execute();
}
