import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  Consultation,
  ConsultationInput,
  ConsultationListQuery,
  ConsultationPatch,
  ConsultationTemplate,
  Draw,
  DrawInput,
  DrawListQuery,
  DrawSummary,
  DrawVerification,
  DueAssessment,
  DueQuery,
  Expert,
  ExpertInput,
  ExpertListQuery,
  ExpertPatch,
  FromTemplateInput,
  Invitation,
  InvitationReply,
  ReplacementInput,
  TemplateInput,
  TemplatePatch,
} from '../../../contracts/experts.ts';
import { whenClientGone } from '../../platform/http/client-gone.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import * as cs from './consultations.service.ts';
import { expertExportFileName, exportExperts } from './experts.export.ts';
import * as svc from './experts.service.ts';

export function expertsRoutes(app: TypedApp, deps: svc.ExpertsDeps): void {
  const tags = ['experts'];
  app.get(
    '/api/v1/experts',
    {
      config: { permission: 'experts.read' },
      schema: { tags, querystring: ExpertListQuery, response: { 200: ListOf(Expert) } },
    },
    async (req) => svc.listExperts(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/experts',
    { config: { permission: 'experts.manage' }, schema: { tags, body: ExpertInput, response: { 201: Expert } } },
    async (req, reply) => {
      const e = await svc.createExpert(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/experts/${e.id}`).send(e);
    },
  );
  app.get(
    '/api/v1/experts/export.xlsx',
    {
      config: { permission: 'experts.read' },
      schema: {
        tags,
        description: "The expert register as an Excel workbook, same filters as the list (the import's columns first)",
        querystring: ExpertListQuery,
      },
    },
    async (req, reply) => {
      const { file, rows } = await exportExperts(deps, req.ctx, req.query, whenClientGone(reply));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('专家库', expertExportFileName(deps.clock.now())))
        .header('x-row-count', String(rows))
        .send(file);
    },
  );

  // ————— draws and invitations (static paths before /experts/:id) —————
  app.get(
    '/api/v1/experts/draws',
    {
      config: { permission: 'experts.read' },
      schema: { tags, querystring: DrawListQuery, response: { 200: ListOf(DrawSummary) } },
    },
    async (req) => svc.listDraws(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/experts/draws',
    {
      config: { permission: 'experts.draw' },
      schema: {
        tags,
        description:
          'Draws `count` experts at random among the active experts available today whose fields serve the request, ' +
          'minus the avoided organisations and experts; the seed, the sorted candidates, the algorithm and the result ' +
          'are recorded (and audited) so that GET …/verify recomputes it. Too few candidates → 409 naming `count`.',
        body: DrawInput,
        response: { 201: Draw },
      },
    },
    async (req, reply) => {
      const d = await svc.createDraw(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/experts/draws/${d.id}`).send(d);
    },
  );
  app.get(
    '/api/v1/experts/draws/:id',
    { config: { permission: 'experts.read' }, schema: { tags, params: IdParams, response: { 200: Draw } } },
    async (req) => svc.getDraw(deps, req.ctx, req.params.id),
  );
  app.get(
    '/api/v1/experts/draws/:id/verify',
    {
      config: { permission: 'experts.read' },
      schema: {
        tags,
        description:
          'Recomputes every round of the draw from its record and compares it with the recorded result and digest; ' +
          "says also whether the first round's criteria would give the same candidate pool today",
        params: IdParams,
        response: { 200: DrawVerification },
      },
    },
    async (req) => svc.verifyDraw(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/experts/draws/:id/replacements',
    {
      config: { permission: 'experts.draw' },
      schema: {
        tags,
        description: 'A follow-up round replacing declined invitations (recorded and verifiable like the first)',
        params: IdParams,
        body: ReplacementInput,
        response: { 201: Draw },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.replaceDeclined(deps, req.ctx, req.params.id, req.body)),
  );
  app.post(
    '/api/v1/experts/invitations/:id/reply',
    {
      config: { permission: 'experts.draw' },
      schema: { tags, params: IdParams, body: InvitationReply, response: { 200: Invitation } },
    },
    async (req) => svc.replyInvitation(deps, req.ctx, req.params.id, req.body),
  );

  app.get(
    '/api/v1/experts/:id',
    { config: { permission: 'experts.read' }, schema: { tags, params: IdParams, response: { 200: Expert } } },
    async (req) => svc.getExpert(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/experts/:id',
    {
      config: { permission: 'experts.manage' },
      schema: { tags, params: IdParams, body: ExpertPatch, response: { 200: Expert } },
    },
    async (req) => svc.updateExpert(deps, req.ctx, req.params.id, req.body),
  );

  // ————— consultations —————
  const ctags = ['consultations'];
  app.get(
    '/api/v1/consultations',
    {
      config: { permission: 'consultations.read' },
      schema: { tags: ctags, querystring: ConsultationListQuery, response: { 200: ListOf(Consultation) } },
    },
    async (req) => cs.listConsultations(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/consultations',
    {
      config: { permission: 'consultations.manage' },
      schema: { tags: ctags, body: ConsultationInput, response: { 201: Consultation } },
    },
    async (req, reply) => {
      const c = await cs.createConsultation(deps, req.ctx, req.body);
      return reply.status(201).header('location', `/api/v1/consultations/${c.id}`).send(c);
    },
  );
  app.post(
    '/api/v1/consultations/from-template',
    {
      config: { permission: 'consultations.manage' },
      schema: {
        tags: ctags,
        description: 'A periodic assessment pre-filled from a template (agenda, minutes headings); one per period',
        body: FromTemplateInput,
        response: { 201: Consultation },
      },
    },
    async (req, reply) => reply.status(201).send(await cs.fromTemplate(deps, req.ctx, req.body)),
  );
  app.get(
    '/api/v1/consultations/due',
    {
      config: { permission: 'consultations.read' },
      schema: {
        tags: ctags,
        description:
          'The periodic assessments due this month and quarter (and occasions within 30 days), with their state; the ' +
          "templates' due days are configurable assumptions",
        querystring: DueQuery,
        response: { 200: ListOf(DueAssessment) },
      },
    },
    async (req) => cs.dueAssessments(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/consultations/templates',
    {
      config: { permission: 'consultations.read' },
      schema: { tags: ctags, response: { 200: ListOf(ConsultationTemplate) } },
    },
    async (req) => cs.listTemplates(deps, req.ctx),
  );
  app.post(
    '/api/v1/consultations/templates',
    {
      config: { permission: 'consultations.templates' },
      schema: { tags: ctags, body: TemplateInput, response: { 201: ConsultationTemplate } },
    },
    async (req, reply) => reply.status(201).send(await cs.addTemplate(deps, req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/consultations/templates/:id',
    {
      config: { permission: 'consultations.templates' },
      schema: { tags: ctags, params: IdParams, body: TemplatePatch, response: { 200: ConsultationTemplate } },
    },
    async (req) => cs.updateTemplate(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/consultations/:id',
    {
      config: { permission: 'consultations.read' },
      schema: { tags: ctags, params: IdParams, response: { 200: Consultation } },
    },
    async (req) => cs.getConsultation(deps, req.ctx, req.params.id),
  );
  app.patch(
    '/api/v1/consultations/:id',
    {
      config: { permission: 'consultations.manage' },
      schema: { tags: ctags, params: IdParams, body: ConsultationPatch, response: { 200: Consultation } },
    },
    async (req) => cs.updateConsultation(deps, req.ctx, req.params.id, req.body),
  );
}
