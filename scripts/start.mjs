// `npm start`: runs the server compiled ahead into dist/ (scripts/build-server.mjs), compiling it first when the
// sources changed since (about a second). Without esbuild (an install without it) it runs the TypeScript through tsx.
// The server runs in this very process, so a signal to `npm start` (SIGTERM, Ctrl-C) reaches it.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer, DIST, isServerBuildCurrent } from './build-server.mjs';

let compiled = true;
if (!isServerBuildCurrent()) {
  try {
    await buildServer();
  } catch (err) {
    console.error(`[anlan] compiling the server failed, running the TypeScript sources: ${err.message}`);
    compiled = false;
  }
}
if (compiled) await import(pathToFileURL(join(DIST, 'server', 'main.js')).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../server/main.ts');
}
