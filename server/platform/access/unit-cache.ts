import type { OrgUnit } from '../../../contracts/org.ts';

/** What a unit cache reads its units from (the access service). */
export interface UnitSource {
  listUnits(): Promise<Omit<OrgUnit, 'hasBoundary'>[]>;
}

/**
 * The organisation's units as a module keeps them in memory, each in the shape it needs: loaded at the module's seed,
 * and read again when a code is asked for that is not there. Units are added while the server runs (an enterprise's
 * own unit, on this instance or another), so a module that checks a unit code asks `find`, never the map alone.
 */
export class UnitCache<U> {
  #map = new Map<string, U>();
  #loading: Promise<void> | null = null;

  constructor(
    private readonly source: UnitSource,
    private readonly pick: (u: Omit<OrgUnit, 'hasBoundary'>) => U,
  ) {}

  /** the units as last read (for names on what is shown: a unit unknown here is one added since, shown by its code) */
  map(): Map<string, U> {
    return this.#map;
  }

  /** reads every unit again; concurrent calls share one read */
  load(): Promise<void> {
    this.#loading ??= this.source
      .listUnits()
      .then((units) => {
        this.#map = new Map(units.map((u) => [u.code, this.pick(u)]));
      })
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /** the unit of a code, reading the units again when it is not known here yet; undefined when there is none */
  async find(code: string): Promise<U | undefined> {
    const known = this.#map.get(code);
    if (known !== undefined) return known;
    await this.load();
    return this.#map.get(code);
  }
}
