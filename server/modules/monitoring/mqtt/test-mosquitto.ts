/** A private Mosquitto for tests: a free port (or a given one), a temporary folder, the given files. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateMosquitto {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts /usr/sbin/mosquitto (fails without it); `files` are written beside the config and named by `conf`. On a free
 * port of its own choosing it tries again when another process took the port first (test files run in parallel).
 */
export async function startMosquitto(opts: {
  port?: number;
  files?: Record<string, string>;
  conf?: (dir: string) => string[];
}): Promise<PrivateMosquitto> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (opts.port !== undefined || attempt >= 3) throw err;
    }
  }
}

async function startOnce(opts: {
  port?: number;
  files?: Record<string, string>;
  conf?: (dir: string) => string[];
}): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'anlan-mosquitto-'));
  // run as root, Mosquitto drops to its own user: it must be able to read the folder and the files
  chmodSync(dir, 0o755);
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text, { mode: 0o644 });
  const port = opts.port ?? (await freePort());
  const conf = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', ...(opts.conf?.(dir) ?? [])];
  writeFileSync(join(dir, 'mosquitto.conf'), `${conf.join('\n')}\n`, { mode: 0o644 });
  const broker: ChildProcess = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      broker.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (/Opening ipv4 listen socket on port/.test(log)) resolve();
      });
      broker.once('error', reject);
      broker.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${log}`)));
    });
    // the log line comes as the socket opens; under load the first connection can still be refused: wait for it
    await untilAccepting(port, 10_000, () => broker.exitCode !== null);
  } catch (err) {
    broker.kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (broker.exitCode === null && broker.signalCode === null) {
        const exited = once(broker, 'exit');
        broker.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function untilAccepting(port: number, ms: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (exited()) throw new Error(`mosquitto exited before it accepted connections on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto does not accept connections on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}
