import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, freePort, spawnNode } from './proc.ts';

export interface Anchor {
  url: string;
  pid: number;
  child: Child;
  stop(): Promise<void>;
}

/** Starts bench/lib/anchor-server.ts serving `bodies` (URL → captured JSON text) from a child process. */
export async function startAnchor(bodies: Record<string, string>, workDir: string): Promise<Anchor> {
  const file = join(workDir, 'anchor-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  const port = await freePort();
  const child = spawnNode('bench/lib/anchor-server.ts', { ANCHOR_BODIES: file, PORT: String(port) });
  try {
    await child.waitForLine('anchor listening', 30_000);
  } catch (err) {
    await child.stop(2_000);
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, child, stop: () => child.stop() };
}
