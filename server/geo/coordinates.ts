import gcoord from 'gcoord';

export type Crs = 'wgs84' | 'gcj02';

/** Converts a GeoJSON geometry or feature collection from GCJ-02 (Chinese web maps) to WGS-84, in place. */
export function toWgs84<T extends object>(geojson: T, from: Crs): T {
  if (from === 'wgs84') return geojson;
  return gcoord.transform(geojson as never, gcoord.GCJ02, gcoord.WGS84) as T;
}
