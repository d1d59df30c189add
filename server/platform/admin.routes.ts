import type { FastifyInstance } from 'fastify';
import { Type as T } from 'typebox';
import { importBoundaries, invalidateBasemap } from '../geo/boundaries.service.ts';
import { verifyAudit } from './audit/audit.ts';
import type { Clock } from './core/ids.ts';
import type { Db } from './db/index.ts';

/** Operator actions, used by `npx anlan` while a server holds the data directory, and by administrators. */
export function adminRoutes(app: FastifyInstance, deps: { db: Db; clock: Clock }): void {
  app.get(
    '/api/v1/admin/audit/verify',
    { config: { permission: 'audit.read' }, schema: { tags: ['admin'] } },
    async () => verifyAudit(deps.db),
  );
  app.post(
    '/api/v1/admin/boundaries',
    {
      config: { permission: 'org.manage' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['admin'],
        body: T.Object({
          crs: T.Enum(['wgs84', 'gcj02']),
          source: T.String({ minLength: 1, maxLength: 300 }),
          featureCollection: T.Object({ features: T.Array(T.Any()) }, { additionalProperties: true }),
        }),
      },
    },
    async (req) => {
      const b = req.body as { crs: 'wgs84' | 'gcj02'; source: string; featureCollection: { features: never[] } };
      const codes = await importBoundaries(deps, req.ctx, b.featureCollection, {
        crs: b.crs,
        kind: 'district',
        source: b.source,
      });
      invalidateBasemap();
      return { codes };
    },
  );
}
