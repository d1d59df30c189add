// `npm run e2e`: starts Anlan with the demo data on a free port and a fresh data directory, waits until it is
// ready, runs the browser tests in e2e/ (Debian's Chromium through playwright-core), then stops the server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'anlan-e2e-'));
const password = 'E2e-admin-pass-1';
const url = `http://127.0.0.1:${port}`;
// as `npm start` runs it: the server compiled ahead
const server = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    ANLAN_ADMIN_PASSWORD: password,
    ANLAN_DEMO: '1',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let exited = false;
server.on('exit', () => {
  exited = true;
});

const deadline = Date.now() + 180_000;
for (;;) {
  if (exited) {
    console.error('[e2e] the server exited before it was ready');
    process.exit(1);
  }
  try {
    if ((await fetch(`${url}/readyz`)).ok) break;
  } catch {}
  if (Date.now() > deadline) {
    console.error('[e2e] the server was not ready within 180 s');
    server.kill('SIGKILL');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`[e2e] server ready at ${url}`);
const r = spawnSync(
  'npx',
  ['vitest', 'run', '--config', join(root, 'e2e', 'vitest.e2e.config.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ANLAN_URL: url, ANLAN_ADMIN_PASSWORD: password },
  },
);
server.kill('SIGTERM');
await new Promise((res) => {
  if (exited) res();
  else server.on('exit', res);
  setTimeout(res, 15_000);
});
rmSync(dataDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
