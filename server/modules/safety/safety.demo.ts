/**
 * The demo's enterprises: forty invented Weihai-like enterprises (names plainly invented, "示例"; credit codes made up
 * with valid GB 32100-2015 check characters; phones invented), marked demo. Some stand in an invented chemical park,
 * some are crowded venues, a few have hazard units (some major hazards) and risk points. The first is the demo
 * enterprise account's own (unit demo-ent-1). Deterministic: the same list on every demo install.
 */
import { withCheckChar } from '../../../contracts/credit-code.ts';
import type {
  EnterpriseInput,
  HazardUnitInput,
  HighRiskCategory,
  Industry,
  RiskPointInput,
} from '../../../contracts/safety.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { demoLoaded } from './enterprises.repository.ts';
import { createEnterprise, today } from './enterprises.service.ts';
import { createHazardUnit } from './hazards.service.ts';
import { createRiskPoint } from './risk-points.service.ts';
import type { SafetyDeps } from './safety.deps.ts';

const PARK = '威海示例化工园区（演示）';

/** district code → a point inside it (approximate) and the division code written into the credit code */
const PLACES: Record<string, { at: [number, number]; div: string }> = {
  '371002': { at: [122.1, 37.49], div: '371002' },
  '371003': { at: [122.05, 37.2], div: '371003' },
  '371082': { at: [122.42, 37.16], div: '371082' },
  '371083': { at: [121.54, 36.92], div: '371083' },
};

/** name, industry, high-risk category, district, crowded, in the park, employees */
type Row = [string, Industry, HighRiskCategory | null, keyof typeof PLACES, boolean, boolean, number];
const ENTERPRISES: Row[] = [
  ['威海某化工有限公司（演示）', 'chemical', 'hazardous_chemicals', '371003', false, true, 260],
  ['威海示例精细化工有限公司', 'chemical', 'hazardous_chemicals', '371003', false, true, 180],
  ['威海示例气体有限公司', 'chemical', 'hazardous_chemicals', '371003', false, true, 60],
  ['文登示例新材料科技有限公司', 'chemical', 'hazardous_chemicals', '371003', false, true, 140],
  ['威海示例涂料有限公司', 'chemical', 'hazardous_chemicals', '371003', false, true, 90],
  ['威海示例油品储运有限公司', 'warehousing_logistics', 'hazardous_chemicals', '371082', false, false, 45],
  ['荣成示例加油站有限公司', 'retail', 'hazardous_chemicals', '371082', false, false, 12],
  ['乳山示例石材开采有限公司', 'mining', 'mines', '371083', false, false, 75],
  ['乳山示例金矿有限公司', 'mining', 'mines', '371083', false, false, 320],
  ['威海示例铸造有限公司', 'metallurgy', 'metal_smelting', '371003', false, false, 210],
  ['荣成示例铝业有限公司', 'metallurgy', 'metal_smelting', '371082', false, false, 150],
  ['威海示例建设工程有限公司', 'construction', 'construction', '371002', false, false, 400],
  ['文登示例建筑安装有限公司', 'construction', 'construction', '371003', false, false, 230],
  ['乳山示例烟花爆竹批发有限公司', 'fireworks', 'fireworks', '371083', false, false, 18],
  ['威海示例轨道交通运营有限公司', 'urban_rail', 'urban_rail', '371002', true, false, 600],
  ['威海示例渔具制造有限公司', 'manufacturing', null, '371002', false, false, 350],
  ['威海示例轮胎有限公司', 'manufacturing', null, '371003', false, false, 900],
  ['荣成示例船舶修造有限公司', 'manufacturing', null, '371082', false, false, 520],
  ['荣成示例水产食品有限公司', 'manufacturing', null, '371082', false, false, 480],
  ['乳山示例纺织有限公司', 'manufacturing', null, '371083', false, false, 260],
  ['威海示例医疗器械有限公司', 'manufacturing', null, '371002', false, false, 700],
  ['威海示例冷链物流有限公司', 'warehousing_logistics', null, '371002', false, false, 85],
  ['文登示例仓储有限公司', 'warehousing_logistics', null, '371003', false, false, 40],
  ['威海示例大酒店有限公司', 'hospitality', null, '371002', true, false, 220],
  ['荣成示例海景酒店有限公司', 'hospitality', null, '371082', true, false, 130],
  ['乳山示例宾馆有限公司', 'hospitality', null, '371083', true, false, 60],
  ['威海示例购物广场有限公司', 'retail', null, '371002', true, false, 380],
  ['文登示例商厦有限公司', 'retail', null, '371003', true, false, 210],
  ['荣成示例超市有限公司', 'retail', null, '371082', true, false, 150],
  ['威海示例影城有限公司', 'entertainment', null, '371002', true, false, 45],
  ['威海示例体育馆运营有限公司', 'entertainment', null, '371002', true, false, 70],
  ['文登示例温泉度假有限公司', 'tourism', null, '371003', true, false, 260],
  ['荣成示例海洋公园有限公司', 'tourism', null, '371082', true, false, 190],
  ['乳山示例景区管理有限公司', 'tourism', null, '371083', true, false, 85],
  ['威海示例职业技术学校', 'education', null, '371002', true, false, 320],
  ['文登示例实验学校', 'education', null, '371003', true, false, 210],
  ['威海示例医院有限公司', 'healthcare', null, '371002', true, false, 880],
  ['荣成示例康复医院', 'healthcare', null, '371082', true, false, 240],
  ['乳山示例港务有限公司', 'warehousing_logistics', null, '371083', false, false, 160],
  ['威海示例印刷有限公司', 'other', null, '371002', false, false, 55],
];

