/** The Weihai demo's incidents: about twenty of the past year, of every category, several levels and stages. */
import type { IncidentInput, Status } from '../../../contracts/incidents.ts';
import { TRANSITIONS } from '../../../contracts/incidents.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { listDemoTitles } from './incidents.repository.ts';
import {
  committed,
  type IncidentDeps,
  type PreparedIncident,
  prepareIncident,
  transitionIncident,
  updateIncident,
  writeIncident,
} from './incidents.service.ts';

interface DemoIncident {
  daysAgo: number;
  hour: number;
  input: Omit<IncidentInput, 'occurredAt'>;
  status: Status;
  override?: { level: 'I' | 'II' | 'III' | 'IV'; reason: string };
}

const p = (lng: number, lat: number) => ({ type: 'Point' as const, coordinates: [lng, lat] });

/** About twenty incidents of the past year, of different types, levels, districts and stages. */
const INCIDENTS: DemoIncident[] = [
  {
    daysAgo: 350,
    hour: 14,
    status: 'closed',
    input: {
      title: '台风“利奇马”外围影响环翠区沿海',
      typeCode: '11B01',
      location: p(122.135, 37.52),
      address: '环翠区海滨北路沿线',
      casualties: { relocated: 12000, affected: 45000 },
      directLossWan: 3200,
      reporter: { name: '市气象台', unit: '市气象局', phone: '06315200001' },
    },
  },
  {
    daysAgo: 320,
    hour: 9,
    status: 'closed',
    input: {
      title: '文登区危险化学品储罐泄漏',
      typeCode: '12D02',
      location: p(122.06, 37.19),
      address: '文登区经济开发区化工园',
      casualties: { seriouslyInjured: 2, injured: 5 },
      directLossWan: 260,
      reporter: { name: '刘安全', unit: '某化工企业', phone: '13806311111' },
    },
  },
  {
    daysAgo: 300,
    hour: 22,
    status: 'closed',
    input: {
      title: '荣成海域渔船碰撞事故',
      typeCode: '12J01',
      location: p(122.55, 37.16),
      address: '荣成市石岛港外海域',
      casualties: { deaths: 3, missing: 1 },
      directLossWan: 480,
      reporter: { name: '值班员', unit: '威海海事局', phone: '06315200002' },
    },
  },
  {
    daysAgo: 280,
    hour: 7,
    status: 'closed',
    input: {
      title: '乳山市暴雨致城区内涝',
      typeCode: '11B03',
      location: p(121.54, 36.92),
      address: '乳山市城区胜利街一带',
      casualties: { relocated: 3500, affected: 20000 },
      directLossWan: 1500,
      reporter: { name: '防汛办', unit: '乳山市应急局', phone: '06316600001' },
    },
  },
  {
    daysAgo: 250,
    hour: 16,
    status: 'closed',
    input: {
      title: '环翠区高层住宅火灾',
      typeCode: '12G04',
      location: p(122.1, 37.49),
      address: '环翠区文化西路某小区',
      casualties: { deaths: 1, injured: 6 },
      directLossWan: 120,
      reporter: { name: '119 指挥中心', unit: '市消防救援支队', phone: '119' },
    },
  },
  {
    daysAgo: 230,
    hour: 11,
    status: 'closed',
    input: {
      title: '威青高速文登段多车相撞',
      typeCode: '12H02',
      location: p(121.95, 37.16),
      address: '威青高速文登段',
      casualties: { deaths: 10, seriouslyInjured: 12, injured: 20 },
      directLossWan: 900,
      reporter: { name: '高速交警', unit: '市公安局', phone: '122' },
    },
  },
  {
    daysAgo: 200,
    hour: 3,
    status: 'recovering',
    input: {
      title: '荣成市大风致养殖设施受损',
      typeCode: '11B06',
      location: p(122.45, 37.13),
      address: '荣成市沿海养殖区',
      casualties: { affected: 3000 },
      directLossWan: 2100,
      reporter: { name: '海洋发展局值班', unit: '市海洋发展局', phone: '06315200003' },
    },
  },
  {
    daysAgo: 180,
    hour: 10,
    status: 'closed',
    input: {
      title: '乳山市学校食堂疑似食物中毒',
      typeCode: '13B03',
      location: p(121.52, 36.9),
      address: '乳山市某中学',
      casualties: { injured: 23 },
      reporter: { name: '校医', unit: '某中学', phone: '13906312222' },
    },
    override: { level: 'IV', reason: '经卫健委会商研判，按一般级别处置' },
  },
  {
    daysAgo: 160,
    hour: 15,
    status: 'closed',
    input: {
      title: '环翠区建筑工地塔吊倒塌',
      typeCode: '12C01',
      location: p(122.06, 37.47),
      address: '环翠区张村镇某工地',
      casualties: { deaths: 2, seriouslyInjured: 1 },
      directLossWan: 300,
      reporter: { name: '项目经理', unit: '某建筑公司', phone: '13906313333' },
    },
  },
  {
    daysAgo: 140,
    hour: 13,
    status: 'closed',
    input: {
      title: '文登区山林火情',
      typeCode: '11G01',
      location: p(121.93, 37.12),
      address: '文登区界石镇山林',
      casualties: { relocated: 200 },
      directLossWan: 80,
      reporter: { name: '护林员', unit: '市林业局', phone: '13906314444' },
    },
  },
  {
    daysAgo: 120,
    hour: 8,
    status: 'closed',
    input: {
      title: '荣成市冷库氨泄漏',
      typeCode: '12D04',
      location: p(122.4, 37.17),
      address: '荣成市某水产冷库',
      casualties: { deaths: 3, seriouslyInjured: 8 },
      directLossWan: 650,
      reporter: { name: '企业值班', unit: '某水产公司', phone: '13906315555' },
    },
  },
  {
    daysAgo: 100,
    hour: 18,
    status: 'closed',
    input: {
      title: '环翠区电梯困人事故',
      typeCode: '12N04',
      location: p(122.12, 37.51),
      address: '环翠区某商场',
      casualties: { injured: 1 },
      reporter: { name: '商场保安', unit: '某商场', phone: '13906316666' },
    },
  },
  {
    daysAgo: 80,
    hour: 5,
    status: 'closed',
    input: {
      title: '乳山近海赤潮',
      typeCode: '11E05',
      location: p(121.6, 36.82),
      address: '乳山市银滩近岸海域',
      casualties: { affected: 800 },
      directLossWan: 450,
      reporter: { name: '海洋监测站', unit: '市海洋发展局', phone: '06315200004' },
    },
  },
  {
    daysAgo: 60,
    hour: 20,
    status: 'recovering',
    input: {
      title: '文登区暴雪致道路结冰多车受阻',
      typeCode: '11B04',
      location: p(122.05, 37.21),
      address: '文登区 S202 省道',
      casualties: { injured: 4, relocated: 600 },
      directLossWan: 300,
      reporter: { name: '公路中心', unit: '市公路发展中心', phone: '06315200005' },
    },
  },
  {
    daysAgo: 45,
    hour: 12,
    status: 'responding',
    input: {
      title: '海上溢油（船舶燃油舱破损）',
      typeCode: '12Q04',
      location: p(122.3, 37.45),
      address: '刘公岛东北海域（市外海域）',
      casualties: {},
      directLossWan: 1200,
      reporter: { name: '海事值班', unit: '威海海事局', phone: '06315200006' },
    },
  },
  {
    daysAgo: 30,
    hour: 9,
    status: 'responding',
    input: {
      title: '荣成市化工企业爆炸',
      typeCode: '12D01',
      location: p(122.43, 37.15),
      address: '荣成市某化工企业',
      casualties: { deaths: 4, seriouslyInjured: 15, injured: 30 },
      directLossWan: 5200,
      reporter: { name: '企业安全员', unit: '某化工企业', phone: '13906317777' },
    },
  },
  {
    daysAgo: 14,
    hour: 17,
    status: 'verified',
    input: {
      title: '乳山市群体性聚集',
      typeCode: '14A02',
      location: p(121.53, 36.91),
      address: '乳山市政府门前',
      casualties: {},
      reporter: { name: '派出所', unit: '市公安局', phone: '110' },
    },
  },
  {
    daysAgo: 7,
    hour: 10,
    status: 'verified',
    input: {
      title: '环翠区流感样病例聚集',
      typeCode: '13A07',
      location: p(122.09, 37.5),
      address: '环翠区某小学',
      casualties: { injured: 15 },
      reporter: { name: '疾控中心', unit: '市卫生健康委', phone: '06315200007' },
    },
  },
  {
    daysAgo: 2,
    hour: 6,
    status: 'responding',
    input: {
      title: '文登区水库堤防渗漏险情',
      typeCode: '11A04',
      location: p(121.99, 37.13),
      address: '文登区米山水库',
      casualties: { relocated: 1500 },
      directLossWan: 200,
      reporter: { name: '水库管理处', unit: '市水务局', phone: '06315200008' },
    },
  },
  {
    daysAgo: 0,
    hour: 1,
    status: 'reported',
    input: {
      title: '荣成市道路车辆坠沟',
      typeCode: '12H03',
      location: p(122.36, 37.1),
      address: '荣成市崖头街道',
      casualties: { deaths: 1, seriouslyInjured: 2 },
      directLossWan: 30,
      reporter: { name: '过路司机', unit: '', phone: '13906318888' },
    },
  },
];

