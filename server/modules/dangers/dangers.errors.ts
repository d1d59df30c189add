import { defineErrors, type ErrorDef } from '../../errors.ts';

export const DANGERS_ERRORS = defineErrors('dangers', {
  DANGER_BAD_TRANSITION: {
    status: 409,
    zh: '隐患当前为“{state}”，不能“{action}”；可进行的下一步：{allowed}',
    en: 'The danger is {state}: the step “{action}” is not possible; next steps allowed: {allowed}',
  },
  DANGER_VERIFIER_IS_SUBMITTER: {
    status: 403,
    zh: '复核人不能是整改提交人',
    en: 'The verifier cannot be the one who submitted the rectification',
  },
  DANGER_NOT_RESPONSIBLE: {
    status: 403,
    zh: '只有隐患所在企业或责任单位的人员可以整改该隐患',
    en: "Only the danger's enterprise or its responsible unit may rectify it",
  },
  DANGER_NOT_OWN_ENTERPRISE: {
    status: 403,
    zh: '企业用户只能上报本企业的隐患',
    en: "An enterprise user reports its own enterprise's dangers only",
  },
  DANGER_MAJOR_NEEDS: {
    status: 400,
    zh: '重大隐患交办时须写明{what}',
    en: 'A major danger is assigned with its {what}',
  },
  DANGER_DEADLINE_PAST: {
    status: 400,
    zh: '整改期限 {value} 早于发现日期',
    en: 'The deadline {value} is before the day the danger was found',
  },
  DANGER_UNKNOWN_ENTERPRISE: {
    status: 400,
    zh: '企业库中没有该企业：{value}',
    en: 'No such enterprise in the register: {value}',
  },
  DANGER_BAD_EVIDENCE: {
    status: 400,
    zh: '整改佐证照片须先上传到该隐患：{value}',
    en: 'Evidence photos are uploaded to this danger first: {value}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof DANGERS_ERRORS, ErrorDef> {}
}
