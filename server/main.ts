import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, processLog, WEB_DIST } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { newSecret } from './platform/auth/tokens.ts';
import { removeServerFile, writeServerFile } from './platform/operator.ts';

const t0 = Date.now();

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`[anlan] configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
mkdirSync(config.dataDir, { recursive: true });
const { log, say } = processLog(config);

if (!existsSync(join(WEB_DIST, 'index.html'))) {
  say('building the web interface (first start)…');
  try {
    const { build } = await import('vite');
    await build({ configFile: join(WEB_DIST, '..', '..', 'vite.config.ts'), logLevel: 'warn' });
  } catch (err) {
    say(`web build failed, serving the API only: ${(err as Error).message}`);
  }
}

const operatorToken = newSecret('op_');
const anlan = await buildApp(config, { say, operatorToken, logger: log });
const scheme = config.tls ? 'https' : 'http';
await anlan.app.listen({ port: config.port, host: config.host });
writeServerFile(config.dataDir, { pid: process.pid, url: `${scheme}://127.0.0.1:${config.port}`, operatorToken });
say(`listening on ${scheme}://${config.host}:${config.port} (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    if (closing) return;
    closing = true;
    say(`${sig}: shutting down…`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    removeServerFile(config.dataDir);
    await anlan.close();
    process.exit(0);
  });
}