const HAZARD_UNITS: Record<number, HazardUnitInput[]> = {
  0: [
    {
      name: '液氯储罐区',
      kind: 'storage',
      inventories: [{ name: '氯', quantityT: 60 }],
      exposedPopulation: 40,
    },
    {
      name: '甲醇、甲苯罐区',
      kind: 'storage',
      inventories: [
        { name: '甲醇', category: 'W5.2', quantityT: 800 },
        { name: '甲苯', category: 'W5.2', quantityT: 300 },
      ],
      exposedPopulation: 40,
    },
  ],
  1: [
    {
      name: '合成车间',
      kind: 'production',
      inventories: [
        { name: '氨', quantityT: 6 },
        { name: '示例中间体（演示）', category: 'W5.1', quantityT: 3 },
      ],
      exposedPopulation: 12,
    },
  ],
  2: [
    {
      name: '氢气充装站',
      kind: 'production',
      inventories: [{ name: '氢', category: 'W2', quantityT: 8 }],
      exposedPopulation: 0,
    },
    {
      name: '液氧储罐',
      kind: 'storage',
      inventories: [{ name: '氧（压缩的或液化的）', category: 'W4', quantityT: 120 }],
      exposedPopulation: 0,
    },
  ],
  5: [
    {
      name: '成品油储罐区',
      kind: 'storage',
      inventories: [{ name: '汽油（乙醇汽油、甲醇汽油）', category: 'W5.2', quantityT: 5000 }],
      exposedPopulation: 150,
    },
  ],
  6: [
    {
      name: '埋地油罐',
      kind: 'storage',
      inventories: [{ name: '汽油（乙醇汽油、甲醇汽油）', category: 'W5.2', quantityT: 90 }],
      exposedPopulation: 300,
    },
  ],
};

