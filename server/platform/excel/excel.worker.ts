/**
 * Worker-thread entry that builds a workbook: it asks the main thread for one page of cells at a time over the
 * task's port (the main thread reads the database), writes and compresses them here, and moves the file back.
 */
import { moved, workerTask } from '../workers/worker-task.ts';
import { type Cell, type ExcelTask, writeWorkbook } from './excel.ts';

export default workerTask(async (t: ExcelTask) => {
  const port = t.port;
  const nextPage = () =>
    new Promise<Cell[][] | null>((ok, fail) => {
      port.once('message', (m: Cell[][] | null | { error: string }) => {
        if (m && !Array.isArray(m)) fail(new Error(`the export could not read its rows: ${m.error}`));
        else ok(m);
      });
      port.postMessage('next');
    });
  try {
    const file = await writeWorkbook(t.spec, nextPage);
    // the file's own memory (not a slice of a shared pool) is what can be moved
    const own = file.byteOffset === 0 && file.buffer.byteLength === file.length ? file : Buffer.from(file);
    return moved(new Uint8Array(own.buffer, 0, own.length));
  } finally {
    port.close();
  }
});
