import { type Static, Type as T } from 'typebox';
import { paging } from './common.ts';

/** An attachment of a record (plan, task, incident, consultation …); the record decides who may read it. */
export const FileInfo = T.Object({
  id: T.String(),
  entity: T.String(),
  entityId: T.String(),
  name: T.String(),
  mime: T.String(),
  size: T.Integer(),
  sha256: T.String(),
  uploadedAt: T.String(),
  uploadedBy: T.String(),
});
export type FileInfo = Static<typeof FileInfo>;

export const FileListQuery = T.Object({
  entity: T.String({ minLength: 1, maxLength: 40 }),
  entityId: T.String({ minLength: 1, maxLength: 64 }),
  ...paging({ maxLimit: 200, defaultLimit: 100 }),
});
export type FileListQuery = Static<typeof FileListQuery>;

/** the largest attachment accepted (photos are reduced in the browser before they are sent) */
export const FILE_MAX_BYTES = 20 * 1024 * 1024;

/** Types a browser may show inline (pictures, PDF); every other type is downloaded as an attachment. */
export const INLINE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'] as const;
