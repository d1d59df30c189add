import { Marker } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { useOfflineMap } from './use-offline-map.ts';

/** A small read-only-ish map showing one point, coloured like its level. */
export function PointMap({ point, color, height = 240 }: { point: [number, number]; color?: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const map = useOfflineMap(ref);
  useEffect(() => {
    if (!map) return;
    const el = document.createElement('div');
    el.className = 'map-pin';
    if (color) el.style.setProperty('--pin-color', color);
    const m = new Marker({ element: el, anchor: 'bottom' }).setLngLat(point).addTo(map);
    map.jumpTo({ center: point, zoom: 9.5 });
    return () => {
      m.remove();
    };
  }, [map, point[0], point[1], color]);
  return <div ref={ref} className="point-map" style={{ height }} data-testid="point-map" />;
}
