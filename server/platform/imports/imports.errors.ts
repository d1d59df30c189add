import { defineErrors, type ErrorDef } from '../../errors.ts';

/**
 * The import contract's codes. `IMPORT_FILE_*` refuse a whole file (400, field `file`); the others name one cell of
 * one row in a report (the message's `{column}` is the column's header as in the file).
 */
export const IMPORT_ERRORS = defineErrors('platform', {
  IMPORT_NO_FILE: {
    status: 400,
    zh: '请以 multipart/form-data 上传一个文件（字段 file）',
    en: 'Upload one file as multipart/form-data (field file)',
  },
  IMPORT_FILE_TOO_LARGE: {
    status: 413,
    zh: '文件过大：最大 {max} MB',
    en: 'The file is too large: at most {max} MB',
  },
  IMPORT_FILE_EMPTY: { status: 400, zh: '文件为空', en: 'The file is empty' },
  IMPORT_FILE_FORMAT: {
    status: 400,
    zh: '无法识别的文件：{zh}。请上传 Excel（.xlsx）、CSV 或 GeoJSON 文件',
    en: 'Unrecognised file: {en}. Upload an Excel (.xlsx), CSV or GeoJSON file',
  },
  IMPORT_FILE_ENCODING: {
    status: 400,
    zh: '文件编码无法识别（支持 UTF-8 与 GB18030/GBK）',
    en: 'The file’s text encoding is not recognised (UTF-8 and GB18030/GBK are supported)',
  },
  IMPORT_FILE_NO_HEADER: {
    status: 400,
    zh: '未找到表头：缺少必填列 {missing}。请使用下载的模板',
    en: 'No header row found: the required columns {missing} are missing. Use the downloadable template',
  },
  IMPORT_FILE_DUPLICATE_COLUMN: {
    status: 400,
    zh: '表头中“{column}”出现了两次',
    en: 'The column "{column}" appears twice in the header',
  },
  IMPORT_FILE_NO_ROWS: { status: 400, zh: '表头下没有数据行', en: 'There are no data rows under the header' },
  IMPORT_FILE_TOO_MANY_ROWS: {
    status: 400,
    zh: '行数过多：{rows} 行，每个文件最多 {max} 行，请分批导入',
    en: 'Too many rows: {rows}; at most {max} per file, import in parts',
  },
  IMPORT_REQUIRED: { status: 400, zh: '“{column}”为必填项', en: '"{column}" is required' },
  IMPORT_TOO_LONG: {
    status: 400,
    zh: '“{column}”不能超过 {max} 个字符（现有 {length} 个）',
    en: '"{column}" must not exceed {max} characters (has {length})',
  },
  IMPORT_CONTROL_CHARACTER: {
    status: 400,
    zh: '“{column}”含有不可见的控制字符',
    en: '"{column}" contains invisible control characters',
  },
  IMPORT_NOT_A_NUMBER: { status: 400, zh: '“{column}”应为数字：{value}', en: '"{column}" must be a number: {value}' },
  IMPORT_NOT_AN_INTEGER: {
    status: 400,
    zh: '“{column}”应为整数：{value}',
    en: '"{column}" must be a whole number: {value}',
  },
  IMPORT_OUT_OF_RANGE: {
    status: 400,
    zh: '“{column}”应在 {min} 至 {max} 之间：{value}',
    en: '"{column}" must be between {min} and {max}: {value}',
  },
  IMPORT_NOT_A_DATE: {
    status: 400,
    zh: '“{column}”不是有效的日期时间（如 2026-07-01 08:30）：{value}',
    en: '"{column}" is not a valid date-time (e.g. 2026-07-01 08:30): {value}',
  },
  IMPORT_NOT_IN_LIST: {
    status: 400,
    zh: '“{column}”不在可选值中：{value}',
    en: '"{column}" is not one of the allowed values: {value}',
  },
  IMPORT_BAD_PHONE: {
    status: 400,
    zh: '“{column}”不是有效的电话号码：{value}',
    en: '"{column}" is not a valid phone number: {value}',
  },
  IMPORT_DUPLICATE_IN_FILE: {
    status: 400,
    zh: '“{column}”{value} 与第 {first} 行重复',
    en: '"{column}" {value} repeats row {first}',
  },
  IMPORT_HALF_POINT: {
    status: 400,
    zh: '经度和纬度须同时填写或同时留空',
    en: 'Fill in both longitude and latitude, or neither',
  },
  IMPORT_NOT_A_POINT: {
    status: 400,
    zh: '要素的几何应为点（Point）：{value}',
    en: 'The feature’s geometry must be a Point: {value}',
  },
  IMPORT_WRITE_FAILED: {
    status: 500,
    zh: '写入该行时失败，整批未导入（请求 {requestId}）',
    en: 'Writing this row failed; nothing was imported (request {requestId})',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof IMPORT_ERRORS, ErrorDef> {}
}
