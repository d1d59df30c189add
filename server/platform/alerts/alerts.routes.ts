import { AckReply, Alert, AlertQuery } from '../../../contracts/alerts.ts';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import type { TypedApp } from '../module.ts';
import type { AlertsApi } from './alerts.service.ts';

export function alertRoutes(app: TypedApp, alerts: AlertsApi): void {
  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts.read' },
      schema: {
        tags: ['alerts'],
        description:
          "The caller's open alarms: those they may see that nobody of their unit has acknowledged yet, the most " +
          'severe first, then the newest.',
        querystring: AlertQuery,
        response: { 200: ListOf(Alert) },
      },
    },
    async (req) => alerts.listOpen(req.ctx, req.query),
  );
  app.post(
    '/api/v1/alerts/:id/ack',
    {
      config: { permission: 'alerts.acknowledge' },
      schema: {
        tags: ['alerts'],
        description:
          "接报确认: acknowledges the alarm for the caller's unit (who, which unit, when), which clears it for every user " +
          'of the unit. Acknowledging again is harmless: `acknowledgedNow` is false and nothing is written.',
        params: IdParams,
        response: { 200: AckReply },
      },
    },
    async (req) => alerts.acknowledge(req.ctx, req.params.id),
  );
}
