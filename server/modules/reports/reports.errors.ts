import { defineErrors, type ErrorDef } from '../../errors.ts';

export const REPORT_ERRORS = defineErrors('reports', {
  REPORT_EXISTS: {
    status: 409,
    zh: '该事件的{value}已起草，请编辑现有报告',
    en: 'The {value} of this incident is drafted already: edit it',
  },
  NO_OPEN_SLOT: {
    status: 409,
    zh: '当前没有待起草的{value}',
    en: 'No {value} is waiting to be drafted now',
  },
  FINAL_BEFORE_CLOSE: {
    status: 409,
    zh: '事件关闭后才能起草终报',
    en: 'The final report is drafted once the incident is closed',
  },
  NOTHING_TO_ISSUE: {
    status: 409,
    zh: '报告自上次报送后没有修改，无需再次报送',
    en: 'The report has not changed since it was last issued',
  },
  SECTIONS_EMPTY: {
    status: 400,
    zh: '报送前请填写“基本情况”',
    en: 'Fill in the basic facts before issuing',
  },
  NO_SUCH_VERSION: {
    status: 404,
    zh: '报告没有第 {value} 版',
    en: 'The report has no version {value}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof REPORT_ERRORS, ErrorDef> {}
}
