// Compiles the server ahead (issue 9 §6): every TypeScript file of server/ and contracts/ (tests excepted) into
// dist/, file for file with the same layout, relative imports rewritten from .ts to .js, the files the code reads
// beside itself (migrations, profiles, glyphs, reference tables) copied. esbuild does it in about a second; a start
// then loads plain JavaScript instead of transpiling on the way. `isServerBuildCurrent` tells whether dist/ still
// matches the sources (scripts/start.mjs rebuilds when it does not).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const SOURCES = ['server', 'contracts'];
const STAMP = join(DIST, '.sources');

const isTest = (f) => /\.(test|pg-test|bench)\.ts$/.test(f) || f.includes(`${join('server', 'test')}/`);

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Every source file with its size and modification time: what the build was made from. */
function fingerprint() {
  const files = SOURCES.flatMap((s) => walk(join(ROOT, s))).filter((f) => !isTest(relative(ROOT, f)));
  return files
    .sort()
    .map((f) => {
      const st = statSync(f);
      return `${relative(ROOT, f)} ${st.size} ${Math.floor(st.mtimeMs)}`;
    })
    .join('\n');
}

export function isServerBuildCurrent() {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint();
}

/** Compiles into `outDir` (default dist/, the one `npm start` runs); only dist/ records what it was built from. */
export async function buildServer({ quiet = false, outDir = DIST } = {}) {
  const { build } = await import('esbuild');
  const t0 = Date.now();
  const sources = fingerprint();
  const files = SOURCES.flatMap((s) => walk(join(ROOT, s))).filter((f) => !isTest(relative(ROOT, f)));
  const entries = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: entries,
    outbase: ROOT,
    outdir: outDir,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    bundle: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    charset: 'utf8',
    plugins: [
      {
        // each file on its own: every import stays an import, a relative .ts one pointing at the compiled .js
        name: 'each-file',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (a) => {
            // JSON is inlined: Node 20 wants an import attribute esbuild does not keep on an external import
            if (a.kind === 'entry-point' || a.path.endsWith('.json')) return undefined;
            return { path: a.path.replace(/\.ts$/, '.js'), external: true };
          });
        },
      },
    ],
  });
  for (const f of files.filter((f) => !f.endsWith('.ts'))) {
    const to = join(outDir, relative(ROOT, f));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(f, to);
  }
  // Node reads dist/ as ES modules
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  if (outDir === DIST) writeFileSync(STAMP, sources);
  if (!quiet)
    console.log(
      `[anlan] server compiled into ${relative(ROOT, outDir)}/ (${entries.length} files, ${Date.now() - t0} ms)`,
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildServer();
