import type { DomainEvent } from './outbox.repository.ts';

/**
 * The most recent events this instance delivered, in its delivery order, by absolute position (`start` ≤ i < `end`).
 * Browser streams replay from it (a reconnect names its last event), so a replay never queries the database.
 */
export class EventRing {
  #items: (DomainEvent | undefined)[];
  #bySeq = new Map<number, number>();
  #start = 0;
  #end = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array(capacity);
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  push(e: DomainEvent): void {
    if (this.#end - this.#start === this.capacity) {
      const old = this.#items[this.#start % this.capacity];
      if (old) this.#bySeq.delete(old.seq);
      this.#start++;
    }
    this.#items[this.#end % this.capacity] = e;
    this.#bySeq.set(e.seq, this.#end);
    this.#end++;
  }

  /** The event at absolute position i (start ≤ i < end). */
  at(i: number): DomainEvent {
    if (i < this.#start || i >= this.#end)
      throw new RangeError(`ring position ${i} outside ${this.#start}…${this.#end}`);
    return this.#items[i % this.capacity] as DomainEvent;
  }

  /** The position just after the event with this seq, or undefined when it is not (or no longer) in the ring. */
  after(seq: number): number | undefined {
    const i = this.#bySeq.get(seq);
    return i === undefined ? undefined : i + 1;
  }

  /** The last event's seq, if any. */
  lastSeq(): number | undefined {
    return this.#end > this.#start ? this.at(this.#end - 1).seq : undefined;
  }
}
