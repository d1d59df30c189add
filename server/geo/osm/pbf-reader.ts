/**
 * OSM PBF reader (https://wiki.openstreetmap.org/wiki/PBF_Format) on top of `pbf`'s varint reader.
 *
 * A first look reads only the block headers: it finds truncation before any work and lets later passes skip
 * blocks of the wrong kind (a ways pass never decompresses a node block twice). Blocks are read and decompressed
 * a few ahead of the one being decoded (zlib runs on the thread pool). Dense nodes go straight from the packed
 * arrays to the sink; no object is made per node.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { PbfReader } from 'pbf';
import {
  OsmFormatError,
  type OsmMember,
  type OsmReader,
  type OsmSink,
  type ScanRequest,
  type Tags,
} from './osm-types.ts';

const inflate = promisify(zlib.inflate);
// zstd exists from Node 22.15 on; older runtimes refuse such blocks with a clear reason
const zstdDecompress = (zlib as unknown as { zstdDecompress?: typeof zlib.inflate }).zstdDecompress;
const zstd = zstdDecompress ? promisify(zstdDecompress) : null;

const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
const LOOKAHEAD = 4;
const NODES = 1;
const WAYS = 2;
const RELATIONS = 4;
const MEMBER_TYPES = ['node', 'way', 'relation'] as const;
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

interface Block {
  /** where the block's 4-byte length starts */
  offset: number;
  dataStart: number;
  dataSize: number;
  type: string;
  /** element kinds seen when decoded (0 = not decoded yet) */
  kinds: number;
}

export class PbfOsmReader implements OsmReader {
  readonly format = 'pbf' as const;
  private blocks: Block[] | null = null;

  constructor(
    readonly file: string,
    readonly size: number,
  ) {}

  async scan(req: ScanRequest, sink: OsmSink, onBytes?: (done: number) => void): Promise<void> {
    const fh = await open(this.file, 'r');
    try {
      this.blocks ??= await this.index(fh);
      const want = (req.nodes ? NODES : 0) | (req.ways ? WAYS : 0) | (req.relations ? RELATIONS : 0);
      const todo = this.blocks.filter((b) => b.type === 'OSMData' && (b.kinds === 0 || (b.kinds & want) !== 0));
      const decoder = new BlockDecoder(req, sink);
      const queue: Promise<Buffer>[] = [];
      let next = 0;
      const fill = () => {
        while (queue.length < LOOKAHEAD && next < todo.length) {
          const p = readBlob(fh, todo[next++]);
          p.catch(() => {}); // awaited in order below; this only keeps an early failure from going unhandled
          queue.push(p);
        }
      };
      for (const block of todo) {
        fill();
        const data = await queue.shift()!;
        try {
          block.kinds = decoder.decode(data);
        } catch (e) {
          throw corrupt(block, e);
        }
        onBytes?.(block.dataStart + block.dataSize);
      }
      onBytes?.(this.size);
    } finally {
      await fh.close();
    }
  }

  /** Reads every block header (not the blocks) and checks the file header's required features. */
  private async index(fh: FileHandle): Promise<Block[]> {
    const blocks: Block[] = [];
    const lenBuf = Buffer.alloc(4);
    let pos = 0;
    while (pos < this.size) {
      if (pos + 4 > this.size) throw truncated(this.size, pos);
      await fh.read(lenBuf, 0, 4, pos);
      const headerLen = lenBuf.readUInt32BE(0);
      if (headerLen === 0 || headerLen > MAX_HEADER) {
        throw new OsmFormatError(`corrupt at byte ${pos}: a block header cannot be ${headerLen} bytes long`);
      }
      if (pos + 4 + headerLen > this.size) throw truncated(this.size, pos);
      const hb = Buffer.allocUnsafe(headerLen);
      await fh.read(hb, 0, headerLen, pos + 4);
      const { type, dataSize } = parseBlobHeader(hb, pos);
      const dataStart = pos + 4 + headerLen;
      if (dataStart + dataSize > this.size) throw truncated(this.size, pos);
      const block: Block = { offset: pos, dataStart, dataSize, type, kinds: 0 };
      if (type === 'OSMHeader') {
        const data = await readBlob(fh, block);
        try {
          checkHeaderBlock(data);
        } catch (e) {
          throw corrupt(block, e);
        }
      } else if (blocks.length === 0 && type !== 'OSMData') {
        throw new OsmFormatError(`not an OSM PBF file (first block is "${type}")`);
      }
      blocks.push(block);
      pos = dataStart + dataSize;
    }
    return blocks;
  }
}

