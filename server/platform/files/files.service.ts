/**
 * Attachments of any module's records. A file belongs to one record (`entity`, `entityId`); whoever may read that
 * record (the owning module's entity lookup: permission and scope) may list and download its files, and whoever holds
 * the record's `attach` permission may add files and remove their own (an administrator any). Every upload and removal
 * is audited; the bytes stay in the database (a removal hides the file, the audit trail keeps its hash).
 */

import { createHash } from 'node:crypto';
import { FILE_MAX_BYTES, type FileInfo, INLINE_TYPES } from '../../../contracts/files.ts';
import { AppError } from '../../errors.ts';
import { requirePermission } from '../access/scope.ts';
import { recordAudit } from '../audit/audit.ts';
import type { RequestCtx } from '../core/context.ts';
import type { Clock, Ids } from '../core/ids.ts';
import type { Db } from '../db/index.ts';
import type { EntityRegistry } from '../entities.ts';
import { XLSX_TYPE } from '../http/download.ts';
import './files.errors.ts';
import * as repo from './files.repository.ts';

export interface FileDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  entities: EntityRegistry;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findFile>>>;
const toInfo = (r: Row): FileInfo => ({
  id: r.id,
  entity: r.entity,
  entityId: r.entity_id,
  name: r.name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  uploadedAt: new Date(r.uploaded_at).toISOString(),
  uploadedBy: r.uploaded_by_name,
});

// what a file's first bytes say it is (the browser's claim is not trusted for what is shown inline)
const SIGNATURES: { mime: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mime: 'image/gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 },
  {
    mime: 'image/webp',
    test: (b) => b[0] === 0x52 && b[1] === 0x49 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42,
  },
  { mime: 'application/pdf', test: (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 },
];
const BY_EXTENSION: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: XLSX_TYPE,
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
};

/** The stored type: the content's signature for pictures and PDF, the extension for office files, else bytes. */
export function sniffType(name: string, data: Uint8Array): string {
  const sig = SIGNATURES.find((s) => s.test(data));
  if (sig) return sig.mime;
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}

export const isInline = (mime: string) => (INLINE_TYPES as readonly string[]).includes(mime);

/** A name safe to store and send: no path, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'file').slice(0, 200);
}

export class FileService {
  constructor(private readonly deps: FileDeps) {}

  async #attachable(ctx: RequestCtx, entity: string, entityId: string) {
    if (!this.deps.entities.has(entity)) throw new AppError('FILE_ENTITY_UNKNOWN', { field: 'entity', entity });
    const ref = await this.deps.entities.requireVisible(ctx, entity, entityId, 'entityId');
    requirePermission(ctx.actor, ref.attach ?? ref.permission);
  }

  async #readable(ctx: RequestCtx, entity: string, entityId: string) {
    if (!this.deps.entities.has(entity)) throw new AppError('FILE_ENTITY_UNKNOWN', { field: 'entity', entity });
    await this.deps.entities.requireVisible(ctx, entity, entityId, 'entityId');
  }

  async upload(
    ctx: RequestCtx,
    f: { entity: string; entityId: string; name: string; data: Uint8Array },
  ): Promise<FileInfo> {
    if (f.data.byteLength === 0) throw new AppError('FILE_EMPTY', { field: 'file' });
    if (f.data.byteLength > FILE_MAX_BYTES) throw new AppError('FILE_TOO_LARGE', { field: 'file', max: 20 });
    await this.#attachable(ctx, f.entity, f.entityId);
    const now = this.deps.clock.now();
    const name = cleanName(f.name);
    const sha256 = createHash('sha256').update(f.data).digest('hex');
    const row = await this.deps.db.transaction(async (trx) => {
      const r = await repo.insertFile(trx, {
        id: this.deps.ids.next(),
        entity: f.entity,
        entityId: f.entityId,
        name,
        mime: sniffType(name, f.data),
        data: f.data,
        sha256,
        uploadedBy: ctx.actor.id,
        uploadedByName: ctx.actor.name,
        uploadedAt: now,
      });
      await recordAudit(trx, ctx, now, {
        action: 'file.uploaded',
        entity: f.entity,
        entityId: f.entityId,
        after: { file: r.id, name, size: f.data.byteLength, sha256 },
      });
      return r;
    });
    return toInfo(row);
  }

  async list(ctx: RequestCtx, entity: string, entityId: string, limit = 100, offset = 0) {
    await this.#readable(ctx, entity, entityId);
    const { items, total } = await repo.listFiles(this.deps.db.kysely, entity, entityId, limit, offset);
    return { items: items.map(toInfo), total };
  }

  async #load(ctx: RequestCtx, id: string) {
    const r = await repo.findFile(this.deps.db.kysely, id);
    if (!r) throw new AppError('NOT_FOUND', { entity: 'file' });
    await this.#readable(ctx, r.entity, r.entity_id);
    return r;
  }

  async info(ctx: RequestCtx, id: string): Promise<FileInfo> {
    return toInfo(await this.#load(ctx, id));
  }

  async download(ctx: RequestCtx, id: string): Promise<{ info: FileInfo; data: Uint8Array }> {
    const r = await this.#load(ctx, id);
    const data = await repo.fileData(this.deps.db.kysely, id);
    if (!data) throw new AppError('NOT_FOUND', { entity: 'file' });
    return { info: toInfo(r), data };
  }

  async remove(ctx: RequestCtx, id: string): Promise<void> {
    const r = await this.#load(ctx, id);
    await this.#attachable(ctx, r.entity, r.entity_id);
    if (r.uploaded_by !== ctx.actor.id && !ctx.actor.roles.includes('admin'))
      throw new AppError('FILE_NOT_OWNER', { field: 'id' });
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (trx) => {
      await repo.markDeleted(trx, id, now);
      await recordAudit(trx, ctx, now, {
        action: 'file.removed',
        entity: r.entity,
        entityId: r.entity_id,
        before: { file: r.id, name: r.name, size: r.size, sha256: r.sha256 },
      });
    });
  }
}
