/**
 * Streaming access to an OSM file, PBF or XML, told apart by content. A scan delivers only what the caller asks
 * for (nodes as bare coordinates, ways with a wanted key or id, relations), so that a pass over a large extract
 * builds no object per node.
 */
import { open } from 'node:fs/promises';
import { OsmFormatError, type OsmReader } from './osm-types.ts';
import { PbfOsmReader } from './pbf-reader.ts';
import { XmlOsmReader } from './xml-reader.ts';

/** Opens an OSM file, telling PBF from XML by its first bytes. Throws OsmFormatError for anything else. */
export async function openOsmReader(file: string): Promise<OsmReader> {
  let head: Buffer;
  let size: number;
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new OsmFormatError(e.code === 'ENOENT' ? 'the file does not exist' : `the file cannot be opened (${e.code})`);
  });
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(Math.min(size, 256));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (size === 0) throw new OsmFormatError('the file is empty');
  if (looksLikePbf(head)) return new PbfOsmReader(file, size);
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] === 0x3c) return new XmlOsmReader(file, size);
  if (head[0] === 0x1f && head[1] === 0x8b) throw new OsmFormatError('a gzip file: unpack it first (gunzip)');
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) {
    throw new OsmFormatError('a bzip2 file: unpack it first (bunzip2)');
  }
  throw new OsmFormatError('not an OSM XML or PBF file');
}

/** A PBF file starts with a 4-byte big-endian length and a BlobHeader whose type is "OSMHeader" or "OSMData". */
function looksLikePbf(head: Buffer): boolean {
  if (head.length < 7) return false;
  const len = head.readUInt32BE(0);
  if (len < 2 || len > 64 * 1024 || head[4] !== 0x0a) return false;
  const n = head[5];
  if (n >= 0x80) return false;
  // a file cut inside the first header is still told as PBF, so that the reader reports it truncated
  const type = head.toString('latin1', 6, Math.min(6 + n, head.length));
  return type.length > 0 && ('OSMHeader'.startsWith(type) || 'OSMData'.startsWith(type));
}
