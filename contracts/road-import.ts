/**
 * Why the OSM importer left a way or a turn restriction out, in both languages. The importer records the English
 * text in an import's stats (`droppedWays`, `restrictionsSkipped`); the web shows the reader's language.
 */
type Reasons = Record<string, { en: string; zh: string }>;

export const DROPPED_WAY_REASONS = {
  construction: { en: 'under construction or proposed', zh: '在建或规划中' },
  notMotor: {
    en: 'not a road for motor vehicles (footway, cycleway, path, steps, pedestrian, …)',
    zh: '非机动车道路（人行道、自行车道、小径、台阶、步行街等）',
  },
  area: { en: 'area=yes (a surface, not a road)', zh: 'area=yes（面状区域，不是道路）' },
  impassable: { en: 'impassable=yes', zh: 'impassable=yes（无法通行）' },
  reversible: { en: 'oneway=reversible (direction changes by time)', zh: 'oneway=reversible（分时段改变方向）' },
  noAccess: {
    en: 'closed to cars and emergency vehicles (access tags or class speed 0)',
    zh: '对普通车辆和应急车辆均不开放（通行标签或该等级速度为 0）',
  },
  missingAll: {
    en: 'every node missing from the file (clipped at the extract edge)',
    zh: '所有节点都不在文件中（被数据范围边界截掉）',
  },
  degenerate: { en: 'fewer than two distinct nodes', zh: '不足两个不同节点' },
  missingSome: {
    en: 'partly outside the extract: missing nodes and the pieces beyond them dropped',
    zh: '部分在数据范围外：缺失的节点及其以外部分已舍弃',
  },
} as const satisfies Reasons;

export const SKIPPED_RESTRICTION_REASONS = {
  conditional: {
    en: 'restriction:conditional (valid at some times only; not modelled)',
    zh: 'restriction:conditional（仅部分时段有效，暂不建模）',
  },
  otherVehicles: {
    en: 'for other vehicles only (restriction:hgv, restriction:bus, …)',
    zh: '仅针对其他车辆（货车、公交等）',
  },
  onRed: {
    en: '*_on_red (about turning on a red light, not a turn ban)',
    zh: '*_on_red（红灯时转向规定，并非禁止转向）',
  },
  unknownValue: { en: 'unknown restriction value', zh: '无法识别的限制值' },
  exceptCars: { en: 'except=motorcar (does not bind cars)', zh: 'except=motorcar（不约束小汽车）' },
  badMembers: { en: 'missing or invalid from/via/to members', zh: 'from/via/to 成员缺失或无效' },
  manyFromTo: {
    en: 'several from or to ways (valid only for no_entry: several from, no_exit: several to)',
    zh: '多个 from 或 to 道路（仅 no_entry 可有多个 from、no_exit 可有多个 to）',
  },
  wayMissing: {
    en: 'from, via or to way is missing from the file or not drivable',
    zh: 'from、via 或 to 道路不在文件中或不可通行',
  },
  viaMissing: { en: 'via node is not on the road network', zh: 'via 节点不在路网上' },
  notTouching: { en: 'from or to way does not touch the via node', zh: 'from 或 to 道路未经过 via 节点' },
  viaNotConnected: {
    en: 'the via ways do not connect the from way to the to way',
    zh: 'via 道路未连接 from 道路与 to 道路',
  },
  ambiguous: { en: 'ambiguous: a way runs through the via node', zh: '有歧义：道路穿过 via 节点' },
} as const satisfies Reasons;

type English<T extends Reasons> = { [K in keyof T]: T[K]['en'] };
export function englishOf<T extends Reasons>(reasons: T): English<T> {
  return Object.fromEntries(Object.entries(reasons).map(([k, v]) => [k, v.en])) as English<T>;
}

const ZH_OF_EN = new Map<string, string>(
  [...Object.values(DROPPED_WAY_REASONS), ...Object.values(SKIPPED_RESTRICTION_REASONS)].map((r) => [r.en, r.zh]),
);

/** A reason recorded in an import's stats, in the reader's language (unknown texts as recorded). */
export function importReason(en: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? (ZH_OF_EN.get(en) ?? en) : en;
}
