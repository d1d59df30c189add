/**
 * The OSM import, run in a child process so that reading and compiling a large extract never blocks the server.
 * Input: one IPC message {file, datum, id, name, dataDir, builtAt}. Output: progress messages, then one 'done'
 * message whose result is written to a JSON file beside the graph (road rows can be large), or an 'error' message
 * with the AppError's code and details.
 */
import { writeFileSync } from 'node:fs';
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

const send = (m: ChildMessage) => process.send?.(m);

process.once('message', async (req: ChildRequest) => {
  try {
    const { network, areas, stats } = await readOsmNetwork(req.file, {
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
      onProgress: (p) => send({ kind: 'progress', ...p }),
    });
    const resultFile = join(networkDir(req.dataDir), `${req.id}.result.json`);
    writeFileSync(resultFile, JSON.stringify(built));
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
