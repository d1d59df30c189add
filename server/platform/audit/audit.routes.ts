import { AuditEntry, AuditQuery } from '../../../contracts/audit.ts';
import { ListOf } from '../../../contracts/common.ts';
import type { TypedApp } from '../module.ts';
import { type AuditDeps, listAuditFor, verifyAuditChain } from './audit.service.ts';

export function auditRoutes(app: TypedApp, deps: AuditDeps): void {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: ListOf(AuditEntry) } },
    },
    async (req) => listAuditFor(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/audit/verify',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        description:
          'Walk the hash chain and check it against the anchors written outside the database: the first tampered row, or none.',
      },
    },
    async () => verifyAuditChain(deps),
  );
}
