import { defineErrors, type ErrorDef } from '../../errors.ts';

export const FILE_ERRORS = defineErrors('platform', {
  FILE_MISSING: {
    status: 400,
    zh: '请以 multipart/form-data 上传一个文件（字段 file，以及字段 entity、entityId）',
    en: 'Upload one file as multipart/form-data (field file, with the fields entity and entityId)',
  },
  FILE_TOO_LARGE: { status: 413, zh: '文件过大：最大 {max} MB', en: 'The file is too large: at most {max} MB' },
  FILE_EMPTY: { status: 400, zh: '文件为空', en: 'The file is empty' },
  FILE_ENTITY_UNKNOWN: {
    status: 400,
    zh: '不能为“{entity}”类记录上传附件',
    en: 'Records of kind “{entity}” do not take attachments',
  },
  FILE_NOT_OWNER: {
    status: 403,
    zh: '只有上传者或管理员可以删除此附件',
    en: 'Only the uploader or an administrator may delete this attachment',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof FILE_ERRORS, ErrorDef> {}
}