function truncated(size: number, blockAt: number): OsmFormatError {
  return new OsmFormatError(`truncated at byte ${size}: the block starting at byte ${blockAt} is incomplete`);
}

function corrupt(block: Block, e: unknown): Error {
  if (e instanceof OsmFormatError) return new OsmFormatError(`the block at byte ${block.offset} ${e.message}`);
  const msg = e instanceof Error ? e.message : String(e);
  // the varint reader's own complaints; anything else is a bug of ours, not of the file
  if (/Unimplemented type|Expected varint/.test(msg)) {
    return new OsmFormatError(`the block at byte ${block.offset} is corrupt (${msg})`);
  }
  return e as Error;
}

function fail(what: string): never {
  throw new OsmFormatError(`is corrupt (${what})`);
}

function parseBlobHeader(buf: Buffer, at: number): { type: string; dataSize: number } {
  const pbf = new PbfReader(buf);
  let type: string | null = null;
  let dataSize = -1;
  try {
    while (pbf.pos < buf.length) {
      const tag = pbf.readVarint();
      if (tag === 0x0a) type = pbf.readString();
      else if (tag === 0x18) dataSize = pbf.readVarint(true);
      else pbf.skip(tag);
    }
  } catch {
    type = null;
  }
  if (type === null || pbf.pos !== buf.length || dataSize < 0 || dataSize > MAX_BLOB) {
    throw new OsmFormatError(`corrupt at byte ${at}: the block header cannot be read`);
  }
  return { type, dataSize };
}

async function readBlob(fh: FileHandle, block: Block): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(block.dataSize);
  const { bytesRead } = await fh.read(buf, 0, block.dataSize, block.dataStart);
  if (bytesRead !== block.dataSize) throw truncated(block.dataStart + bytesRead, block.offset);
  const pbf = new PbfReader(buf);
  let rawSize = -1;
  let raw: Uint8Array | null = null;
  let packed: Uint8Array | null = null;
  let method = '';
  try {
    while (pbf.pos < buf.length) {
      const tag = pbf.readVarint();
      const field = tag >>> 3;
      if (tag === 0x0a) raw = pbf.readBytes();
      else if (tag === 0x10) rawSize = pbf.readVarint(true);
      else if ((tag & 7) === 2 && field >= 3 && field <= 7) {
        packed = pbf.readBytes();
        method = ['zlib', 'lzma', 'bzip2', 'lz4', 'zstd'][field - 3];
      } else pbf.skip(tag);
    }
  } catch {
    throw new OsmFormatError(`corrupt at byte ${block.offset}: the block cannot be read`);
  }
  if (pbf.pos !== buf.length || (raw === null && packed === null)) {
    throw new OsmFormatError(`corrupt at byte ${block.offset}: the block holds no data`);
  }
  let out: Buffer;
  if (raw !== null) out = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  else if (method === 'zlib' || (method === 'zstd' && zstd)) {
    const decompress = method === 'zlib' ? inflate : zstd!;
    try {
      out = await decompress(packed!, { maxOutputLength: MAX_BLOB });
    } catch (e) {
      throw new OsmFormatError(
        `corrupt at byte ${block.offset}: the ${method} data cannot be decompressed (${(e as Error).message})`,
      );
    }
  } else {
    throw new OsmFormatError(
      `the block at byte ${block.offset} uses ${method} compression, which cannot be read here (only zlib` +
        `${zstd ? ', zstd' : ''} and uncompressed); convert it with "osmium cat -o out.osm.pbf"`,
    );
  }
  if (rawSize >= 0 && out.length !== rawSize) {
    throw new OsmFormatError(`corrupt at byte ${block.offset}: ${out.length} bytes unpacked, ${rawSize} announced`);
  }
  return out;
}

function checkHeaderBlock(buf: Buffer): void {
  const pbf = new PbfReader(buf);
  while (pbf.pos < buf.length) {
    const tag = pbf.readVarint();
    if (tag === 0x22) {
      const feature = pbf.readString();
      if (feature === 'HistoricalInformation') {
        throw new OsmFormatError('is from a history file (HistoricalInformation), not a current extract');
      }
      if (!SUPPORTED_FEATURES.has(feature)) {
        throw new OsmFormatError(`needs the PBF feature "${feature}", which this importer does not support`);
      }
    } else pbf.skip(tag);
  }
  if (pbf.pos !== buf.length) fail('file header');
}