const POINTS: Record<number, RiskPointInput[]> = {
  0: [
    {
      name: '液氯储罐区',
      area: '罐区 A',
      hazard: '液氯储罐泄漏',
      accidentTypes: ['中毒和窒息'],
      method: 'LEC',
      l: 3,
      e: 6,
      c: 40,
      controlMeasures: ['有毒气体检测报警与紧急切断联锁', '事故氯吸收装置', '每班巡检'],
      responsible: [{ name: '于示例', role: '罐区主任', phone: '13906310001' }],
      reviewIntervalDays: 90,
    },
    {
      name: '甲醇装卸站台',
      area: '装卸区',
      hazard: '装卸作业静电引燃',
      accidentTypes: ['火灾', '其他爆炸'],
      method: 'LEC',
      l: 1,
      e: 6,
      c: 40,
      controlMeasures: ['静电接地报警', '装卸作业票'],
      responsible: [{ name: '丛示例', role: '储运班长', phone: '13906310002' }],
      reviewIntervalDays: 180,
    },
    {
      name: '配电室',
      area: '公用工程',
      hazard: '电气火灾',
      accidentTypes: ['火灾', '触电'],
      method: 'LS',
      l: 2,
      s: 4,
      controlMeasures: ['红外测温'],
      responsible: [{ name: '曲示例', role: '电工', phone: '13906310003' }],
      reviewIntervalDays: 365,
    },
  ],
  1: [
    {
      name: '合成反应釜',
      area: '合成车间',
      hazard: '反应失控超温超压',
      accidentTypes: ['容器爆炸', '中毒和窒息'],
      method: 'LS',
      l: 3,
      s: 5,
      controlMeasures: ['温度压力联锁', 'SIS 紧急停车'],
      responsible: [{ name: '姜示例', role: '车间主任', phone: '13906310004' }],
      reviewIntervalDays: 30,
      nextReview: '2026-10-01',
    },
  ],
  9: [
    {
      name: '熔炼炉',
      area: '熔炼车间',
      hazard: '高温熔融金属喷溅',
      accidentTypes: ['灼烫', '其他爆炸'],
      method: 'LEC',
      l: 3,
      e: 6,
      c: 15,
      controlMeasures: ['炉前防护', '冷却水断水报警'],
      reviewIntervalDays: 90,
    },
  ],
  14: [
    {
      name: '站台候车区',
      hazard: '大客流拥挤踩踏',
      accidentTypes: ['其他伤害'],
      method: 'LS',
      l: 2,
      s: 5,
      controlMeasures: ['客流监测', '限流预案'],
      reviewIntervalDays: 90,
    },
  ],
  26: [
    {
      name: '地下停车场',
      hazard: '车辆火灾蔓延',
      accidentTypes: ['火灾'],
      method: 'LS',
      l: 2,
      s: 3,
      controlMeasures: ['自动喷水灭火系统', '排烟系统'],
      reviewIntervalDays: 180,
    },
  ],
};

function phone(i: number): string {
  return `1390631${String(1000 + i).padStart(4, '0')}`;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export async function loadSafetyDemo(deps: SafetyDeps): Promise<string | undefined> {
  if (await demoLoaded(deps.db.kysely)) return undefined;
  const ctx = systemCtx();
  const day = today(deps);
  let units = 0;
  let points = 0;
  for (const [i, [name, industry, high, district, crowded, inPark, employees]] of ENTERPRISES.entries()) {
    const place = PLACES[district] as (typeof PLACES)[string];
    // spread within a few kilometres of the district's point, deterministically
    const dx = ((i * 37) % 11) / 250 - 0.02;
    const dy = ((i * 53) % 13) / 300 - 0.02;
    const park = inPark ? [122.0 + (i % 5) * 0.004, 37.24 + (i % 3) * 0.003] : null;
    const input: EnterpriseInput = {
      name,
      creditCode: withCheckChar(
        `91${place.div}MA3C${String(1000 + i * 7).slice(-4)}${'ABCDEFGHJKLMNPQRTUWXY'[i % 21]}`,
      ),
      industry,
      highRiskCategory: high,
      crowdedVenue: crowded,
      park: inPark ? PARK : null,
      location: { type: 'Point', coordinates: park ?? [place.at[0] + dx, place.at[1] + dy] },
      address: `${name.slice(0, 2)}示例路 ${10 + i} 号（演示）`,
      legalRepresentative: `示例法人${i + 1}`,
      safetyContacts: [{ name: `安全员${i + 1}`, role: '安全管理人员', phone: phone(i) }],
      employees,
      // some expired, some expiring within 30 days, the rest valid, a few not recorded
      insuranceExpiry: i % 9 === 4 ? null : addDays(day, i % 7 === 3 ? -20 : i % 5 === 2 ? 12 : 120 + i * 5),
      automation:
        industry === 'chemical' ? (['complete', 'partial', 'complete', 'none'] as const)[i % 4] : 'not_applicable',
      notes: '演示数据（虚构）',
    };
    const e = await createEnterprise(deps, ctx, input, { demo: true, ...(i === 0 ? { unitCode: 'demo-ent-1' } : {}) });
    for (const u of HAZARD_UNITS[i] ?? []) {
      await createHazardUnit(deps, ctx, e.id, u, { demo: true });
      units++;
    }
    for (const p of POINTS[i] ?? []) {
      await createRiskPoint(deps, ctx, e.id, p, { demo: true });
      points++;
    }
  }
  return `${ENTERPRISES.length} demo enterprises, ${units} hazard units, ${points} risk points`;
}
