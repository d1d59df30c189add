import { defineErrors, type ErrorDef } from '../../errors.ts';

/** Relief plans' refusals (part B); the field names the offending entry (`needs.5.placeId`). */
export const PLAN_ERRORS = defineErrors('logistics', {
  PLAN_UNKNOWN_PLACE: {
    status: 400,
    zh: '{field}：计划的受灾地点中没有 {value}',
    en: '{field}: no affected place of the plan has the id {value}',
  },
  PLAN_DUPLICATE_PLACE: {
    status: 400,
    zh: '{field}：地点编号 {value} 重复',
    en: '{field}: the place id {value} is given twice',
  },
  PLAN_UNKNOWN_WAREHOUSE: {
    status: 400,
    zh: '{field}：没有在用的仓库 {value}',
    en: '{field}: no active warehouse has the id {value}',
  },
  PLAN_NO_NEED: {
    status: 400,
    zh: '没有需求可算：请给出 needs，或填写地点人数 people（按救灾定额计算{items}）',
    en: 'Nothing is needed: give needs, or the places’ people to count them by the relief norms{items}',
  },
  PLAN_TOO_LARGE: {
    status: 400,
    zh: '仓库 {warehouses} 个 × 地点 {places} 个超过一次计算的上限 {max} 对：请缩小仓库范围（warehouseIds）或分批计算',
    en: '{warehouses} warehouses × {places} places exceed the {max} pairs one plan may compute: name fewer warehouses (warehouseIds) or plan in parts',
  },
});

declare module '../../errors.ts' {
  interface ErrorCodes extends Record<keyof typeof PLAN_ERRORS, ErrorDef> {}
}
