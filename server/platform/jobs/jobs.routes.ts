import { IdParams } from '../../../contracts/common.ts';
import { Job } from '../../../contracts/jobs.ts';
import type { TypedApp } from '../module.ts';
import type { JobService } from './jobs.service.ts';

export function jobRoutes(app: TypedApp, jobs: JobService): void {
  app.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        description: 'A long-running job (import, export, analysis): state, progress, and its result when done.',
        params: IdParams,
        response: { 200: Job },
      },
    },
    async (req) => jobs.get(req.ctx, req.params.id),
  );
}
