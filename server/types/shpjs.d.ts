/** The part of shpjs Anlan uses: a zipped Shapefile (with its .prj and .dbf) read into GeoJSON in WGS-84. */
declare module 'shpjs' {
  interface ShapefileCollection {
    type: 'FeatureCollection';
    features: {
      type: 'Feature';
      geometry: { type: string; coordinates: unknown } | null;
      properties: Record<string, unknown>;
    }[];
    fileName?: string;
  }
  /** every layer of the zip: one collection, or an array when the zip holds several */
  export function parseZip(buffer: Uint8Array | ArrayBuffer): Promise<ShapefileCollection | ShapefileCollection[]>;
}
