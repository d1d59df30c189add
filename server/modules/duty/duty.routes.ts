import { Type as T } from 'typebox';
import { IdParams, ListOf } from '../../../contracts/common.ts';
import {
  BookEntry,
  BookQuery,
  ContactInput,
  ContactPatch,
  Department,
  GapsQuery,
  GapsReply,
  GenerateInput,
  Handover,
  HandoverAccept,
  HandoverInput,
  HandoverQuery,
  OnShiftQuery,
  OnShiftReply,
  Pattern,
  PatternInput,
  PatternPatch,
  Shift,
  ShiftInput,
  ShiftPatch,
  ShiftQuery,
} from '../../../contracts/duty.ts';
import { prefixedAttachment, XLSX_TYPE } from '../../platform/http/download.ts';
import type { TypedApp } from '../../platform/module.ts';
import { exportContacts, exportShifts } from './duty.import.ts';
import * as svc from './duty.service.ts';

const ExportQuery = T.Object({
  unit: T.Optional(T.String({ maxLength: 64 })),
  month: T.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }),
});

export function dutyRoutes(app: TypedApp, deps: svc.DutyDeps): void {
  const tags = ['duty'];
  const read = { permission: 'duty.read' };
  const manage = { permission: 'duty.manage' };

  // ---- patterns and the roster ----
  app.get(
    '/api/v1/duty/patterns',
    {
      config: read,
      schema: {
        tags,
        querystring: T.Object({ unit: T.Optional(T.String({ maxLength: 64 })) }),
        response: { 200: ListOf(Pattern) },
      },
    },
    async (req) => {
      const items = await svc.listPatterns(deps, req.ctx, req.query.unit);
      return { items, total: items.length };
    },
  );
  app.post(
    '/api/v1/duty/patterns',
    { config: manage, schema: { tags, body: PatternInput, response: { 201: Pattern } } },
    async (req, reply) => reply.status(201).send(await svc.createPattern(deps, req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/duty/patterns/:id',
    { config: manage, schema: { tags, params: IdParams, body: PatternPatch, response: { 200: Pattern } } },
    async (req) => svc.updatePattern(deps, req.ctx, req.params.id, req.body),
  );
  app.get(
    '/api/v1/duty/shifts',
    {
      config: read,
      schema: {
        tags,
        description:
          "A unit's shifts by date (default: yjj, this month); a night shift is listed on the date it starts.",
        querystring: ShiftQuery,
        response: { 200: ListOf(Shift) },
      },
    },
    async (req) => svc.listShifts(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/duty/shifts/export.xlsx',
    {
      config: read,
      schema: { tags, description: "A unit's month of roster as the import's workbook.", querystring: ExportQuery },
    },
    async (req, reply) => {
      const unit = req.query.unit ?? 'yjj';
      const file = await exportShifts(deps, req.ctx, unit, req.query.month);
      const name = `duty-${unit}-${req.query.month}.xlsx`;
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('值班表', name))
        .send(file);
    },
  );
  app.post(
    '/api/v1/duty/shifts',
    { config: manage, schema: { tags, body: ShiftInput, response: { 201: Shift } } },
    async (req, reply) => reply.status(201).send(await svc.createShift(deps, req.ctx, req.body)),
  );
  app.post(
    '/api/v1/duty/shifts/generate',
    {
      config: manage,
      schema: {
        tags,
        description: "A month of one role's shifts from a rotation list (the next person for each slot, day by day).",
        body: GenerateInput,
        response: { 201: T.Object({ created: T.Integer(), replaced: T.Integer() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.generateMonth(deps, req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/duty/shifts/:id',
    { config: manage, schema: { tags, params: IdParams, body: ShiftPatch, response: { 200: Shift } } },
    async (req) => svc.updateShift(deps, req.ctx, req.params.id, req.body),
  );
  app.delete('/api/v1/duty/shifts/:id', { config: manage, schema: { tags, params: IdParams } }, async (req, reply) => {
    await svc.deleteShift(deps, req.ctx, req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/api/v1/duty/gaps',
    {
      config: read,
      schema: {
        tags,
        description:
          'The hours of the next days (from this hour) without an officer, and apart without a leader, merged.',
        querystring: GapsQuery,
        response: { 200: GapsReply },
      },
    },
    async (req) => svc.gaps(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/duty/on-shift',
    { config: read, schema: { tags, querystring: OnShiftQuery, response: { 200: OnShiftReply } } },
    async (req) => svc.onShiftFor(deps, req.ctx, req.query),
  );

  // ---- handovers ----
  app.get(
    '/api/v1/duty/handovers',
    { config: read, schema: { tags, querystring: HandoverQuery, response: { 200: ListOf(Handover) } } },
    async (req) => svc.listHandovers(deps, req.ctx, req.query),
  );
  app.post(
    '/api/v1/duty/handovers',
    { config: { permission: 'duty.handover' }, schema: { tags, body: HandoverInput, response: { 201: Handover } } },
    async (req, reply) => reply.status(201).send(await svc.createHandover(deps, req.ctx, req.body)),
  );
  app.get(
    '/api/v1/duty/handovers/:id',
    { config: read, schema: { tags, params: IdParams, response: { 200: Handover } } },
    async (req) => svc.getHandover(deps, req.ctx, req.params.id),
  );
  app.post(
    '/api/v1/duty/handovers/:id/accept',
    {
      config: { permission: 'duty.handover' },
      schema: { tags, params: IdParams, body: HandoverAccept, response: { 200: Handover } },
    },
    async (req) => svc.acceptHandover(deps, req.ctx, req.params.id, req.body),
  );

  // ---- contact book ----
  app.get(
    '/api/v1/duty/contacts',
    {
      config: read,
      schema: {
        tags,
        description:
          'Users and external contacts by name, pinyin (initials or full), unit or phone; phones masked without personal.read.',
        querystring: BookQuery,
        response: { 200: ListOf(BookEntry) },
      },
    },
    async (req) => svc.searchBook(deps, req.ctx, req.query),
  );
  app.get(
    '/api/v1/duty/contacts/export.xlsx',
    { config: read, schema: { tags, description: "The external contacts as the import's workbook." } },
    async (req, reply) => {
      const file = await exportContacts(deps, req.ctx);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', prefixedAttachment('通讯录', 'contacts.xlsx'))
        .send(file);
    },
  );
  app.get(
    '/api/v1/duty/departments',
    { config: read, schema: { tags, response: { 200: ListOf(Department) } } },
    async (req) => {
      const items = await svc.departments(deps, req.ctx);
      return { items, total: items.length };
    },
  );
  app.post(
    '/api/v1/duty/contacts',
    { config: { permission: 'duty.contacts' }, schema: { tags, body: ContactInput, response: { 201: BookEntry } } },
    async (req, reply) => reply.status(201).send(await svc.createContact(deps, req.ctx, req.body)),
  );
  app.patch(
    '/api/v1/duty/contacts/:id',
    {
      config: { permission: 'duty.contacts' },
      schema: { tags, params: IdParams, body: ContactPatch, response: { 200: BookEntry } },
    },
    async (req) => svc.updateContact(deps, req.ctx, req.params.id, req.body),
  );
  app.delete(
    '/api/v1/duty/contacts/:id',
    { config: { permission: 'duty.contacts' }, schema: { tags, params: IdParams } },
    async (req, reply) => {
      await svc.deleteContact(deps, req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
}
