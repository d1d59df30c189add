import type { CSSProperties } from 'react';
import type { MapLayer } from '../api/contracts.ts';

export type SwatchShape = MapLayer['geometry'] | 'dashed';

/** A legend symbol: a dot, a line, a dashed line or a patch in the layer's colour (styles in the map page's CSS). */
export function Swatch({ shape, color }: { shape: SwatchShape; color: string }) {
  return <span className={`swatch swatch-${shape}`} style={{ '--swatch': color } as CSSProperties} />;
}

/** One row of a layer's legend, with a count where the layer has one (incidents by level). */
export function LegendRow({
  shape,
  color,
  label,
  count,
}: {
  shape: SwatchShape;
  color: string;
  label: string;
  count?: number;
}) {
  return (
    <div className="layer-legend-row">
      <Swatch shape={shape} color={color} />
      <span className="layer-legend-label">{label}</span>
      {count !== undefined && <span className="legend-count">{count}</span>}
    </div>
  );
}
