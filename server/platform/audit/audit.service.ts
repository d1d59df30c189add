import type { Static } from 'typebox';
import type { AuditQuery } from '../../../contracts/audit.ts';
import type { RequestCtx } from '../core/context.ts';
import type { Db } from '../db/index.ts';
import type { Redactor } from '../module.ts';
import { listAudit } from './audit.repository.ts';
import { type VerifyResult, verifyAudit } from './audit.ts';
import { readAnchors } from './audit-anchors.ts';

export interface AuditDeps {
  db: Db;
  /** entity → personal-field mask (the platform's and every module's) */
  redactors: Record<string, Redactor>;
  /** the anchor file the chain is checked against */
  anchorsPath: string;
}

/**
 * A page of the audit trail as this viewer may see it: a row's before and after pass through its entity's
 * redactor, the same mask as the entity's own pages and live events (phones hidden without personal.read).
 */
export async function listAuditFor(deps: AuditDeps, ctx: RequestCtx, q: Static<typeof AuditQuery>) {
  const page = await listAudit(deps.db.kysely, q);
  return {
    ...page,
    items: page.items.map((r) => {
      const redact = deps.redactors[r.entity];
      return redact ? { ...r, before: redact(r.before, ctx), after: redact(r.after, ctx) } : r;
    }),
  };
}

/** The whole chain checked, against the anchors written outside the database too. */
export function verifyAuditChain(deps: Pick<AuditDeps, 'db' | 'anchorsPath'>): Promise<VerifyResult> {
  return verifyAudit(deps.db, readAnchors(deps.anchorsPath));
}
