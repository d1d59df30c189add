/** What the PBF and XML readers share: the element callbacks, the scan request, the format error. */

/** The file is not a readable OSM extract; the message is the reason shown to the user. */
export class OsmFormatError extends Error {}

export type Tags = Record<string, string>;

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmSink {
  /** tags: all tags of a node that has one of the requested `nodeKeys`, else null */
  node?(id: number, lon: number, lat: number, tags: Tags | null): void;
  /** refs[0 … count-1] are valid; the array is reused after the call */
  way?(id: number, refs: Float64Array, count: number, tags: Tags): void;
  relation?(id: number, members: OsmMember[], tags: Tags): void;
}

export interface ScanRequest {
  nodes?: boolean;
  ways?: boolean;
  relations?: boolean;
  /** deliver the tags of nodes that have one of these keys (barriers, signals, access) */
  nodeKeys?: ReadonlySet<string>;
  /** deliver a way when it has one of these keys … */
  wayKeys?: ReadonlySet<string>;
  /** … or when this says its id is wanted */
  wantWay?: (id: number) => boolean;
}

export interface OsmReader {
  readonly format: 'pbf' | 'xml';
  readonly size: number;
  /** reads the whole file once; onBytes is told how many bytes have been read so far */
  scan(req: ScanRequest, sink: OsmSink, onBytes?: (done: number) => void): Promise<void>;
}
