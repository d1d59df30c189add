/**
 * The demo's digital plans of Weihai: the typhoon and storm-surge special plan, the hazardous-chemicals accident
 * plan and the forest fire plan, with level actions for the city's real departments. Demo and approximate: the
 * actions and due minutes are modelled on the customary structure of such plans, not copied from Weihai's texts.
 */
import type { PlanInput, PlanLevel } from '../../../contracts/command.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { demoPlanNames } from './command.repository.ts';
import { createPlan, updatePlan } from './plans.service.ts';
import type { ResponseDeps } from './response.service.ts';

const NOTE = '【演示数据，内容为示意】';

function a(unit: string, title: string, dueMinutes: number, checklist?: string[], detail?: string) {
  return { unit, title, dueMinutes, ...(checklist ? { checklist } : {}), ...(detail ? { detail } : {}) };
}

const typhoonLevels: PlanLevel[] = [
  {
    level: 'I',
    actions: [
      a('yjj', '启动市防指Ⅰ级应急响应，市指挥部进驻指挥中心', 30, [
        '发布启动响应通知',
        '主要领导坐镇指挥',
        '24小时值班',
      ]),
      a('qxj', '滚动发布台风路径和风暴潮预报', 60, ['每小时加密预报', '向市防指专报']),
      a('hyj', '组织渔船回港、渔排人员撤离', 120, ['统计在港/在外渔船', '养殖人员全部上岸']),
      a('hsj', '海上船舶避风与海上搜救待命', 120),
      a('zjj', '停止户外施工，加固塔吊和临时设施', 180),
      a('jtj', '视情况停运客运航线和公交线路', 120),
      a('gaj', '危险区域交通管制，维护转移秩序', 120),
      a('xfzd', '抢险救援力量前置备勤', 60),
      a('wjw', '医疗救护队伍待命，医院做好收治准备', 120),
    ],
  },
  {
    level: 'II',
    actions: [
      a('yjj', '启动市防指Ⅱ级应急响应，会商部署', 60, ['发布启动响应通知', '组织会商']),
      a('qxj', '滚动发布台风路径和风暴潮预报', 60, ['每小时加密预报', '向市防指专报']),
      a('hyj', '组织渔船回港、渔排人员撤离', 180, ['统计在港/在外渔船', '养殖人员全部上岸']),
      a('zjj', '停止户外施工，加固塔吊和临时设施', 240),
      a('xfzd', '抢险救援力量前置备勤', 120),
    ],
  },
  {
    level: 'III',
    actions: [
      a('yjj', '启动市防指Ⅲ级应急响应', 120),
      a('qxj', '滚动发布台风路径和风暴潮预报', 120, ['每3小时预报', '向市防指专报']),
      a('hyj', '通知渔船回港避风', 240),
    ],
  },
  {
    level: 'IV',
    actions: [a('yjj', '启动市防指Ⅳ级应急响应，加强值守', 120), a('qxj', '发布台风消息和风暴潮预报', 180)],
  },
];

const chemicalLevels: PlanLevel[] = [
  {
    level: 'I',
    actions: [
      a('yjj', '成立现场指挥部，报告省应急厅', 30, ['现场指挥部开设', '信息报送']),
      a('xfzd', '危化品专业处置力量出动，侦检堵漏', 15, ['划定警戒区', '侦检', '堵漏/稀释']),
      a('sthjj', '周边大气和水体环境监测', 60, ['布设监测点', '每小时报告数据']),
      a('gaj', '设置警戒区，疏散周边群众', 30),
      a('wjw', '组织医疗救治和中毒人员转运', 30),
      a('hgb', '调集化工专家提供技术支持', 60),
    ],
  },
  {
    level: 'II',
    actions: [
      a('yjj', '成立现场指挥部', 60),
      a('xfzd', '危化品专业处置力量出动，侦检堵漏', 15, ['划定警戒区', '侦检', '堵漏/稀释']),
      a('sthjj', '周边大气和水体环境监测', 90, ['布设监测点', '每小时报告数据']),
      a('wjw', '组织医疗救治和中毒人员转运', 30),
    ],
  },
  {
    level: 'III',
    actions: [
      a('xfzd', '危化品专业处置力量出动，侦检堵漏', 15, ['划定警戒区', '侦检', '堵漏/稀释']),
      a('sthjj', '周边环境监测', 120),
    ],
  },
];

const forestLevels: PlanLevel[] = [
  {
    level: 'II',
    actions: [
      a('lyj', '组织森林消防队伍扑救，开设前线指挥部', 30, ['前线指挥部开设', '划分扑救区段']),
      a('yjj', '调度跨区市增援力量和航空灭火', 60),
      a('qxj', '火场气象保障服务', 60),
      a('gaj', '火场周边交通管制和人员疏散', 60),
      a('wjw', '医疗救护组进驻', 90),
    ],
  },
  {
    level: 'III',
    actions: [a('lyj', '组织森林消防队伍扑救', 30, ['划分扑救区段']), a('qxj', '火场气象保障服务', 90)],
  },
  { level: 'IV', actions: [a('lyj', '属地扑救力量出动，火情核查', 60)] },
];

export async function loadCommandDemo(deps: ResponseDeps): Promise<string> {
  const ctx = systemCtx();
  const plans: { input: PlanInput; approvedOn: string }[] = [
    {
      input: {
        name: '威海市防台风和风暴潮专项应急预案（演示）',
        kind: 'special',
        hazardCodes: ['11B01', '11E02'],
        ownerUnit: 'yjj',
        summary: `${NOTE}台风、风暴潮的分级响应和各部门行动。`,
        activation: { minLevel: 'IV', warningColours: ['blue', 'yellow', 'orange', 'red'] },
        levels: typhoonLevels,
      },
      approvedOn: '2024-05-20',
    },
    {
      input: {
        name: '威海市危险化学品事故应急预案（演示）',
        kind: 'special',
        hazardCodes: ['12D00'],
        ownerUnit: 'yjj',
        summary: `${NOTE}危险化学品泄漏、火灾、爆炸、中毒事故的处置。`,
        activation: { minLevel: 'III' },
        levels: chemicalLevels,
      },
      approvedOn: '2023-09-01',
    },
    {
      input: {
        name: '威海市森林火灾应急预案（演示）',
        kind: 'special',
        hazardCodes: ['11G00'],
        ownerUnit: 'lyj',
        summary: `${NOTE}森林草原火灾的分级扑救。`,
        activation: { minLevel: 'IV', warningColours: ['orange', 'red'] },
        levels: forestLevels,
      },
      approvedOn: '2022-11-10',
    },
  ];
  const had = await demoPlanNames(deps.db.kysely);
  for (const p of plans) {
    if (had.has(p.input.name)) continue;
    const plan = await createPlan(deps, ctx, p.input, { demo: true });
    await updatePlan(deps, ctx, plan.id, {
      version: plan.version,
      status: 'approved',
      approvedOn: p.approvedOn,
      note: '演示数据 / demo',
    });
  }
  return `command: ${plans.length} demo digital plans (approximate)`;
}
