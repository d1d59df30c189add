import { AuditEntry, AuditQuery } from '../../../contracts/audit.ts';
import { ListOf } from '../../../contracts/common.ts';
import type { Db } from '../db/index.ts';
import type { TypedApp } from '../module.ts';
import { listAudit } from './audit.repository.ts';
import { verifyAudit } from './audit.ts';

export function auditRoutes(app: TypedApp, deps: { db: Db }): void {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: ListOf(AuditEntry) } },
    },
    async (req) => listAudit(deps.db.kysely, req.query),
  );
  app.get(
    '/api/v1/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: { tags: ['audit'], description: 'Walk the hash chain: the first tampered row, or none.' },
    },
    async () => verifyAudit(deps.db),
  );
}