/** Decodes PrimitiveBlocks into sink calls. Holds reusable buffers between blocks. */
class BlockDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pbf = new PbfReader(new Uint8Array(0));
  private strStart: number[] = [];
  private strEnd: number[] = [];
  private strCache: (string | undefined)[] = [];
  /** per string index: 1 = one of the wanted way keys, 0 = not, -1 = not looked at yet */
  private keyWanted = new Int8Array(0);
  /** the same for the wanted node keys */
  private nodeKeyWanted = new Int8Array(0);
  /** string indices of one dense node's keys and values */
  private kv: number[] = [];
  private refs = new Float64Array(1024);
  private granularity = 100;
  private latOffset = 0;
  private lonOffset = 0;

  constructor(
    private readonly req: ScanRequest,
    private readonly sink: OsmSink,
  ) {}

  /** Returns the element kinds the block holds. */
  decode(buf: Buffer): number {
    this.buf = buf;
    const pbf = new PbfReader(buf);
    this.pbf = pbf;
    const end = buf.length;
    let stStart = -1;
    let stEnd = -1;
    const groups: number[] = [];
    this.granularity = 100;
    this.latOffset = 0;
    this.lonOffset = 0;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if (tag === 0x0a || tag === 0x12) {
        const e = this.lengthEnd(end);
        if (tag === 0x0a) {
          stStart = pbf.pos;
          stEnd = e;
        } else groups.push(pbf.pos, e);
        pbf.pos = e;
      } else if (tag === 0x88) this.granularity = pbf.readVarint(true);
      else if (tag === 0x98) this.latOffset = pbf.readVarint(true);
      else if (tag === 0xa0) this.lonOffset = pbf.readVarint(true);
      else pbf.skip(tag);
    }
    if (pbf.pos !== end) fail('block ends inside a field');
    if (!(this.granularity > 0)) fail(`granularity ${this.granularity}`);
    this.strStart.length = 0;
    this.strEnd.length = 0;
    this.strCache.length = 0;
    const needStrings = this.req.ways || this.req.relations || (this.req.nodes && this.req.nodeKeys);
    if (needStrings && stStart >= 0) this.readStringTable(stStart, stEnd);
    let kinds = 0;
    for (let g = 0; g < groups.length; g += 2) kinds |= this.decodeGroup(groups[g], groups[g + 1]);
    return kinds;
  }

  private lengthEnd(limit: number): number {
    const len = this.pbf.readVarint();
    const e = this.pbf.pos + len;
    if (!(e <= limit)) fail('a field runs past its end');
    return e;
  }

  private readStringTable(start: number, end: number): void {
    const pbf = this.pbf;
    pbf.pos = start;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if (tag === 0x0a) {
        const e = this.lengthEnd(end);
        this.strStart.push(pbf.pos);
        this.strEnd.push(e);
        pbf.pos = e;
      } else pbf.skip(tag);
    }
    if (pbf.pos !== end) fail('string table');
    const n = this.strStart.length;
    if (this.keyWanted.length < n) this.keyWanted = new Int8Array(Math.max(n, this.keyWanted.length * 2));
    this.keyWanted.fill(-1, 0, n);
    if (this.nodeKeyWanted.length < n) this.nodeKeyWanted = new Int8Array(Math.max(n, this.nodeKeyWanted.length * 2));
    this.nodeKeyWanted.fill(-1, 0, n);
  }

  private str(i: number): string {
    let s = this.strCache[i];
    if (s === undefined) {
      if (!(i >= 0 && i < this.strStart.length)) fail(`string ${i} is not in the string table`);
      s = this.buf.toString('utf8', this.strStart[i], this.strEnd[i]);
      this.strCache[i] = s;
    }
    return s;
  }

  private decodeGroup(start: number, end: number): number {
    const pbf = this.pbf;
    const req = this.req;
    let kinds = 0;
    pbf.pos = start;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if ((tag & 7) !== 2) {
        pbf.skip(tag);
        continue;
      }
      const e = this.lengthEnd(end);
      const s = pbf.pos;
      switch (tag >>> 3) {
        case 1:
          kinds |= NODES;
          if (req.nodes) this.decodeNode(s, e);
          break;
        case 2:
          kinds |= NODES;
          if (req.nodes) this.decodeDense(s, e);
          break;
        case 3:
          kinds |= WAYS;
          if (req.ways) this.decodeWay(s, e);
          break;
        case 4:
          kinds |= RELATIONS;
          if (req.relations) this.decodeRelation(s, e);
          break;
      }
      pbf.pos = e;
    }
    if (pbf.pos !== end) fail('primitive group');
    return kinds;
  }

  private lon(raw: number): number {
    return (this.lonOffset + this.granularity * raw) / 1e9;
  }

  private lat(raw: number): number {
    return (this.latOffset + this.granularity * raw) / 1e9;
  }

  private decodeNode(start: number, end: number): void {
    const pbf = this.pbf;
    pbf.pos = start;
    let id = Number.NaN;
    let lat = Number.NaN;
    let lon = Number.NaN;
    let keyS = 0;
    let keyE = 0;
    let valS = 0;
    let valE = 0;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if (tag === 0x08) id = pbf.readSVarint();
      else if (tag === 0x40) lat = pbf.readSVarint();
      else if (tag === 0x48) lon = pbf.readSVarint();
      else if (tag === 0x12 || tag === 0x1a) {
        const e = this.lengthEnd(end);
        if (tag === 0x12) [keyS, keyE] = [pbf.pos, e];
        else [valS, valE] = [pbf.pos, e];
        pbf.pos = e;
      } else pbf.skip(tag);
    }
    if (pbf.pos !== end || Number.isNaN(id + lat + lon)) fail('node');
    let tags: Tags | null = null;
    if (this.req.nodeKeys && keyE > keyS) {
      const r = new PbfReader(this.buf);
      r.pos = keyS;
      while (r.pos < keyE) {
        if (this.nodeKey(r.readVarint())) {
          tags = this.tags(keyS, keyE, valS, valE);
          break;
        }
      }
    }
    this.sink.node?.(id, this.lon(lon), this.lat(lat), tags);
  }

  private decodeDense(start: number, end: number): void {
    const pbf = this.pbf;
    let idS = 0;
    let idE = 0;
    let latS = 0;
    let latE = 0;
    let lonS = 0;
    let lonE = 0;
    let kvS = 0;
    let kvE = 0;
    pbf.pos = start;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if (tag === 0x0a || tag === 0x42 || tag === 0x4a || tag === 0x52) {
        const e = this.lengthEnd(end);
        if (tag === 0x0a) [idS, idE] = [pbf.pos, e];
        else if (tag === 0x42) [latS, latE] = [pbf.pos, e];
        else if (tag === 0x4a) [lonS, lonE] = [pbf.pos, e];
        else [kvS, kvE] = [pbf.pos, e];
        pbf.pos = e;
      } else pbf.skip(tag);
    }
    if (pbf.pos !== end) fail('dense nodes');
    const node = this.sink.node;
    if (!node) return;
    const ids = new PbfReader(this.buf);
    const lats = new PbfReader(this.buf);
    const lons = new PbfReader(this.buf);
    ids.pos = idS;
    lats.pos = latS;
    lons.pos = lonS;
    const g = this.granularity;
    const latOff = this.latOffset;
    const lonOff = this.lonOffset;
    // keys_vals: per node, key and value string indices in turn, ended by 0 (absent when no node has tags)
    const withTags = this.req.nodeKeys !== undefined && kvE > kvS;
    const kvs = new PbfReader(this.buf);
    kvs.pos = kvS;
    const kv = this.kv;
    let id = 0;
    let lat = 0;
    let lon = 0;
    while (ids.pos < idE) {
      id += ids.readSVarint();
      lat += lats.readSVarint();
      lon += lons.readSVarint();
      let tags: Tags | null = null;
      if (withTags) {
        kv.length = 0;
        let wanted = false;
        while (kvs.pos < kvE) {
          const k = kvs.readVarint();
          if (k === 0) break;
          if (!(kvs.pos < kvE)) fail('dense node keys and values differ in number');
          kv.push(k, kvs.readVarint());
          wanted ||= this.nodeKey(k);
        }
        if (wanted) {
          tags = {};
          for (let i = 0; i < kv.length; i += 2) tags[this.str(kv[i])] = this.str(kv[i + 1]);
        }
      }
      node(id, (lonOff + g * lon) / 1e9, (latOff + g * lat) / 1e9, tags);
    }
    if (ids.pos !== idE || lats.pos !== latE || lons.pos !== lonE) fail('dense node arrays differ in length');
    if (withTags && kvs.pos !== kvE) fail('dense node keys and values');
  }

  /** whether string k is one of the wanted node keys */
  private nodeKey(k: number): boolean {
    if (!(k < this.strStart.length)) fail(`string ${k} is not in the string table`);
    let w = this.nodeKeyWanted[k];
    if (w === -1) {
      w = this.req.nodeKeys?.has(this.str(k)) ? 1 : 0;
      this.nodeKeyWanted[k] = w;
    }
    return w === 1;
  }

  private wayWanted(keyS: number, keyE: number, id: number): boolean {
    const keys = this.req.wayKeys;
    if (keys) {
      const r = new PbfReader(this.buf);
      r.pos = keyS;
      while (r.pos < keyE) {
        const k = r.readVarint();
        if (!(k < this.strStart.length)) fail(`string ${k} is not in the string table`);
        let w = this.keyWanted[k];
        if (w === -1) {
          w = keys.has(this.str(k)) ? 1 : 0;
          this.keyWanted[k] = w;
        }
        if (w === 1) return true;
      }
    }
    return this.req.wantWay?.(id) ?? false;
  }

  private tags(keyS: number, keyE: number, valS: number, valE: number): Tags {
    const tags: Tags = {};
    const ks = new PbfReader(this.buf);
    const vs = new PbfReader(this.buf);
    ks.pos = keyS;
    vs.pos = valS;
    while (ks.pos < keyE) tags[this.str(ks.readVarint())] = this.str(vs.readVarint());
    if (ks.pos !== keyE || vs.pos !== valE) fail('keys and values differ in number');
    return tags;
  }

  private decodeWay(start: number, end: number): void {
    const pbf = this.pbf;
    pbf.pos = start;
    let id = Number.NaN;
    let keyS = 0;
    let keyE = 0;
    let valS = 0;
    let valE = 0;
    let refS = 0;
    let refE = 0;
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      if (tag === 0x08) id = pbf.readVarint(true);
      else if (tag === 0x12 || tag === 0x1a || tag === 0x42) {
        const e = this.lengthEnd(end);
        if (tag === 0x12) [keyS, keyE] = [pbf.pos, e];
        else if (tag === 0x1a) [valS, valE] = [pbf.pos, e];
        else [refS, refE] = [pbf.pos, e];
        pbf.pos = e;
      } else pbf.skip(tag);
    }
    if (pbf.pos !== end || Number.isNaN(id)) fail('way');
    if (!this.wayWanted(keyS, keyE, id)) return;
    const tags = this.tags(keyS, keyE, valS, valE);
    const r = new PbfReader(this.buf);
    r.pos = refS;
    let n = 0;
    let ref = 0;
    let refs = this.refs;
    while (r.pos < refE) {
      ref += r.readSVarint();
      if (n === refs.length) {
        const bigger = new Float64Array(refs.length * 2);
        bigger.set(refs);
        refs = bigger;
        this.refs = refs;
      }
      refs[n++] = ref;
    }
    if (r.pos !== refE) fail(`way ${id} node list`);
    this.sink.way?.(id, refs, n, tags);
  }

  private decodeRelation(start: number, end: number): void {
    const pbf = this.pbf;
    pbf.pos = start;
    let id = Number.NaN;
    const at = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // keys, vals, roles, memids, types: start/end pairs
    while (pbf.pos < end) {
      const tag = pbf.readVarint();
      const slot = tag === 0x12 ? 0 : tag === 0x1a ? 2 : tag === 0x42 ? 4 : tag === 0x4a ? 6 : tag === 0x52 ? 8 : -1;
      if (tag === 0x08) id = pbf.readVarint(true);
      else if (slot >= 0) {
        const e = this.lengthEnd(end);
        at[slot] = pbf.pos;
        at[slot + 1] = e;
        pbf.pos = e;
      } else pbf.skip(tag);
    }
    if (pbf.pos !== end || Number.isNaN(id)) fail('relation');
    const tags = this.tags(at[0], at[1], at[2], at[3]);
    const roles = new PbfReader(this.buf);
    const ids = new PbfReader(this.buf);
    const types = new PbfReader(this.buf);
    roles.pos = at[4];
    ids.pos = at[6];
    types.pos = at[8];
    const members: OsmMember[] = [];
    let ref = 0;
    while (ids.pos < at[7]) {
      ref += ids.readSVarint();
      const type = MEMBER_TYPES[types.readVarint()];
      if (type === undefined) fail(`relation ${id} member type`);
      members.push({ type, ref, role: this.str(roles.readVarint()) });
    }
    if (ids.pos !== at[7] || roles.pos !== at[5] || types.pos !== at[9]) fail(`relation ${id} members`);
    this.sink.relation?.(id, members, tags);
  }
}