/**
 * Loads the demo incidents; deterministic, and what exists is kept (an interrupted load is finished). The reports are
 * written in one transaction (a first start on a busy machine waited for each one); overrides and status changes
 * then go through the service as a duty officer's would.
 */
export async function loadIncidentDemo(deps: IncidentDeps, ctx: RequestCtx): Promise<string> {
  const now = deps.clock.now();
  const day = 86_400_000;
  const existing = new Set(await listDemoTitles(deps.db.kysely));
  const missing = INCIDENTS.filter((d) => !existing.has(d.input.title));
  const prepared: PreparedIncident[] = [];
  for (const d of missing) {
    // Times are in Asia/Shanghai (UTC+8), `daysAgo` whole days before today.
    const base = new Date(now.getTime() - d.daysAgo * day);
    const occurred = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate(), d.hour - 8, 17));
    const occurredAt = occurred > now ? new Date(now.getTime() - 3600_000) : occurred;
    const input = {
      ...d.input,
      occurredAt: occurredAt.toISOString(),
      reportedAt: new Date(occurredAt.getTime() + 25 * 60_000).toISOString(),
    };
    prepared.push(await prepareIncident(deps, ctx, input, now));
  }
  const written = await deps.db.transaction(async (trx) => {
    const out = [];
    for (const r of prepared) out.push(await writeIncident(deps, trx, ctx, r, now, { demo: true }));
    return out;
  });
  committed(deps);
  for (const [k, d] of missing.entries()) {
    let inc = written[k];
    if (d.override)
      inc = await updateIncident(deps, ctx, inc.id, { level: d.override.level, levelReason: d.override.reason });
    // Walk the status forward through the allowed transitions, as duty officers would have.
    const path = ['reported', 'verified', 'responding', 'recovering', 'closed'] as Status[];
    for (const s of path.slice(1, path.indexOf(d.status) + 1)) {
      if (!TRANSITIONS[inc.status].includes(s)) break;
      inc = await transitionIncident(deps, ctx, inc.id, { to: s, note: '演示数据' });
    }
  }
  return `demo incidents: ${INCIDENTS.length}`;
}
