import { defineErrors, type ErrorDef } from '../../errors.ts';

export const DUTY_ERRORS = defineErrors('duty', {
  DUTY_UNKNOWN_UNIT: {
    status: 400,
    zh: '没有这个单位：{value}',
    en: 'No such unit: {value}',
  },
  DUTY_UNKNOWN_SLOT: {
    status: 400,
    zh: '班次模式“{pattern}”没有班次 {value}',
    en: 'The shift pattern "{pattern}" has no slot {value}',
  },
  DUTY_SLOT_KEYS_REPEAT: {
    status: 400,
    zh: '班次代码重复：{value}',
    en: 'A slot key repeats: {value}',
  },
  DUTY_PATTERN_OTHER_UNIT: {
    status: 400,
    zh: '班次模式属于另一个单位（{value}）',
    en: 'The shift pattern belongs to another unit ({value})',
  },
  DUTY_PATTERN_IN_USE: {
    status: 409,
    zh: '班次模式已排班 {count} 个班次，不能删除班次 {value}',
    en: 'The pattern has {count} shifts on the roster: slot {value} cannot be removed',
  },
  DUTY_UNKNOWN_USER: {
    status: 400,
    zh: '没有这个用户或已停用：{value}',
    en: 'No such user, or disabled: {value}',
  },
  DUTY_ALREADY_ASSIGNED: {
    status: 409,
    zh: '{value} 已在这一班次',
    en: '{value} is already on this shift',
  },
  DUTY_MONTH_HAS_SHIFTS: {
    status: 409,
    zh: '{month} 已有 {count} 个该岗位的班次：选择“替换”重新生成',
    en: '{month} already has {count} shifts of this role: choose "replace" to generate it again',
  },
  DUTY_BAD_DATE: {
    status: 400,
    zh: '不是有效日期：{value}',
    en: 'Not a valid date: {value}',
  },
  DUTY_RANGE_TOO_LONG: {
    status: 400,
    zh: '一次最多查询 {max} 天',
    en: 'At most {max} days at a time',
  },
  DUTY_HANDOVER_TO_SELF: {
    status: 400,
    zh: '不能交班给自己',
    en: 'A shift cannot be handed over to oneself',
  },
  DUTY_HANDOVER_REF_MISSING: {
    status: 400,
    zh: '{value} 须引用所交接的事项',
    en: 'A {value} item refers to what it carries over',
  },
  DUTY_HANDOVER_NOT_YOURS: {
    status: 403,
    zh: '只有接班人可以确认接班',
    en: 'Only the incoming officer accepts the handover',
  },
  DUTY_HANDOVER_ACCEPTED: {
    status: 409,
    zh: '该交接已于 {at} 确认',
    en: 'This handover was accepted at {at}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof DUTY_ERRORS, ErrorDef> {}
}
