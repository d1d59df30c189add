import { defineErrors, type ErrorDef } from '../../errors.ts';

export const EXPERTS_ERRORS = defineErrors('experts', {
  UNKNOWN_FIELD_CODE: {
    status: 400,
    zh: '不是 GB/T 35561 突发事件类型代码：{value}',
    en: 'Not a GB/T 35561 incident type code: {value}',
  },
  TOO_FEW_CANDIDATES: {
    status: 409,
    zh: '符合条件的专家只有 {available} 名，不足抽取的 {count} 名：请减少人数、放宽领域或回避条件',
    en: 'Only {available} experts qualify, fewer than the {count} to draw: lower the count, widen the fields or the avoidance',
  },
  NOTHING_TO_REPLACE: {
    status: 409,
    zh: '没有待替补的谢绝邀请',
    en: 'No declined invitation is waiting for a replacement',
  },
  DECLINE_REASON_REQUIRED: {
    status: 400,
    zh: '谢绝须填写原因',
    en: 'A decline needs its reason',
  },
  INVITATION_ANSWERED: {
    status: 409,
    zh: '该邀请已答复（{status}）',
    en: 'The invitation has been answered already ({status})',
  },
  CONSULTATION_STATUS_STEP: {
    status: 409,
    zh: '会商状态只能依次推进（计划中 → 已召开 → 已办结）：当前为 {from}，不能改为 {to}',
    en: 'A consultation moves one step at a time (planned → held → closed): it is {from}, it cannot become {to}',
  },
  CONSULTATION_CLOSED: {
    status: 409,
    zh: '会商已办结，不能再修改',
    en: 'The consultation is closed and can no longer be changed',
  },
  LINK_REQUIRED: {
    status: 400,
    zh: '{kind}须关联{what}',
    en: 'A {kind} needs its linked {what}',
  },
  UNKNOWN_TEMPLATE: {
    status: 400,
    zh: '没有该研判模板：{value}',
    en: 'No such assessment template: {value}',
  },
  PERIOD_MISMATCH: {
    status: 400,
    zh: '期别 {value} 与模板的周期不符，应写作 {expected}',
    en: 'The period {value} does not fit the template, write it as {expected}',
  },
  ASSESSMENT_EXISTS: {
    status: 409,
    zh: '该期研判已存在：{value}',
    en: 'This period already has its assessment: {value}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof EXPERTS_ERRORS, ErrorDef> {}
}
