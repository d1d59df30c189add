import { defineErrors, type ErrorDef } from '../../errors.ts';

export const DRILLS_ERRORS = defineErrors('drills', {
  ENTERPRISE_PLAN_FOR_UNIT: {
    status: 400,
    zh: '政府单位的演练请选择预案库中的预案，企业预案类别只适用于企业',
    en: "A government unit's drill names a plan of the register; an enterprise plan kind is for enterprises",
  },
  END_BEFORE_START: { status: 400, zh: '结束时间早于开始时间', en: 'The end time is before the start time' },
  PLAN_ITEM_UNKNOWN: {
    status: 400,
    zh: '该演练计划项不存在或不属于本演练对象',
    en: "The drill plan item does not exist or is not the subject's",
  },
  DRILL_PLAN_EXISTS: {
    status: 409,
    zh: '{value} 年的演练计划已存在',
    en: 'A drill plan for {value} exists already',
  },
  NO_REVISION_PROBLEMS: {
    status: 409,
    zh: '没有标记“需修订预案”的问题，或演练未针对预案库中的预案',
    en: 'No problem is marked "needs plan revision", or the drill did not test a plan of the register',
  },
  DUPLICATE_RULE: { status: 400, zh: '规则 {value} 重复', en: 'The rule {value} appears twice' },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof DRILLS_ERRORS, ErrorDef> {}
}
