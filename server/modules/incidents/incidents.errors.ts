import { defineErrors, type ErrorDef } from '../../errors.ts';

export const INCIDENT_ERRORS = defineErrors('incidents', {
  UNKNOWN_TYPE_CODE: { status: 400, zh: '未知的事件类型代码：{value}', en: 'Unknown incident type code: {value}' },
  TYPE_NOT_LEAF: {
    status: 400,
    zh: '事件类型 {value} 是一个分类，请选择其下的具体类型',
    en: 'Incident type {value} is a class: choose one of the types under it',
  },
  LEVEL_REASON_REQUIRED: {
    status: 400,
    zh: '人工调整级别时必须填写理由',
    en: 'A reason is required to set the level by hand',
  },
  INVALID_TRANSITION: {
    status: 400,
    zh: '不能从“{from}”转为“{to}”',
    en: 'Cannot change status from "{from}" to "{to}"',
  },
  MERGE_INTO_ITSELF: { status: 400, zh: '不能把事件合并到它自己', en: 'An incident cannot be merged into itself' },
  ALREADY_MERGED: {
    status: 409,
    zh: '事件 {number} 已并入 {into}，请先撤销合并',
    en: 'Incident {number} is already merged into {into}; undo that merge first',
  },
  MERGE_TARGET_MERGED: {
    status: 400,
    zh: '事件 {number} 本身已并入 {into}，请合并到 {into}',
    en: 'Incident {number} is itself merged into {into}: merge into {into} instead',
  },
  NOT_MERGED: {
    status: 409,
    zh: '事件 {number} 未被合并，无需撤销',
    en: 'Incident {number} is not merged: nothing to undo',
  },
  INCIDENT_CLOSED: { status: 409, zh: '事件已关闭，不能修改', en: 'The incident is closed and cannot be changed' },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof INCIDENT_ERRORS, ErrorDef> {}
}
