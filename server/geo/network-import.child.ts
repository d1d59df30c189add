/**
 * The OSM import, run in a child process so that reading and compiling a large extract never blocks the server.
 * Input: one IPC message {file, datum, id, name, dataDir, builtAt}. Output: progress messages, then one 'done'
 * message whose result (road rows, areas, gazetteer places) is written to a JSON file beside the graph (road rows can
 * be large), or an 'error' message
 * with the AppError's code and details. It ends with its parent: when the IPC channel closes it exits.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../errors.ts';
import { buildNetwork, networkDir } from './network-build.ts';
import { readOsmNetwork } from './osm/osm-import.ts';

export interface ChildRequest {
  file: string;
  datum: 'wgs84' | 'gcj02';
  id: string;
  name: string;
  dataDir: string;
  builtAt: string;
}

export type ChildMessage =
  | { kind: 'progress'; phase: string; done: number; total: number }
  | { kind: 'done'; resultFile: string }
  | { kind: 'error'; code?: string; details?: Record<string, unknown>; message: string };

const parent = process.ppid;
/**
 * The parent is gone (it crashed, or was killed without ending its children): the child stops at once and leaves
 * nothing behind. The parent id is read from the system each time, so this holds inside long synchronous work too.
 */
function orphaned(): boolean {
  return !process.connected || process.ppid !== parent;
}
/**
 * Ends the orphan. Not process.exit: it waits for the thread pool, and a read blocked there (a pipe, a hung network
 * file system) would keep the process alive; the parent is gone and there is nothing to flush.
 */
function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}
process.on('disconnect', die);

const send = (m: ChildMessage) => {
  if (orphaned()) die();
  try {
    process.send?.(m);
  } catch {
    die();
  }
};

process.once('message', async (req: ChildRequest) => {
  // the job shows at once that the file is being read
  send({ kind: 'progress', phase: 'reading', done: 0, total: 0 });
  try {
    const { network, areas, places, stats } = await readOsmNetwork(req.file, {
      datum: req.datum,
      onProgress: (p) => send({ kind: 'progress', ...p }),
    });
    const built = buildNetwork(network, areas, {
      id: req.id,
      meta: {
        name: req.name,
        synthetic: false,
        source: `OpenStreetMap: ${basename(req.file)}`,
        attribution: '© OpenStreetMap contributors',
      },
      dataDir: req.dataDir,
      builtAt: req.builtAt,
      stats,
      places,
      onProgress: (p) => send({ kind: 'progress', ...p }),
    });
    if (orphaned()) die();
    const resultFile = join(networkDir(req.dataDir), `${req.id}.result.json`);
    writeFileSync(resultFile, JSON.stringify(built));
    if (orphaned()) {
      rmSync(resultFile, { force: true });
      die();
    }
    send({ kind: 'done', resultFile });
  } catch (err) {
    const e = err as Error;
    send(
      err instanceof AppError
        ? { kind: 'error', code: err.code, details: err.details, message: e.message }
        : { kind: 'error', message: e.message },
    );
  }
  process.disconnect?.();
});
