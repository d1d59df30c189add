import { defineErrors, type ErrorDef } from '../../errors.ts';

/** The safety module's refusals: enterprises, major hazards, risk points. */
export const SAFETY_ERRORS = defineErrors('safety', {
  CREDIT_CODE_INVALID: {
    status: 400,
    zh: '统一社会信用代码 {value} 无效：{reason}',
    en: 'Unified social credit code {value} is not valid: {reason}',
  },
  ENTERPRISE_CREATE_FORBIDDEN: {
    status: 403,
    zh: '企业用户只能维护本企业的信息，不能登记其他企业',
    en: 'An enterprise user maintains their own enterprise and cannot register others',
  },
  ENTERPRISE_FIELD_LOCKED: {
    status: 403,
    zh: '企业用户不能修改{what}：请联系属地应急管理部门',
    en: 'An enterprise user cannot change the {what}: ask the local emergency management bureau',
  },
  ENTERPRISE_UNKNOWN_DISTRICT: {
    status: 400,
    zh: '未知的区市代码：{value}',
    en: 'Unknown district code: {value}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof SAFETY_ERRORS, ErrorDef> {}
}
