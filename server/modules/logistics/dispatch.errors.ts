/** Refusals of norms, gaps and dispatch orders (part C of the logistics module). */
import { defineErrors, type ErrorDef } from '../../errors.ts';

export const DISPATCH_ERRORS = defineErrors('logistics', {
  NORM_DUPLICATE: {
    status: 400,
    zh: '{field} 重复：{value} 已在前面出现',
    en: '{field} repeats {value}, which an earlier entry already has',
  },
  NORM_UNKNOWN_ITEM: {
    status: 400,
    zh: '{field} 不是 GB/T 38565 代码或其下的本地代码：{value}',
    en: '{field} is not a GB/T 38565 code nor a local code under one: {value}',
  },
  NORM_UNKNOWN_DISTRICT: {
    status: 400,
    zh: '{field} 不是本市或区市（功能区）的单位代码：{value}',
    en: '{field} is not the code of the city, a district or a zone: {value}',
  },
  NORM_BASIS_REQUIRED: {
    status: 400,
    zh: '{field}：未标为假设的定额须写明依据',
    en: '{field}: a norm not marked as an assumption must name its basis',
  },
  ORDERS_EXIST: {
    status: 409,
    zh: '该方案已生成调运单（{count} 张），不能重复生成',
    en: 'This plan has its dispatch orders already ({count}); they are made once',
  },
  PLAN_NOTHING_TO_SHIP: {
    status: 409,
    zh: '该方案没有任何调运（全部为未满足需求），无法生成调运单',
    en: 'This plan ships nothing (every need is unmet): there are no orders to make',
  },
  ORDER_STATE_STEP: {
    status: 409,
    zh: '调运单状态为{from}，不能改为{to}（可改为：{allowed}）',
    en: 'The order is {from}; it cannot become {to} (it may become: {allowed})',
  },
  RECEIVED_BY_REQUIRED: {
    status: 400,
    zh: '送达须填写签收人（receivedBy）',
    en: 'Delivery needs the name of who signed for it (receivedBy)',
  },
  CANCEL_NOTE_REQUIRED: {
    status: 400,
    zh: '取消已装车的调运单须在 note 中说明原因和货物去向（已出库物资须另行办理入库退回）',
    en: 'Cancelling a loaded order needs a note saying why and where the goods are (issued stock is received back by a receipt)',
  },
  PROOF_FILE_NOT_OF_ORDER: {
    status: 400,
    zh: '{field} 不是本调运单上传的文件',
    en: '{field} is not a file uploaded to this order',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof DISPATCH_ERRORS, ErrorDef> {}
}
