import { AppError, defineErrors, type ErrorDef } from '../../../errors.ts';

/** The refusals of a CAP input; the warnings module answers them as 400 with the reasons, one line per problem. */
export const CAP_ERRORS = defineErrors('warnings', {
  CAP_NOT_XML: {
    status: 400,
    zh: '{field} 不是格式正确的 XML：{first}',
    en: '{field} is not well-formed XML: {first}',
  },
  CAP_DTD_REFUSED: {
    status: 400,
    zh: '{field} 含有 DOCTYPE（文档类型定义）：为安全起见不予处理（第 {line} 行）',
    en: '{field} contains a DOCTYPE (document type definition): refused for safety (line {line})',
  },
  CAP_NOT_CAP: {
    status: 400,
    zh: '{field} 既不是 CAP 预警，也不是 Atom/RSS 订阅源或 EDXL-DE 封装：根元素为 {root}',
    en: '{field} is neither a CAP alert nor an Atom/RSS feed nor an EDXL-DE envelope: its root element is {root}',
  },
  CAP_INVALID: {
    status: 400,
    zh: '{field} 不符合 CAP 规范（{count} 处问题），首个问题：{first}',
    en: '{field} does not follow the CAP specification ({count} problem(s)); the first: {first}',
  },
});

declare module '../../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof CAP_ERRORS, ErrorDef> {}
}

export type CapErrorCode = keyof typeof CAP_ERRORS;

/** A refused CAP input: `reasons` says every problem found, one line each, with its line number where known. */
export class CapRefused extends AppError {
  readonly reasons: string[];
  constructor(code: CapErrorCode, reasons: string[], details: { field?: string; [key: string]: unknown } = {}) {
    const field = details.field ?? 'body';
    super(code, { ...details, field, count: reasons.length, first: reasons[0] ?? '', reasons });
    this.reasons = reasons;
  }
}
