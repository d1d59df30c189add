import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import type { MapLayer } from '../../api/contracts.ts';
import { useLayerData } from '../../api/geo.ts';
import type { MapLayerRenderer } from '../../map/map-host.tsx';
import { styleLayersOf } from '../../map/map-style.ts';
import { type Band, ensureSlots, removeOverlay, setLayersVisible, useGeojsonOverlay } from '../../map/overlay.ts';
import { useStyleLoads } from '../../map/use-offline-map.ts';
import { baseLayerIdsOf, baseSourceLayers, genericLayerSpecs, genericSourceId } from './catalogue.ts';

const BAND: Record<MapLayer['geometry'], Band> = { point: 'points', line: 'lines', polygon: 'fills' };

/** A layer the base style draws (roads, boundaries): switching it shows or hides the style's own layers. */
function BaseStyleLayer({ map, layer, visible }: { map: MapLibreMap; layer: MapLayer; visible: boolean }) {
  const loads = useStyleLoads(map);
  useEffect(() => {
    // `loads`: a new base style comes with its layers shown again
    void loads;
    setLayersVisible(map, baseLayerIdsOf(map, layer), visible);
  }, [map, layer, visible, loads]);
  return null;
}

function GeojsonLayer({ map, layer, visible }: { map: MapLibreMap; layer: MapLayer; visible: boolean }) {
  const data = useLayerData(visible ? layer.source.url : null);
  const specs = useMemo(() => genericLayerSpecs(layer), [layer]);
  useGeojsonOverlay(map, genericSourceId(layer), data.data, specs, BAND[layer.geometry], visible);
  return null;
}

/** A vector layer of a later module that the base style does not draw: its own tile source. */
function VectorLayer({ map, layer, visible }: { map: MapLibreMap; layer: MapLayer; visible: boolean }) {
  const specs = useMemo(() => genericLayerSpecs(layer), [layer]);
  useEffect(() => {
    const id = genericSourceId(layer);
    const url = new URL(layer.source.url, window.location.origin).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
    if (!map.getSource(id))
      map.addSource(id, url.includes('{z}') ? { type: 'vector', tiles: [url] } : { type: 'vector', url });
    ensureSlots(map);
    for (const l of specs)
      if (!map.getLayer(l.id)) map.addLayer({ ...l, source: id } as never, `slot-${BAND[layer.geometry]}`);
    return () =>
      removeOverlay(
        map,
        id,
        specs.map((l) => l.id),
      );
  }, [map, layer, specs]);
  useEffect(() => {
    setLayersVisible(
      map,
      specs.map((l) => l.id),
      visible,
    );
  }, [map, specs, visible]);
  return null;
}

/**
 * Every catalogue layer: by the feature that draws it (its renderer), else from its `source`, `geometry` and
 * legend colour.
 */
export function CatalogueLayers({
  map,
  catalogue,
  visible,
  renderers,
}: {
  map: MapLibreMap | null;
  catalogue: MapLayer[];
  visible: Record<string, boolean>;
  renderers: Record<string, MapLayerRenderer>;
}) {
  const loads = useStyleLoads(map);
  return (
    <>
      {catalogue.map((l) => {
        const on = !!visible[l.id];
        const Own = renderers[l.id]?.Layer;
        if (Own) return <Own key={l.id} layer={l} visible={on} />;
        if (!map) return null;
        // `loads`: which layers the style draws is read again after each style load
        if (loads >= 0 && styleLayersOf(map, baseSourceLayers(l)).length > 0)
          return <BaseStyleLayer key={l.id} map={map} layer={l} visible={on} />;
        if (l.source.kind === 'vector') return <VectorLayer key={l.id} map={map} layer={l} visible={on} />;
        return <GeojsonLayer key={l.id} map={map} layer={l} visible={on} />;
      })}
    </>
  );
}
