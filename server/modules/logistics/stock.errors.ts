import { defineErrors, type ErrorDef } from '../../errors.ts';

/** Part A's refusals: the catalogue, warehouses and stock. */
export const STOCK_ERRORS = defineErrors('logistics', {
  SUPPLY_UNKNOWN_CODE: {
    status: 400,
    zh: '不是 GB/T 38565-2020 物资编码，也不是物资目录中的本地物资：{value}',
    en: 'Neither a GB/T 38565-2020 supply code nor a local item of the catalogue: {value}',
  },
  SUPPLY_LOCAL_BASE: {
    status: 400,
    zh: '本地物资编码须写在一个 GB/T 38565-2020 编码之下（如 1120100-12）：{value} 的前七位不是标准编码',
    en: 'A local item code stands under a GB/T 38565-2020 code (e.g. 1120100-12): the first seven digits of {value} are not one',
  },
  SUPPLY_NAME_REQUIRED: {
    status: 400,
    zh: '本地物资须填写名称',
    en: 'A local item needs its name',
  },
  WAREHOUSE_AGREEMENT_REQUIRED: {
    status: 400,
    zh: '{type}须填写协议：协议单位、响应时间和承诺的物资',
    en: 'A {type} needs its agreement: the partner, the lead time and the items committed',
  },
  WAREHOUSE_AGREEMENT_NOT_ALLOWED: {
    status: 400,
    zh: '只有企业协议储备和产能储备有协议，{type}没有',
    en: 'Only enterprise agreements and production capacity have an agreement, a {type} has none',
  },
  WAREHOUSE_AGREEMENT_DUPLICATE: {
    status: 400,
    zh: '协议中物资 {value} 重复出现',
    en: 'The agreement lists item {value} twice',
  },
  WAREHOUSE_COMMITMENT_CALLED: {
    status: 409,
    zh: '{item} 已调用 {called}，承诺数量不能少于已调用数量',
    en: '{item}: {called} already called, the commitment cannot be less',
  },
  WAREHOUSE_TYPE_HAS_STOCK: {
    status: 409,
    zh: '仓库仍有库存，不能改为协议或产能储备：请先调出或核销库存',
    en: 'The warehouse holds stock and cannot become an agreement or capacity reserve: transfer or write it off first',
  },
  WAREHOUSE_INACTIVE: {
    status: 409,
    zh: '仓库已停用：{name}',
    en: 'The warehouse is no longer in use: {name}',
  },
  WAREHOUSE_NO_STOCK_KEPT: {
    status: 409,
    zh: '{type}不在本系统保管实物库存：其供应能力是协议承诺的数量（在仓库的协议中维护）',
    en: "A {type} keeps no stock here: what it supplies is its agreement's committed quantities (kept in the agreement)",
  },
  STOCK_SHORT: {
    status: 409,
    zh: '{item}不足：需要 {requested} {unit}，可用 {available} {unit}{extra}，整单未办理',
    en: '{item} short: {requested} {unit} needed, {available} {unit} available{extra}; nothing was moved',
  },
  STOCK_UNKNOWN_BATCH: {
    status: 400,
    zh: '该仓库没有 {item} 的批次 {batch}',
    en: 'The warehouse has no batch {batch} of {item}',
  },
  STOCK_BATCH_EXPIRY_MISMATCH: {
    status: 409,
    zh: '批次 {batch} 已登记有效期至 {had}，与本次的 {given} 不符：不同有效期请用不同批号',
    en: 'Batch {batch} is recorded as expiring on {had}, not {given}: another expiry needs another batch number',
  },
  STOCK_RECEIPT_EXPIRED: {
    status: 400,
    zh: '有效期 {value} 已过，过期物资不能入库',
    en: 'The expiry {value} has passed: expired goods are not received',
  },
  STOCK_SAME_WAREHOUSE: {
    status: 400,
    zh: '调入仓库不能是调出仓库',
    en: 'A transfer goes to another warehouse',
  },
  STOCK_DUPLICATE_LINE: {
    status: 400,
    zh: '同一物资的同一批次出现了两次：{item} 批次 {batch}',
    en: 'The same batch is listed twice: {item}, batch {batch}',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof STOCK_ERRORS, ErrorDef> {}
}
