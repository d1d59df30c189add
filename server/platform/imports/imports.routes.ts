/**
 * The routes of one registry's import, registered by the module under its own prefix:
 * `GET <prefix>/import/template?format=xlsx|csv` and `POST <prefix>/import?mode=dry-run|commit` with the file
 * (multipart, field `file`) → 202 with the job, whose result is the report.
 */

import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ImportQuery, TemplateQuery } from '../../../contracts/imports.ts';
import { Job } from '../../../contracts/jobs.ts';
import { AppError } from '../../errors.ts';
import { attachment } from '../http/download.ts';
import type { Platform, TypedApp } from '../module.ts';
import './imports.errors.ts';
import { type AnyImport, SMALL_FILE_ROWS, startImport } from './imports.service.ts';
import { templateOf } from './template.ts';

/** an upload larger than this is refused before it is read to the end */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** The multipart upload's field `file` (IMPORT_NO_FILE without one; IMPORT_FILE_TOO_LARGE beyond the limit). */
export async function uploadedFile(req: FastifyRequest): Promise<{ name: string; data: Buffer }> {
  if (!req.isMultipart()) throw new AppError('IMPORT_NO_FILE', { field: 'file' });
  const part = await req.file();
  if (part?.fieldname !== 'file') throw new AppError('IMPORT_NO_FILE', { field: 'file' });
  try {
    return { name: part.filename || 'upload', data: await part.toBuffer() };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('IMPORT_FILE_TOO_LARGE', { field: 'file', max: MAX_UPLOAD_BYTES >> 20 });
    throw err;
  }
}

export async function importRoutes(app: TypedApp, p: Platform, prefix: string, decl: AnyImport): Promise<void> {
  const tags = [decl.registry];
  // Another platform part may have registered multipart for the whole app already; a second registration would clash.
  if (!app.hasRequestDecorator('file')) {
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });
  }
  app.get(
    `${prefix}/import/template`,
    {
      config: { permission: decl.permission },
      schema: {
        tags,
        description: `The import template of ${decl.en}: the columns, their rules, an example row.`,
        querystring: TemplateQuery,
      },
    },
    async (req, reply) => {
      const t = await templateOf(decl, req.query.format ?? 'xlsx', req.ctx.lang);
      return reply
        .header('content-type', t.contentType)
        .header('content-disposition', attachment(t.localName, t.name))
        .send(t.data);
    },
  );
  app.post(
    `${prefix}/import`,
    {
      config: { permission: decl.permission },
      schema: {
        tags,
        description:
          `Import ${decl.en} from an Excel (.xlsx), CSV or GeoJSON file (multipart/form-data, field "file"). ` +
          'dry-run (the default) checks every row and writes nothing; commit writes all rows or none. ' +
          'Replies 202 with the job (GET /api/v1/jobs/{id}); its result is the report. A small file is answered done.',
        querystring: ImportQuery,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const upload = await uploadedFile(req);
      const started = await startImport(p, decl, req.ctx, upload, {
        mode: req.query.mode ?? 'dry-run',
        datum: req.query.datum ?? 'wgs84',
      });
      started.done.catch((err) => req.log.error({ err }, `import ${decl.registry} failed`));
      const job = started.rows <= SMALL_FILE_ROWS ? await started.done : started.job;
      return reply.status(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  );
}
