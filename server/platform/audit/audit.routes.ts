import type { FastifyInstance } from 'fastify';
import { AuditEntry, AuditQuery } from '../../../contracts/audit.ts';
import { ListOf } from '../../../contracts/common.ts';
import type { Db } from '../db/index.ts';
import { listAudit } from './audit.repository.ts';

export function auditRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.read' },
      schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: ListOf(AuditEntry) } },
    },
    async (req) => listAudit(deps.db.kysely, req.query as never),
  );
}
