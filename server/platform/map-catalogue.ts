/**
 * The one map's layer catalogue and search: modules register the layers they draw and the things people search
 * for; the map lists what the user may see. Incidents, roads, boundaries and closures now; teams, warehouses,
 * devices and risks register the same way later.
 */
import type { MapLayer } from '../../contracts/geo.ts';
import { type Actor, can } from './core/context.ts';

export interface SearchHit {
  kind: string;
  id: string;
  name: string;
  subtitle: string;
  subtitleEn?: string;
  point: [number, number];
  bbox?: [number, number, number, number];
  /** a gazetteer hit's kind of place (contracts/places.ts), for its icon and label */
  placeKind?: string;
}

/** `near`: the centre of the user's view, which providers may rank by */
export type SearchProvider = (
  actor: Actor,
  q: string,
  limit: number,
  opts?: { near?: [number, number] },
) => Promise<SearchHit[]>;

/** A layer (or a function giving it, for layers whose note follows the current network), who sees it, its order. */
export interface LayerRegistration {
  layer: MapLayer | (() => MapLayer);
  permission: string;
  /** drawing and listing order: lower first */
  order: number;
}

export class MapCatalogue {
  #layers: LayerRegistration[] = [];
  #search: { kind: string; permission: string; fn: SearchProvider }[] = [];

  registerLayer(r: LayerRegistration): void {
    this.#layers.push(r);
    this.#layers.sort((a, b) => a.order - b.order);
  }

  registerSearch(kind: string, permission: string, fn: SearchProvider): void {
    this.#search.push({ kind, permission, fn });
  }

  layers(actor: Actor): MapLayer[] {
    return this.#layers
      .filter((l) => can(actor, l.permission))
      .map((l) => (typeof l.layer === 'function' ? l.layer() : l.layer));
  }

  /** Every provider the user may use, each up to `limit` hits, in registration order (places, roads, entities). */
  async search(actor: Actor, q: string, limit: number, opts?: { near?: [number, number] }): Promise<SearchHit[]> {
    const term = q.trim();
    if (!term) return [];
    const lists = await Promise.all(
      this.#search.filter((s) => can(actor, s.permission)).map((s) => s.fn(actor, term, limit, opts)),
    );
    return lists.flat();
  }
}
