/**
 * Read results kept until the data may have changed: a local write calls `clear()`, and any new event in the
 * outbox (from this instance or, by the event bus's polling, from another one) moves `version()`.
 * On one embedded database that is exact; across API instances a cached answer is at most one poll old.
 */
export class ChangeCache<V> {
  #map = new Map<string, V>();
  #seen: number;

  constructor(
    private readonly version: () => number,
    private readonly max = 1000,
  ) {
    this.#seen = version();
  }

  get(key: string): V | undefined {
    this.#check();
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    this.#check();
    if (this.#map.size >= this.max) this.#map.clear();
    this.#map.set(key, value);
  }

  clear(): void {
    this.#map.clear();
  }

  #check(): void {
    const v = this.version();
    if (v !== this.#seen) {
      this.#map.clear();
      this.#seen = v;
    }
  }
}
