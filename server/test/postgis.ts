/**
 * PostGIS for PGlite in tests: the package's extension with a smaller bundle. PGlite unpacks an extension's whole
 * bundle into memory and links every library in it at each open; PostGIS's holds three (postgis, raster, topology:
 * 48 MB of WebAssembly) and 90 MB of upgrade scripts, which cost a second of every test file's start. Anlan uses
 * PostGIS alone (`create extension postgis`): this bundle keeps its library, its install script and control file,
 * and PROJ's data, byte for byte. vitest.config.ts resolves `@electric-sql/pglite-postgis` here for everything but
 * this file; the server, the CLI and `npm run dev` load the package's own bundle.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis as packaged } from '@electric-sql/pglite-postgis';
import { TEST_TMP } from './test-tmp.ts';

/** What Anlan's databases need of the bundle: the extension, its install script, PROJ's data (ST_Transform). */
const KEEP = [
  /^lib\/postgresql\/postgis-3\.so$/,
  /^share\/postgresql\/extension\/postgis(\.control|--\d+\.\d+\.\d+\.sql)$/,
  /^share\/proj\//,
];

export const postgis: Extension = {
  name: packaged.name,
  async setup(pg, opts) {
    const r = await packaged.setup(pg, opts);
    return r.bundlePath ? { ...r, bundlePath: slimBundle(r.bundlePath) } : r;
  },
};

/** The slim bundle beside the test databases, made once per bundle (named by its size and time). */
function slimBundle(full: URL): URL {
  const path = fileURLToPath(full);
  const s = statSync(path);
  const out = join(TEST_TMP, `anlan-postgis-slim-${s.size}-${Math.round(s.mtimeMs)}.tar.gz`);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}`;
    writeFileSync(tmp, gzipSync(filterTar(gunzipSync(readFileSync(path)), KEEP), { level: 1 }));
    renameSync(tmp, out);
  }
  return pathToFileURL(out);
}

/**
 * The entries of a tar archive (ustar) whose paths match, with every directory, copied as they are: a header
 * block, then the data in 512-byte blocks; two empty blocks end it.
 */
function filterTar(tar: Buffer, keep: RegExp[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.toString('latin1', from, from + len).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const end = at + 512 + Math.ceil(size / 512) * 512;
    const type = String.fromCharCode(header[156]);
    const path = name.replace(/^\.\//, '');
    if (type === '5' || keep.some((k) => k.test(path))) parts.push(tar.subarray(at, end));
    at = end;
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
