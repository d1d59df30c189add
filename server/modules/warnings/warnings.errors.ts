import { defineErrors, type ErrorDef } from '../../errors.ts';

export const WARNING_ERRORS = defineErrors('warnings', {
  WARNING_LIFTED: { status: 409, zh: '该预警已解除', en: 'The warning has been lifted' },
  WARNING_EXERCISE_NOT_PUBLIC: {
    status: 409,
    zh: '演练预警不对外发布（不生成 CAP，不上公众页面）：演练“{exercise}”',
    en: 'A drill warning is never published (no CAP, no public page): exercise “{exercise}”',
  },
  WARNING_AREA_REQUIRED: {
    status: 400,
    zh: '请给出预警区域（多边形）或区市',
    en: 'Give the warning an area (a polygon) or a district',
  },
  WARNING_UNKNOWN_HAZARD: { status: 400, zh: '未知的灾种代码：{value}', en: 'Unknown hazard code: {value}' },
  WARNING_NOT_PUBLISHED: {
    status: 409,
    zh: '该预警尚未签发，没有对外的 CAP 消息',
    en: 'The warning has not been published: there is no public CAP message',
  },
  WARNING_ALREADY_PROMOTED: {
    status: 409,
    zh: '该预警已转为事件 {value}',
    en: 'The warning has already become incident {value}',
  },
  CAP_REFUSED: {
    status: 400,
    zh: 'CAP 文档不合格：{reason}',
    en: 'The CAP document was refused: {reason}',
  },
  CAP_RELAY_ONLY: {
    status: 409,
    zh: '导入的外部预警不能由本系统重新签发（请转发原文）',
    en: 'An imported warning is relayed as received, not issued again by Anlan',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof WARNING_ERRORS, ErrorDef> {}
}
