import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The network a worker task is asked on: its id, its graph (shared, never copied) and the snapping limit. */
export interface SharedNetwork {
  id: string;
  graph: SharedArrayBuffer;
  maxSnapMeters?: number;
  snapToleranceMeters?: number;
}

/**
 * A graph file read once into shared memory: the main thread's engine and every worker thread's make their views
 * on this one buffer (deserializeGraph(Buffer.from(it))), so the graph is held once however many threads answer.
 */
export function readSharedGraph(file: string): SharedArrayBuffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const shared = new SharedArrayBuffer(size);
    const view = new Uint8Array(shared);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, view, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off !== size) throw new Error(`road graph file refused: read ${off} of ${size} bytes`);
    return shared;
  } finally {
    closeSync(fd);
  }
}
