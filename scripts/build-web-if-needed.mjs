// Runs at `npm ci` / `npm install` (the `prepare` script): builds the web interface into web/dist.
// Skipped when Vite is not installed (production installs without dev dependencies); `npm start` then
// serves a build made elsewhere, or builds it at first start.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'node_modules', 'vite')) || !existsSync(join(root, 'web', 'index.html'))) {
  console.log('[anlan] web build skipped (vite or web/ not present)');
  process.exit(0);
}
const { build } = await import('vite');
console.log('[anlan] building the web interface…');
await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
console.log('[anlan] web interface built in web/dist');
