import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  DeadLetter,
  DeadLetterQuery,
  Device,
  DeviceCreated,
  DeviceInput,
  DeviceListQuery,
  DevicePatch,
  IngestReply,
  ReadingsQuery,
  ReadingsReply,
  Rule,
  RuleInput,
  RulePatch,
} from '../../../contracts/monitoring.ts';
import { AppError } from '../../errors.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import type { TypedApp } from '../../platform/module.ts';
import { deviceExportFileName, exportDevices } from './devices.export.ts';
import * as svc from './monitoring.service.ts';

const DeviceIdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });

function bearer(h: string | undefined): string | null {
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m?.[1]?.trim() ?? null;
}

export function monitoringRoutes(app: TypedApp, deps: svc.MonitoringDeps, broker: () => object): void {
  const tags = ['monitoring'];
  app.get(
    '/api/v1/devices',
    {
      config: { permission: 'monitoring.read' },
      schema: { tags, querystring: DeviceListQuery, response: { 200: ListOf(Device) } },
    },
    async (req) => svc.listDevices(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/devices',
    {
      config: { permission: 'monitoring.manage' },
      schema: { tags, body: DeviceInput, response: { 201: DeviceCreated } },
    },
    async (req, reply) => {
      const out = await svc.createDevice(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/devices/${out.device.id}`).send(out);
    },
  );
  // Fastify's router matches a static path before a parametric one whatever the order (checked: registered after
  // `/api/v1/devices/:id` it still answers); it stands before it anyway, as a reader expects
  app.get(
    '/api/v1/devices/export.xlsx',
    {
      config: { permission: 'monitoring.read' },
      schema: {
        tags,
        description:
          "The device register as an Excel workbook (.xlsx), same filters as the list: the import's columns " +
          '(it imports again), then status, district, last seen and the latest values with units. No tokens.',
        querystring: DeviceListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportDevices(deps, req.ctx, req.query, whenClientGone(reply));
      const name = deviceExportFileName(deps.clock.now());
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`监测设备-${name}`)}`,
        )
        .header('x-row-count', String(rows))
        .send(file);
    },
  );
  app.get(
    '/api/v1/devices/mqtt',
    {
      config: { permission: 'monitoring.read' },
      schema: { tags, description: 'The MQTT broker Anlan ingests from: embedded, external or off (and why).' },
    },
    async () => broker(),
  );
  app.get(
    '/api/v1/devices/dead-letters',
    {
      config: { permission: 'monitoring.admin' },
      schema: { tags, querystring: DeadLetterQuery, response: { 200: ListOf(DeadLetter) } },
    },
    async (req) => svc.deadLetters(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/devices/:id',
    { config: { permission: 'monitoring.read' }, schema: { tags, params: IdParams, response: { 200: Device } } },
    async (req) => svc.getDevice(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/devices/:id',
    {
      config: { permission: 'monitoring.manage' },
      schema: { tags, params: IdParams, body: DevicePatch, response: { 200: Device } },
    },
    async (req) => svc.updateDevice(deps, req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/devices/:id/token',
    {
      config: { permission: 'monitoring.manage' },
      schema: { tags, params: IdParams, response: { 200: T.Object({ token: T.String() }) } },
    },
    async (req) => svc.rotateToken(deps, req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/devices/:id/readings',
    {
      config: { permission: 'monitoring.read' },
      schema: { tags, params: IdParams, querystring: ReadingsQuery, response: { 200: ReadingsReply } },
    },
    async (req) => svc.readings(deps, req.ctx, req.params.id, req.query),
  );
  // Devices post with their own token (Authorization: Bearer <device token>), not a user's session.
  app.post(
    '/api/v1/devices/:id/readings',
    {
      config: { public: true },
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        params: DeviceIdParams,
        description:
          'Readings of one device: `{"ts", "values"}` or an array of them, with the device token as `Authorization: Bearer`. ' +
          'Answers 202 with what was accepted and what was rejected and why (rejects are also kept as dead letters).',
        response: { 202: IngestReply },
      },
    },
    async (req, reply) => {
      const token = bearer(req.headers.authorization);
      if (!token || !deps.ingestion.authenticate(req.params.id, token))
        throw new AppError('DEVICE_TOKEN_INVALID', { field: 'Authorization' });
      if (req.body === undefined || req.body === null)
        throw new AppError('VALIDATION', { field: 'body', reason: '{"ts", "values"} or an array of them' });
      return reply.status(202).send(await deps.ingestion.submit(req.params.id, req.body, 'http'));
    },
  );
  app.get(
    '/api/v1/rules',
    { config: { permission: 'monitoring.read' }, schema: { tags, response: { 200: ListOf(Rule) } } },
    async (req) => svc.listRules(deps, req.ctx),
  );
  app.post(
    '/api/v1/rules',
    { config: { permission: 'monitoring.rules' }, schema: { tags, body: RuleInput, response: { 201: Rule } } },
    async (req, reply) => reply.status(201).send(await svc.createRule(deps, req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/rules/:id',
    {
      config: { permission: 'monitoring.rules' },
      schema: { tags, params: IdParams, body: RulePatch, response: { 200: Rule } },
    },
    async (req) => svc.updateRule(deps, req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/rules/:id/reset',
    { config: { permission: 'monitoring.rules' }, schema: { tags, params: IdParams, response: { 200: Rule } } },
    async (req) => svc.resetRule(deps, req.ctx, req.params.id),
  );
}
