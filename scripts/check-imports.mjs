// `npm run check`: the import rules of ARCHITECTURE.md, checked on every file's import specifiers.
// - A module (server/modules/<name>/, server/geo/) is entered only through its index.ts; its descriptor (module.ts)
//   only by the module list and the test helpers.
// - server/platform/ (and server/errors.ts, server/config.ts) never imports a module or the module list.
// - contracts/ imports nothing from server/ or web/; web/ imports only web/ and contracts/.
// bench/, e2e/ and scripts/ measure and drive the whole: they are free.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const rel = (p) => relative(ROOT, p).split(sep).join('/');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** 'modules/incidents' for server/modules/incidents/…, 'geo' for server/geo/…, else null. */
function moduleOf(path) {
  const m = /^server\/modules\/([^/]+)\//.exec(path);
  if (m) return `modules/${m[1]}`;
  if (path.startsWith('server/geo/')) return 'geo';
  return null;
}

const isPlatform = (p) => p.startsWith('server/platform/') || p === 'server/errors.ts' || p === 'server/config.ts';
const isDoor = (p, mod) => p === `server/${mod}/index.ts`;
const isDescriptor = (p, mod) => p === `server/${mod}/module.ts`;

const problems = [];
for (const dir of ['server', 'contracts', 'web/src']) {
  for (const file of files(join(ROOT, dir))) {
    const from = rel(file);
    const fromModule = moduleOf(from);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of importedFiles) {
      if (!spec.startsWith('.')) continue;
      const to = rel(resolve(dirname(file), spec));
      const toModule = moduleOf(to);
      const say = (why) => problems.push(`${from}: imports ${spec} — ${why}`);
      if (from.startsWith('contracts/') && (to.startsWith('server/') || to.startsWith('web/'))) {
        say('contracts/ imports nothing from server/ or web/');
      } else if (from.startsWith('web/') && !to.startsWith('web/') && !to.startsWith('contracts/')) {
        say('web/ imports only web/ and contracts/');
      } else if (isPlatform(from) && (toModule || to === 'server/modules.ts')) {
        say('the platform never imports a module');
      } else if (toModule && toModule !== fromModule) {
        const listOrHarness = from === 'server/modules.ts' || from.startsWith('server/test/');
        if (!isDoor(to, toModule) && !(listOrHarness && isDescriptor(to, toModule))) {
          say(`another module is entered only through server/${toModule}/index.ts`);
        }
      }
    }
  }
}

if (problems.length) {
  console.error(`import rules broken (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('import rules: ok');
