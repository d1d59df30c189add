/**
 * OSM XML reader on the streaming `saxes` parser. saxes never resolves DTDs or external entities; on top of that a
 * DOCTYPE is refused outright, since OSM XML has none and any is a sign of something else (or of an XXE attempt).
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import {
  OsmFormatError,
  type OsmMember,
  type OsmReader,
  type OsmSink,
  type ScanRequest,
  type Tags,
} from './osm-types.ts';

const CHUNK = 1 << 20;

export class XmlOsmReader implements OsmReader {
  readonly format = 'xml' as const;

  constructor(
    readonly file: string,
    readonly size: number,
  ) {}

  async scan(req: ScanRequest, sink: OsmSink, onBytes?: (done: number) => void): Promise<void> {
    const parser = new SaxesParser({ xmlns: false, position: true });
    const xmlError = (message: string) =>
      new OsmFormatError(`XML error at line ${parser.line}: ${message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`);
    let depth = 0;
    // the node (when its tags are wanted), way or relation being read, or none
    let kind: 'node' | 'way' | 'relation' | null = null;
    let id = 0;
    let nodeLon = 0;
    let nodeLat = 0;
    let wanted = false;
    let refs = new Float64Array(256);
    let refCount = 0;
    let tags: Tags = {};
    let members: OsmMember[] = [];
    const keys = req.wayKeys;
    const nodeKeys = req.nodeKeys;

    const num = (tag: SaxesTagPlain, attr: string): number => {
      const v = tag.attributes[attr];
      const n = v === undefined || v === '' ? Number.NaN : Number(v);
      if (!Number.isFinite(n)) throw xmlError(`<${tag.name}> has no valid ${attr} ("${v ?? ''}")`);
      return n;
    };

    parser.on('doctype', () => {
      throw xmlError('a DOCTYPE declaration is not accepted in OSM XML (DTDs and entities are never read)');
    });
    parser.on('error', (e) => {
      throw e instanceof OsmFormatError ? e : xmlError(e.message);
    });
    parser.on('opentag', (tag: SaxesTagPlain) => {
      depth++;
      const name = tag.name;
      if (depth === 1) {
        if (name === 'osmChange') throw new OsmFormatError('an osmChange (diff) file, not an OSM extract');
        if (name !== 'osm') throw new OsmFormatError(`not an OSM XML file (its root element is <${name}>)`);
        return;
      }
      if (depth === 2) {
        // JOSM files keep deleted objects with action="delete"; they are not part of the data
        if (tag.attributes.action === 'delete') return;
        if (name === 'node') {
          // a node without coordinates (e.g. a deleted one in some exports) counts as missing
          if (req.nodes && tag.attributes.lat !== undefined) {
            if (nodeKeys) {
              // delivered at its end tag, once its tags are read
              kind = 'node';
              id = num(tag, 'id');
              nodeLon = num(tag, 'lon');
              nodeLat = num(tag, 'lat');
              tags = {};
            } else sink.node?.(num(tag, 'id'), num(tag, 'lon'), num(tag, 'lat'), null);
          }
        } else if (name === 'way' && req.ways) {
          kind = 'way';
          id = num(tag, 'id');
          refCount = 0;
          tags = {};
        } else if (name === 'relation' && req.relations) {
          kind = 'relation';
          id = num(tag, 'id');
          tags = {};
          members = [];
        }
        return;
      }
      if (depth !== 3 || kind === null) return;
      if (name === 'tag') {
        const k = tag.attributes.k;
        if (k !== undefined) tags[k] = tag.attributes.v ?? '';
      } else if (name === 'nd' && kind === 'way') {
        if (refCount === refs.length) {
          const bigger = new Float64Array(refs.length * 2);
          bigger.set(refs);
          refs = bigger;
        }
        refs[refCount++] = num(tag, 'ref');
      } else if (name === 'member' && kind === 'relation') {
        const type: string | undefined = tag.attributes.type;
        if (type !== 'node' && type !== 'way' && type !== 'relation') {
          throw xmlError(`<member> of relation ${id} has an unknown type "${type ?? ''}"`);
        }
        members.push({ type, ref: num(tag, 'ref'), role: tag.attributes.role ?? '' });
      }
    });
    parser.on('closetag', () => {
      if (depth === 2 && kind !== null) {
        if (kind === 'node') {
          let withTags = false;
          for (const k in tags) if (nodeKeys?.has(k)) withTags = true;
          sink.node?.(id, nodeLon, nodeLat, withTags ? tags : null);
        } else if (kind === 'way') {
          wanted = req.wantWay?.(id) ?? false;
          if (!wanted && keys) for (const k in tags) if (keys.has(k)) wanted = true;
          if (wanted) sink.way?.(id, refs, refCount, tags);
        } else sink.relation?.(id, members, tags);
        kind = null;
      }
      depth--;
    });

    const decoder = new StringDecoder('utf8');
    let done = 0;
    let first = true;
    const stream = createReadStream(this.file, { highWaterMark: CHUNK });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let text = decoder.write(chunk);
        if (first) {
          text = text.replace(/^\uFEFF/, '');
          first = false;
        }
        parser.write(text);
        done += chunk.length;
        onBytes?.(done);
      }
      parser.write(decoder.end());
      parser.close();
    } finally {
      stream.destroy();
    }
    if (depth !== 0) throw xmlError('the file ends inside an element (truncated?)');
  }
}
