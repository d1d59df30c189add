/**
 * The one import contract of every registry (`/api/v1/<registry>/import`): the template, a dry run, a commit, and
 * the job that reports progress and carries the report.
 */
import type { Static } from 'typebox';
import { api, downloadFile } from './client.ts';
import type { Datum, ImportMode, ImportReport as ImportReportSchema, Job as JobSchema } from './contracts.ts';

export type ImportReport = Static<typeof ImportReportSchema>;
export type ImportRowError = ImportReport['errors'][number];
export type Job = Static<typeof JobSchema>;
export type { Datum, ImportMode };

/** `incidents` → `/incidents/import` */
export function uploadImport(registry: string, file: File, mode: ImportMode, datum: Datum): Promise<Job> {
  return uploadTo(`/${registry}/import`, file, { mode, datum });
}

/** A file as the multipart field `file` to an import endpoint, with its query (mode, datum, what else it takes). */
export function uploadTo(path: string, file: File, query: Record<string, string>): Promise<Job> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.upload<Job>(path, form, query);
}

export const getJob = (id: string, signal?: AbortSignal) =>
  api.get<Job>(`/jobs/${encodeURIComponent(id)}`, undefined, signal);

/** Polls the job until it ends, reporting its progress; resolves with the finished job. */
export async function waitForJob(
  job: Job,
  onProgress: (j: Job) => void,
  signal: AbortSignal,
  everyMs = 500,
): Promise<Job> {
  let j = job;
  onProgress(j);
  while (j.state === 'running') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, everyMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new DOMException('aborted', 'AbortError'));
        },
        { once: true },
      );
    });
    j = await getJob(j.id, signal);
    onProgress(j);
  }
  return j;
}

export const downloadImportTemplate = (registry: string, format: 'xlsx' | 'csv') =>
  downloadFile(`/${registry}/import/template`, { format }, `${registry}-import-template.${format}`);

/** The errors of a report as a CSV the user opens in Excel (UTF-8 with BOM) next to their file. */
export function errorsCsv(errors: ImportRowError[], headers: [string, string, string, string]): Blob {
  const q = (s: string | number | null) => {
    const v = s === null ? '' : String(s);
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const lines = [headers.map(q).join(','), ...errors.map((e) => [e.row, e.column, e.code, e.message].map(q).join(','))];
  return new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
}
