/**
 * The browser's (and the CLI's) upload of an OSM extract: `multipart/form-data` with the file in the field `file` and
 * the optional text fields `name` and `datum`. The file is streamed to disk, never held whole in memory, into a folder
 * of its own under `uploadDir`, and its fields become the route's body, so that one schema validates the JSON form
 * and the upload alike.
 */
import './geo.errors.ts';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Lang, langOf } from '../errors.ts';
import { refuseNul } from '../platform/http/input.plugin.ts';

export interface Upload {
  /** the file on disk */
  path: string;
  /** its folder, removed with it */
  dir: string;
}

const uploads = new WeakMap<FastifyRequest, Upload>();

/** A file name that is safe on disk and still says what was uploaded (`bayfront_singapore.osm.pbf`). */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[.]+/, '')
    .slice(-200);
  return clean || 'upload.osm';
}

const TEXT_FIELD_BYTES = 1000;
const INTERRUPTED = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'FST_MP_PREMATURE_CLOSE']);

/**
 * A `preValidation` hook of the import route: a multipart request's file is written to disk and its text fields
 * become `req.body` (`file` = the uploaded file's name), then validated by the route's schema as JSON would be.
 * A request that is not multipart passes untouched.
 */
export function receiveUpload(opts: { uploadDir: string; maxBytes: number }) {
  return async (req: FastifyRequest): Promise<void> => {
    if (!req.isMultipart()) return;
    const lang = langOf(req.headers['accept-language']);
    const fields: Record<string, string> = {};
    let upload: Upload | undefined;
    let fileName = '';
    try {
      const parts = req.parts({
        limits: { fileSize: opts.maxBytes, files: 1, fields: 10, fieldSize: TEXT_FIELD_BYTES, parts: 12 },
      });
      for await (const part of parts) {
        if (part.type === 'field') {
          if (part.valueTruncated) tooLong(part.fieldname, lang);
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new AppError('VALIDATION', { field: part.fieldname, reason: reasons.onlyFile[lang] });
        }
        fileName = safeFileName(part.filename);
        refuseNul({ file: part.filename }, lang);
        const dir = join(opts.uploadDir, randomUUID());
        mkdirSync(dir, { recursive: true });
        upload = { dir, path: join(dir, fileName) };
        uploads.set(req, upload);
        await pipeline(part.file, createWriteStream(upload.path));
        if (part.file.truncated) throw tooLarge(opts.maxBytes);
      }
    } catch (err) {
      discardUpload(req);
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(opts.maxBytes);
      if (code === 'FST_FILES_LIMIT')
        throw new AppError('VALIDATION', { field: 'file', reason: reasons.oneFile[lang] });
      // the client left mid-upload: nobody reads the reply, and it is no server fault to log as one
      if (req.raw.destroyed || (code && INTERRUPTED.has(code))) {
        throw new AppError('BAD_REQUEST', { reason: reasons.interrupted[lang] });
      }
      throw err;
    }
    refuseNul(fields, lang);
    if (!upload) {
      throw new AppError('VALIDATION', { field: 'file', reason: reasons.attach[lang] });
    }
    if ('file' in fields) {
      discardUpload(req);
      throw new AppError('VALIDATION', { field: 'file', reason: reasons.onlyFile[lang] });
    }
    req.body = { ...fields, file: fileName };
  };
}

/** The upload of this request, handed over to whoever removes it (the import); undefined for a JSON request. */
export function takeUpload(req: FastifyRequest): Upload | undefined {
  const u = uploads.get(req);
  uploads.delete(req);
  return u;
}

/** Removes an upload nobody took (the request was refused or abandoned). */
export function discardUpload(req: FastifyRequest, _reply?: FastifyReply): void {
  const u = takeUpload(req);
  if (u) rmSync(u.dir, { recursive: true, force: true });
}

/**
 * At start: uploads left by a stop during an import. On the embedded database this process is the only one; on
 * PostgreSQL another instance may share the folder, so only those older than a day are taken for abandoned.
 */
export function removeStaleUploads(uploadDir: string, embedded: boolean, now: Date): number {
  let n = 0;
  let names: string[] = [];
  try {
    names = readdirSync(uploadDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(uploadDir, name);
    try {
      if (!embedded && now.getTime() - statSync(path).mtimeMs < 86_400_000) continue;
      rmSync(path, { recursive: true, force: true });
      n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('UPLOAD_TOO_LARGE', { field: 'file', max: Math.floor(maxBytes / 1024 / 1024) });
}

function tooLong(field: string, lang: Lang): never {
  throw new AppError('VALIDATION', { field, reason: reasons.tooLong[lang] });
}

const reasons = {
  onlyFile: { zh: '只能上传名为 file 的文件字段', en: 'only the field `file` may carry a file, and only a file' },
  oneFile: { zh: '一次只能上传一个文件', en: 'one file at a time' },
  attach: { zh: '请选择要上传的 OSM 文件', en: 'attach the OSM extract as a file' },
  interrupted: { zh: '上传中断', en: 'the upload was interrupted' },
  tooLong: { zh: `不能超过 ${TEXT_FIELD_BYTES} 字节`, en: `must not exceed ${TEXT_FIELD_BYTES} bytes` },
} satisfies Record<string, Record<Lang, string>>;
