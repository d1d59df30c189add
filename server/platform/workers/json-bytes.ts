/**
 * A reply already serialised (by a worker thread): the route sends these bytes as they are, so a large reply costs
 * the event loop no JSON work. The route's schema still documents its shape.
 */
export class JsonBytes {
  constructor(readonly bytes: Uint8Array) {}

  get buffer(): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** the reply as an object (tests, callers inside the server) */
  parse<T>(): T {
    return JSON.parse(new TextDecoder().decode(this.bytes)) as T;
  }
}
