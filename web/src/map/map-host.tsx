import type { MapGeoJSONFeature, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { type ComponentType, createContext, type ReactNode, useContext, useEffect, useRef } from 'react';
import type { MapLayer, SearchHit } from '../api/contracts.ts';

/**
 * What a feature adds to the command map. The map page (features/geo) draws the basemap, the catalogue, the
 * tools and the search, and gathers the rest from the features' manifests: the layers they draw themselves,
 * side-panel tabs, toolbar controls and how their search hits look.
 */
export interface MapContribution {
  /** wraps the page: state the feature's layer, panel and toolbar share (e.g. which incidents are loaded) */
  Provider?: ComponentType<{ children: ReactNode }>;
  /** catalogue layers this feature draws itself, by catalogue layer id (the rest are drawn generically) */
  layers?: Record<string, MapLayerRenderer>;
  panels?: MapPanel[];
  /** controls in the map's toolbar */
  toolbar?: ComponentType;
  /** search hits of the providers this feature registers on the server, by `kind` */
  search?: Record<string, MapSearchKind>;
}

export interface MapLayerRenderer {
  /** draws the layer; mounted while the catalogue lists it, `visible` as the user switched it */
  Layer: ComponentType<{ layer: MapLayer; visible: boolean }>;
  /** its legend in the layer panel (else the catalogue's legend rows) */
  Legend?: ComponentType<{ layer: MapLayer }>;
  /** the layer's entry when the catalogue cannot be read (no geo.read, an older server), for those with `permission` */
  fallback?: { layer: MapLayer; permission: string };
}

export interface MapPanel {
  key: string;
  order: number;
  /** who sees the tab (any one of them); absent: whoever sees the map */
  permission?: string | readonly string[];
  Label: ComponentType;
  Content: ComponentType;
}

export interface MapSearchKind {
  icon: ReactNode;
  /** `ns:key` of the group title */
  label: string;
  /** the colour of the pulse marking a chosen hit (default teal) */
  color?: string;
}

export type LonLat = [number, number];

/** What the map page offers the features' layers and panels. */
export interface MapHost {
  /** null until the basemap has loaded */
  map: MapLibreMap | null;
  /** the active tool: it has the pointer, layers leave clicks to it */
  tool: string | null;
  /** the search hit the user chose; the page flies there, a feature may open its own popup */
  searchHit: SearchHit | null;
  showPopup(at: LonLat, content: HTMLElement): void;
  /** brings a side-panel tab forward */
  showPanel(key: string): void;
  setLayerVisible(id: string, on: boolean): void;
  /** clicks on the map go to the handler of the topmost registered layer under the pointer; returns the unregister */
  registerClick(layerIds: readonly string[], handler: LayerClick): () => void;
}
export type LayerClick = (feature: MapGeoJSONFeature, e: MapMouseEvent) => void;

const MapHostContext = createContext<MapHost | null>(null);
export const MapHostProvider = MapHostContext.Provider;

export function useMapHost(): MapHost {
  const host = useContext(MapHostContext);
  if (!host) throw new Error('useMapHost outside the command map');
  return host;
}

/** Clicks on these layers (when they are on top) go to `handler`; the pointer shows they can be clicked. */
export function useLayerClick(layerIds: readonly string[], handler: LayerClick): void {
  const { map, registerClick, tool } = useMapHost();
  const ref = useRef(handler);
  ref.current = handler;
  const toolRef = useRef(tool);
  toolRef.current = tool;
  const key = layerIds.join(' ');
  useEffect(() => {
    if (!map) return;
    const ids = key.split(' ');
    const unregister = registerClick(ids, (f, e) => ref.current(f, e));
    const enter = () => {
      if (!toolRef.current) map.getCanvas().style.cursor = 'pointer';
    };
    const leave = () => {
      map.getCanvas().style.cursor = '';
    };
    for (const id of ids) {
      map.on('mouseenter', id, enter);
      map.on('mouseleave', id, leave);
    }
    return () => {
      unregister();
      for (const id of ids) {
        map.off('mouseenter', id, enter);
        map.off('mouseleave', id, leave);
      }
    };
  }, [map, key, registerClick]);
}

/** A small DOM element for a popup (MapLibre popups take DOM, not React). */
export function popupElement(tag: string, className: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
