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
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
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
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
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
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('监测设备', name))
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
  // An external Mosquitto authenticates the devices itself: its password and ACL files, from the registry.
  app.get(
    '/api/v1/devices/mqtt/mosquitto/:file',
    {
      config: { permission: 'monitoring.admin' },
      schema: {
        tags,
        params: T.Object({ file: T.Union([T.Literal('passwd'), T.Literal('acl')]) }),
        querystring: T.Object({ anlanUser: T.Optional(T.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })) }),
        description:
          "Mosquitto `password_file` (each enabled device: its id and token hash, already in Mosquitto's `$7$` format) or `acl_file` (each device writes only its own readings topic; `anlanUser`, default `anlan`, reads them all). Audited.",
      },
    },
    async (req, reply) => {
      const text = await svc.mosquittoFile(deps, req.ctx, req.params.file, req.query.anlanUser ?? 'anlan');
      return reply.header('content-type', 'text/plain; charset=utf-8').send(text);
    },
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
      // no session: the device's own token (401 when wrong), 503 when readings cannot be stored now
      config: { public: true, ownCredential: true, errors: [401, 503] },
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
  app.post(
    '/api/v1/devices/:id/readings/import',
    {
      config: { permission: 'monitoring.manage' },
      // parsed at once on the event loop: 10 MB (about 300,000 lines) stays well under a second
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags,
        params: IdParams,
        description:
          "A device's history as CSV (text/csv body): `ts,metric,value` or `ts,<metric>,<metric>…`, times with their offset. A file with any bad line is refused with every line named; repeats of stored readings are ignored.",
        response: {
          200: T.Object({ rows: T.Integer(), accepted: T.Integer(), rejected: IngestReply.properties.rejected }),
        },
      },
    },
    async (req) => {
      const body = req.body as unknown;
      if (typeof body !== 'string' && !Buffer.isBuffer(body))
        throw new AppError('VALIDATION', { field: 'body', reason: 'a CSV file (Content-Type: text/csv)' });
      return svc.importReadingsCsv(deps, req.ctx, req.params.id, String(body));
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
