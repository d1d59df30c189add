import { defineErrors, type ErrorDef } from '../../errors.ts';

export const COMMAND_ERRORS = defineErrors('command', {
  PLAN_WITHOUT_OWNER: {
    status: 409,
    zh: '该预案未登记责任单位，无法下达修订任务',
    en: 'The plan has no owner unit to give the revision task to',
  },
  UNKNOWN_HAZARD_CODE: {
    status: 400,
    zh: '不是 GB/T 35561 的事件类型编码：{value}',
    en: 'Not a GB/T 35561 incident type code: {value}',
  },
  UNKNOWN_DISTRICT: {
    status: 400,
    zh: '不是区市代码：{value}',
    en: 'Not a district code: {value}',
  },
  DUPLICATE_LEVEL: {
    status: 400,
    zh: '响应级别 {value} 重复出现',
    en: 'The response level {value} appears twice',
  },
  DIGITAL_PLAN_INCOMPLETE: {
    status: 400,
    zh: '数字化预案须同时有启动条件和至少一个响应级别的行动',
    en: 'A digital plan needs both its activation criteria and the actions of at least one response level',
  },
  PLAN_STATUS_TRANSITION: {
    status: 409,
    zh: '预案状态不能从“{from}”改为“{to}”',
    en: 'A plan cannot go from {from} to {to}',
  },
  PLAN_RETIRED: {
    status: 409,
    zh: '预案已废止，不能修改',
    en: 'The plan is retired and cannot be changed',
  },
  PLAN_NOT_ACTIVATABLE: {
    status: 409,
    zh: '只有已批准的数字化预案可以启动',
    en: 'Only an approved digital plan can be activated',
  },
  PLAN_LEVEL_UNDEFINED: {
    status: 400,
    zh: '预案没有 {value} 级响应的行动',
    en: 'The plan has no actions for response level {value}',
  },
  PLAN_ALREADY_ACTIVE: {
    status: 409,
    zh: '该预案已在此事件上启动',
    en: 'This plan is active on this incident already',
  },
  ACTIVATION_ENDED: {
    status: 409,
    zh: '该预案响应已结束',
    en: 'This response has ended',
  },
  ACTIVATION_SAME_LEVEL: {
    status: 409,
    zh: '响应级别已是 {value} 级',
    en: 'The response is at level {value} already',
  },
  TASK_CLOSED: {
    status: 409,
    zh: '任务已{value}，不能再修改',
    en: 'The task is {value} and cannot be changed',
  },
  ASSIGNEE_NOT_IN_UNIT: {
    status: 400,
    zh: '负责人须是任务所属单位（{value}）的用户',
    en: "The assignee must be a user of the task's unit ({value})",
  },
  CHECKLIST_LENGTH: {
    status: 400,
    zh: '检查项应有 {value} 项',
    en: 'The checklist has {value} items',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof COMMAND_ERRORS, ErrorDef> {}
}
