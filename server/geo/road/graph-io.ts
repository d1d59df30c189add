/**
 * The road graph's binary form: a versioned header, the typed arrays 8-byte aligned, a CRC-32 at the end.
 *
 *   0  "ANLNROAD"            magic
 *   8  u32 format version
 *  12  u32 header length H
 *  16  f64 total length
 *  24  header: JSON {meta, counts, arrays: [[name, type, offset, length]]}
 *   …  arrays (offsets from the start, multiples of 8)
 * end-4 u32 CRC-32 of everything before it
 *
 * Loading checks length and checksum (zlib's native CRC-32), then makes views on the buffer: no per-edge work.
 */
import { crc32 } from 'node:zlib';
import {
  GRAPH_FIELDS,
  GRAPH_FORMAT_VERSION,
  type GraphMeta,
  graphArrays,
  PROFILE_FIELDS,
  type ProfileGraph,
  type RoadGraph,
} from './road-graph.ts';

const MAGIC = 'ANLNROAD';
const FIXED = 24;

type TypeName =
  | 'Int32Array'
  | 'Uint32Array'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int8Array'
  | 'Uint8Array'
  | 'Float64Array';
const TYPES: Record<TypeName, { bytes: number; make: (b: ArrayBuffer, o: number, n: number) => ArrayBufferView }> = {
  Int32Array: { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  Uint32Array: { bytes: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  Int16Array: { bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  Int8Array: { bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  Uint16Array: { bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  Uint8Array: { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  Float64Array: { bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
};

interface Header {
  meta: GraphMeta;
  nodeCount: number;
  segmentCount: number;
  graphNodeCount: number;
  arrays: [string, TypeName, number, number][];
}

const align8 = (n: number) => (n + 7) & ~7;

export function serializeGraph(g: RoadGraph): Buffer {
  const arrays = graphArrays(g);
  // header first with placeholder offsets to learn its size (offsets are fixed-width numbers below)
  const entries: [string, TypeName, number, number][] = arrays.map(([name, a]) => [
    name,
    a.constructor.name as TypeName,
    0,
    a.length,
  ]);
  const header: Header = {
    meta: g.meta,
    nodeCount: g.nodeCount,
    segmentCount: g.segmentCount,
    graphNodeCount: g.graphNodeCount,
    arrays: entries,
  };
  let headerBytes = Buffer.from(JSON.stringify(header));
  // offsets depend on the header's length, which depends on the offsets' digits: leave slack, check it held
  let base = 0;
  for (let pass = 0; ; pass++) {
    base = align8(FIXED + headerBytes.length + 64);
    let off = base;
    for (let i = 0; i < arrays.length; i++) {
      entries[i][2] = off;
      off = align8(off + arrays[i][1].byteLength);
    }
    headerBytes = Buffer.from(JSON.stringify(header));
    if (FIXED + headerBytes.length <= base) break;
    if (pass > 3) throw new Error('graph header does not fit');
  }
  const last = arrays.length > 0 ? entries[arrays.length - 1][2] + arrays[arrays.length - 1][1].byteLength : base;
  const total = align8(last) + 4;
  const buf = Buffer.alloc(total);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(GRAPH_FORMAT_VERSION, 8);
  buf.writeUInt32LE(headerBytes.length, 12);
  buf.writeDoubleLE(total, 16);
  headerBytes.copy(buf, FIXED);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i][1];
    buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entries[i][2]);
  }
  buf.writeUInt32LE(crc32(buf.subarray(0, total - 4)), total - 4);
  return buf;
}

export function deserializeGraph(input: Buffer): RoadGraph {
  const fail = (why: string): never => {
    throw new Error(`road graph file refused: ${why}`);
  };
  if (input.length < FIXED + 4) fail('too short to be a road graph');
  if (input.toString('latin1', 0, 8) !== MAGIC) fail('not a road graph (wrong magic bytes)');
  const version = input.readUInt32LE(8);
  if (version !== GRAPH_FORMAT_VERSION)
    fail(`format version ${version}, this build reads version ${GRAPH_FORMAT_VERSION}: import the network again`);
  const total = input.readDoubleLE(16);
  if (total !== input.length) fail(`truncated or padded: ${input.length} bytes, expected ${total}`);
  if (crc32(input.subarray(0, total - 4)) !== input.readUInt32LE(total - 4)) fail('checksum mismatch (corrupt file)');
  // views need 8-byte alignment of the underlying buffer
  let buf = input;
  if (buf.byteOffset % 8 !== 0) {
    const copy = Buffer.from(new ArrayBuffer(buf.length));
    buf.copy(copy);
    buf = copy;
  }
  const headerLength = buf.readUInt32LE(12);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', FIXED, FIXED + headerLength)) as Header;
  } catch {
    return fail('unreadable header');
  }
  const views = new Map<string, ArrayBufferView>();
  for (const [name, type, offset, length] of header.arrays) {
    const t = TYPES[type];
    if (!t || offset % 8 !== 0 || offset + length * t.bytes > total - 4) fail(`bad array ${name}`);
    views.set(name, t.make(buf.buffer as ArrayBuffer, buf.byteOffset + offset, length));
  }
  const get = <T>(name: string): T => {
    const v = views.get(name);
    if (!v) fail(`array ${name} missing`);
    return v as T;
  };
  const profiles: Partial<Record<string, ProfileGraph>> = {};
  // an array shared between profiles is stored once, under the first profile's name
  const first = header.meta.profiles[0];
  const field = (p: string, f: string) => get<never>(views.has(`${p}.${f}`) ? `${p}.${f}` : `${first}.${f}`);
  for (const p of header.meta.profiles) {
    const pg: Record<string, unknown> = {};
    for (const f of PROFILE_FIELDS) pg[f] = field(p, f);
    profiles[p] = pg as unknown as ProfileGraph;
  }
  const arrays: Record<string, unknown> = {};
  for (const f of GRAPH_FIELDS) arrays[f] = get(f);
  return {
    meta: header.meta,
    nodeCount: header.nodeCount,
    segmentCount: header.segmentCount,
    graphNodeCount: header.graphNodeCount,
    ...(arrays as Pick<RoadGraph, (typeof GRAPH_FIELDS)[number]>),
    profiles,
  };
}
