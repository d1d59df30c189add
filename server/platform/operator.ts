import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite lets one process open a data directory. A running server writes DATA_DIR/server.json (mode 0600) with its
 * address and an operator token for this run; `npx anlan` finds it and goes through the server's admin API.
 */
export interface ServerFile {
  pid: number;
  url: string;
  operatorToken: string;
}

export function serverFilePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export function writeServerFile(dataDir: string, f: ServerFile): void {
  writeFileSync(serverFilePath(dataDir), JSON.stringify(f), { mode: 0o600 });
}

export function removeServerFile(dataDir: string): void {
  rmSync(serverFilePath(dataDir), { force: true });
}

/** The running server on this data directory, if its process is alive. */
export function findRunningServer(dataDir: string): ServerFile | undefined {
  const p = serverFilePath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    const f = JSON.parse(readFileSync(p, 'utf8')) as ServerFile;
    process.kill(f.pid, 0);
    return f;
  } catch {
    return undefined;
  }
}
