/**
 * `/api/v1/files`: attachments of records. Upload (multipart: `file` and the fields `entity`, `entityId` in any
 * order), list a record's files, download (pictures and PDF inline, the rest as attachments), remove.
 */

import multipart from '@fastify/multipart';
import { Type as T } from 'typebox';
import { IdParams } from '../../../contracts/common.ts';
import { FILE_MAX_BYTES, FileInfo, FileListQuery } from '../../../contracts/files.ts';
import { AppError } from '../../errors.ts';
import { attachment } from '../http/download.ts';
import type { TypedApp } from '../module.ts';
import { type FileService, isInline } from './files.service.ts';

const tags = ['files'];

export async function fileRoutes(app: TypedApp, files: FileService): Promise<void> {
  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, { limits: { fileSize: FILE_MAX_BYTES, files: 1, fields: 4, parts: 5 } });
    scope.post(
      '/api/v1/files',
      {
        schema: {
          tags,
          description:
            'Attach a file to a record: multipart/form-data with the fields entity (plan, task, incident, …), ' +
            'entityId and file (at most 20 MB). Who may read the record may read its files.',
          response: { 201: FileInfo },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('FILE_MISSING', { field: 'file' });
        const fields: Record<string, string> = {};
        let file: { name: string; data: Buffer } | undefined;
        try {
          for await (const part of req.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || file) {
                await part.toBuffer();
                continue;
              }
              file = { name: part.filename || 'file', data: await part.toBuffer() };
            } else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
          }
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError('FILE_TOO_LARGE', { field: 'file', max: FILE_MAX_BYTES >> 20 });
          throw err;
        }
        if (!file) throw new AppError('FILE_MISSING', { field: 'file' });
        for (const f of ['entity', 'entityId'] as const)
          if (!fields[f]?.trim() || fields[f].length > 64) throw new AppError('FILE_MISSING', { field: f });
        const info = await files.upload(req.ctx, {
          entity: fields.entity!.trim(),
          entityId: fields.entityId!.trim(),
          name: file.name,
          data: file.data,
        });
        return reply.status(201).send(info);
      },
    );
  });
  app.get(
    '/api/v1/files',
    {
      schema: {
        tags,
        description: "A record's attachments, oldest first.",
        querystring: FileListQuery,
        response: { 200: T.Object({ items: T.Array(FileInfo), total: T.Integer() }) },
      },
    },
    async (req) => files.list(req.ctx, req.query.entity, req.query.entityId, req.query.limit, req.query.offset),
  );
  app.get(
    '/api/v1/files/:id',
    {
      schema: {
        tags,
        description: 'Downloads a file: pictures and PDF shown inline (?download=1 saves them), others saved.',
        params: IdParams,
        querystring: T.Object({ download: T.Optional(T.Boolean()) }),
      },
    },
    async (req, reply) => {
      const { info, data } = await files.download(req.ctx, req.params.id);
      const inline = isInline(info.mime) && !req.query.download;
      return reply
        .header('content-type', info.mime)
        .header('content-disposition', attachment(info.name, info.name, inline ? 'inline' : 'attachment'))
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(data));
    },
  );
  app.delete(
    '/api/v1/files/:id',
    {
      schema: {
        tags,
        description: 'Removes an attachment (its uploader or an administrator); the audit trail keeps its hash.',
        params: IdParams,
      },
    },
    async (req, reply) => {
      await files.remove(req.ctx, req.params.id);
      return reply.status(204).send();
    },
  );
}
