import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  CapImportReply,
  ChangeColourInput,
  Delivery,
  LiftInput,
  Policy,
  PolicyInput,
  PolicyPatch,
  PublishInput,
  Warning,
  WarningInput,
  WarningListQuery,
} from '../../../contracts/warnings.ts';
import { AppError } from '../../errors.ts';
import type { TypedApp } from '../../platform/module.ts';
import type { CapService } from './cap.service.ts';
import type { Escalation } from './escalation.ts';
import { publicPage } from './public-page.ts';
import type { WarningsService } from './warnings.service.ts';

export function warningRoutes(app: TypedApp, svc: WarningsService, esc: Escalation): void {
  const tags = ['warnings'];
  app.get(
    '/api/v1/warnings',
    {
      config: { permission: 'warnings.read' },
      schema: { tags, querystring: WarningListQuery, response: { 200: ListOf(Warning) } },
    },
    async (req) => svc.list(req.ctx, req.query),
  );
  app.post(
    '/api/v1/warnings',
    { config: { permission: 'warnings.manage' }, schema: { tags, body: WarningInput, response: { 201: Warning } } },
    async (req, reply) => reply.status(201).send(await svc.create(req.ctx, req.body)),
  );
  app.get(
    '/api/v1/warnings/:id',
    { config: { permission: 'warnings.read' }, schema: { tags, params: IdParams, response: { 200: Warning } } },
    async (req) => svc.get(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/ack',
    { config: { permission: 'warnings.manage' }, schema: { tags, params: IdParams, response: { 200: Warning } } },
    async (req) => svc.acknowledge(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/lift',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, body: LiftInput, response: { 200: Warning } },
    },
    async (req) => svc.liftByHand(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/warnings/:id/colour',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, body: ChangeColourInput, response: { 200: Warning } },
    },
    async (req) => svc.setColour(req.ctx, req.params.id, req.body),
  );
  app.post(
    '/api/v1/warnings/:id/incident',
    {
      config: { permission: 'warnings.manage' },
      schema: { tags, params: IdParams, response: { 200: T.Object({ incidentId: T.String(), warning: Warning }) } },
    },
    async (req) => svc.promote(req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/warnings/:id/deliveries',
    {
      config: { permission: 'warnings.read' },
      schema: { tags, params: IdParams, response: { 200: T.Array(Delivery) } },
    },
    async (req) => {
      await svc.read(req.ctx, req.params.id);
      return esc.deliveries(req.params.id);
    },
  );
  app.get(
    '/api/v1/warning-policies',
    { config: { permission: 'warnings.read' }, schema: { tags, response: { 200: ListOf(Policy) } } },
    async (req) => esc.listPolicies(req.ctx),
  );
  app.post(
    '/api/v1/warning-policies',
    { config: { permission: 'warnings.policies' }, schema: { tags, body: PolicyInput, response: { 201: Policy } } },
    async (req, reply) => reply.status(201).send(await esc.createPolicy(req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/warning-policies/:id',
    {
      config: { permission: 'warnings.policies' },
      schema: { tags, params: IdParams, body: PolicyPatch, response: { 200: Policy } },
    },
    async (req) => esc.updatePolicy(req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/warning-policies/:id',
    { config: { permission: 'warnings.policies' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await esc.deletePolicy(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
}

/** CAP in (`/api/v1/cap/import`) and out (publish; the public feed, alerts and page under `/public`). */
export function capRoutes(app: TypedApp, cap: CapService): void {
  const tags = ['cap'];
  app.addContentTypeParser(
    ['application/xml', 'text/xml', 'application/cap+xml', 'application/atom+xml', 'application/rss+xml'],
    { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/api/v1/cap/import',
    {
      config: { permission: 'cap.import' },
      bodyLimit: 10 * 1024 * 1024,
      schema: {
        tags,
        description:
          'A CAP 1.0/1.1/1.2 alert, an Atom or RSS feed of them, or an EDXL-DE envelope, as the XML body. Refused (400, `reasons`) when not valid; DTDs and external entities are never resolved.',
        response: { 200: CapImportReply },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw new AppError('VALIDATION', { field: 'body', reason: 'an XML document (Content-Type: application/xml)' });
      return cap.importDocument(req.ctx, req.body);
    },
  );
  const Feed = T.Object({
    id: T.String(),
    url: T.String(),
    name: T.String(),
    enabled: T.Boolean(),
    intervalMinutes: T.Integer(),
    lastPolledAt: T.Union([T.String(), T.Null()]),
    lastStatus: T.String(),
  });
  app.get(
    '/api/v1/cap/feeds',
    {
      config: { permission: 'cap.import' },
      schema: {
        tags,
        description: 'Upstream CAP feeds polled (e.g. the provincial meteorological service).',
        response: { 200: T.Array(Feed) },
      },
    },
    async (req) => cap.listFeeds(req.ctx),
  );
  app.post(
    '/api/v1/cap/feeds',
    {
      config: { permission: 'cap.import' },
      schema: {
        tags,
        body: T.Object({
          url: T.String({ minLength: 8, maxLength: 1000 }),
          name: T.String({ minLength: 1, maxLength: 200 }),
          intervalMinutes: T.Optional(T.Integer({ minimum: 1, maximum: 1440 })),
          enabled: T.Optional(T.Boolean()),
        }),
        response: { 201: Feed },
      },
    },
    async (req, reply) => reply.status(201).send(await cap.addFeed(req.ctx, req.body)),
  );
  app.delete(
    '/api/v1/cap/feeds/:id',
    { config: { permission: 'cap.import' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await cap.removeFeed(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/v1/cap/feeds/:id/poll',
    {
      config: { permission: 'cap.import' },
      schema: { tags, params: IdParams, response: { 200: T.Array(T.Object({ id: T.String(), status: T.String() })) } },
    },
    async (req) => cap.poll(req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/warnings/:id/publish',
    {
      config: { permission: 'warnings.publish' },
      schema: {
        tags: ['warnings'],
        description:
          '审核签发: issues the warning as CAP 1.2 (Alert, then Update after a change, Cancel after the lift).',
        params: IdParams,
        body: PublishInput,
        response: { 200: Warning },
      },
    },
    async (req) => cap.publish(req.ctx, req.params.id, req.body),
  );
  app.get('/public/cap/feed.atom', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'application/atom+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=60')
      .send(await cap.feed()),
  );
  app.get(
    '/public/cap/alerts/:file',
    { config: { public: true }, schema: { hide: true, params: T.Object({ file: T.String({ maxLength: 300 }) }) } },
    async (req, reply) => {
      const identifier = req.params.file.replace(/\.xml$/, '');
      const xml = await cap.alertXml(identifier);
      if (!xml) throw new AppError('NOT_FOUND', { field: 'file', entity: { zh: 'CAP 消息', en: 'CAP message' } });
      return reply.header('content-type', 'application/cap+xml; charset=utf-8').send(xml);
    },
  );
  app.get('/public/warnings', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    // ?lang= chooses (the page's own switch); otherwise the browser's first language, Chinese by default
    const asked = (req.query as { lang?: string }).lang;
    const lang: 'zh' | 'en' =
      asked === 'en' || asked === 'zh'
        ? asked
        : /^en/i.test(String(req.headers['accept-language'] ?? ''))
          ? 'en'
          : 'zh';
    return reply.header('content-type', 'text/html; charset=utf-8').send(publicPage(await cap.publicWarnings(), lang));
  });
}
