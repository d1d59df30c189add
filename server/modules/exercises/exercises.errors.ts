import { defineErrors, type ErrorDef } from '../../errors.ts';

export const EXERCISES_ERRORS = defineErrors('exercises', {
  EXERCISE_STATUS: {
    status: 409,
    zh: '演练当前状态为“{status}”，不能{action}',
    en: 'The exercise is {status}: it cannot be {action}',
  },
  EXERCISE_NOT_DRAFT: {
    status: 409,
    zh: '演练已开始，导调脚本不能再修改（结束后可填写评估）',
    en: 'The exercise has started: its injects can no longer change (the evaluation can, once it ends)',
  },
  EXERCISE_NO_INJECTS: {
    status: 409,
    zh: '演练没有任何导调事项（注入），不能开始',
    en: 'The exercise has no injects to play: it cannot start',
  },
  INJECT_PLAYED: {
    status: 409,
    zh: '该导调事项已于 {at} 播放',
    en: 'The inject was played already, at {at}',
  },
  INJECT_PAYLOAD: {
    status: 400,
    zh: '导调事项“{title}”的内容不完整：{reason}',
    en: 'The inject “{title}” is incomplete: {reason}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof EXERCISES_ERRORS, ErrorDef> {}
}
