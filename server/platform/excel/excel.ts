import { Writable } from 'node:stream';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { siblingModule } from '../core/source-file.ts';
import type { TaskOwner, WorkerPool } from '../workers/worker-pool.ts';
import { loadExcel } from './load-excel.ts';

export interface Column<R> {
  header: string;
  width?: number;
  value: (row: R) => string | number | Date | null;
  /** Excel number format, e.g. 'yyyy-mm-dd hh:mm' or '0.00' */
  format?: string;
}

/** A column as the workbook writer needs it (no function: it crosses to a worker thread). */
export interface ColumnSpec {
  header: string;
  width?: number;
  format?: string;
}

export interface SheetSpec {
  sheetName: string;
  columns: ColumnSpec[];
  note?: string;
}

export type Cell = string | number | Date | null;

/** Where a workbook is built: a worker thread of the pool, on behalf of the user who asked. */
export interface OffThread {
  workers: WorkerPool;
  owner: TaskOwner;
  signal?: AbortSignal;
}

const EXCEL_WORKER = siblingModule(import.meta.url, './excel.worker');

/**
 * One sheet with a bold, frozen header row and an auto-filter: what a desk officer expects when opening an export.
 * Rows come in pages (an async iterable), so a large export never holds every record twice. With `offThread` the
 * workbook is built (and compressed) in a worker thread that asks for one page at a time: this thread only reads
 * the pages and turns records into cells, and answers other requests in between.
 */
export async function workbookOf<R>(
  sheetName: string,
  columns: Column<R>[],
  pages: AsyncIterable<R[]>,
  note?: string,
  offThread?: OffThread,
): Promise<Buffer> {
  const spec: SheetSpec = {
    sheetName,
    columns: columns.map((c) => ({ header: c.header, width: c.width, format: c.format })),
    note,
  };
  const it = pages[Symbol.asyncIterator]();
  const next = async (): Promise<Cell[][] | null> => {
    const r = await it.next();
    return r.done ? null : r.value.map((row) => columns.map((c) => c.value(row)));
  };
  if (!offThread) return writeWorkbook(spec, next);
  const { port1, port2 } = new MessageChannel();
  let readError: unknown = null;
  port1.on('message', () => {
    next().then(
      (rows) => port1.postMessage(rows),
      (err: unknown) => {
        readError = err;
        port1.postMessage({ error: err instanceof Error ? err.message : String(err) });
      },
    );
  });
  try {
    const task: ExcelTask = { spec, port: port2 };
    const bytes = await offThread.workers.run<Uint8Array>(offThread.owner, {
      entry: EXCEL_WORKER,
      task,
      transferList: [port2],
      signal: offThread.signal,
    });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    // a page that could not be read fails the export with its own error, not the worker's report of it
    throw readError ?? err;
  } finally {
    port1.close();
  }
}

export interface ExcelTask {
  spec: SheetSpec;
  /** asks for the next page with any message; receives Cell[][], null at the end, or {error} */
  port: MessagePort;
}

/** Writes the workbook with exceljs's streaming writer, one page of rows at a time, into one buffer. */
export async function writeWorkbook(spec: SheetSpec, nextPage: () => Promise<Cell[][] | null>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({
    stream: sink,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Anlan 安澜';
  wb.created = new Date();
  const ws = wb.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? 14,
    style: c.format ? { numFmt: c.format } : {},
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.commit();
  let n = 0;
  for (let page = await nextPage(); page; page = await nextPage()) {
    for (const cells of page) {
      ws.addRow(cells).commit();
      n++;
    }
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, n + 1), column: spec.columns.length } };
  ws.commit();
  if (spec.note) {
    const info = wb.addWorksheet('说明 Notes');
    info.getColumn(1).width = 100;
    for (const line of spec.note.split('\n')) info.addRow([line]).commit();
    info.commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}
