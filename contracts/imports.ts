import { type Static, Type as T } from 'typebox';
import { DATUMS } from './geo.ts';

/**
 * The one import contract of every registry (`/api/v1/<registry>/import`): a template, a dry run that writes nothing
 * and reports every bad row, and a commit that writes all rows or none.
 */
export const IMPORT_MODES = ['dry-run', 'commit'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];
export const IMPORT_FORMATS = ['xlsx', 'csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** WGS-84 (GPS, the default) or GCJ-02 (coordinates copied from Chinese web maps), converted to WGS-84 on import. */

export const ImportQuery = T.Object({
  mode: T.Optional(T.Enum(IMPORT_MODES, { default: 'dry-run', description: 'dry-run writes nothing' })),
  datum: T.Optional(T.Enum(DATUMS, { default: 'wgs84', description: 'datum of the coordinates in the file' })),
});
export type ImportQuery = Static<typeof ImportQuery>;

export const TemplateQuery = T.Object({
  format: T.Optional(T.Enum(['xlsx', 'csv'] as const, { default: 'xlsx' })),
});

/** One problem with one row: the row as the user sees it in the sheet (GeoJSON: the feature's position, from 1). */
export const ImportRowError = T.Object({
  row: T.Integer(),
  /** the column's header as in the file (null: the row as a whole) */
  column: T.Union([T.String(), T.Null()]),
  code: T.String(),
  message: T.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

/** The result of a dry run or a commit (the job's result). */
export const ImportReport = T.Object({
  mode: T.Enum(IMPORT_MODES),
  format: T.Enum(IMPORT_FORMATS),
  file: T.Object({ name: T.String(), size: T.Integer(), sha256: T.String() }),
  /** data rows read */
  rows: T.Integer(),
  /** rows without any error */
  accepted: T.Integer(),
  /** rows written (0 in a dry run, and 0 when any row failed: all or none) */
  imported: T.Integer(),
  errors: T.Array(ImportRowError),
  /** every error found; `errors` lists the first of them when there are very many */
  errorCount: T.Integer(),
});
export type ImportReport = Static<typeof ImportReport>;
