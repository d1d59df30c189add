/**
 * The demo's drills (invented, marked demo): for the demo enterprises of the safety register and the government
 * special/department plans of the command register, drills at dates relative to today so that the compliance page
 * shows every state — done recently (ok), due within the window, overdue, never drilled — plus problems with an
 * overdue improvement action, a problem needing a plan revision (a task on the plan's owner unit), and annual plans.
 */
import type { DrillRecordInput, Participant } from '../../../contracts/drills.ts';
import { addMonths } from '../../../contracts/drills.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import { createDrill, type DrillsDeps, hasDemo } from './drills.service.ts';
import { createPlan } from './plans.service.ts';

const NOTE = '演示数据：虚构的演练记录 / demo data: an invented drill record';

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const PEOPLE: Participant[] = [
  { name: '王立新', role: '总指挥', hours: 3 },
  { name: '李春华', role: '现场处置组', hours: 3 },
  { name: '张海涛', role: '警戒疏散组', hours: 2.5 },
  { name: '刘晓敏', role: '医疗救护组', hours: 2.5 },
  { name: '陈国栋', role: '通讯联络组', hours: 2, attended: false },
  { name: '赵文静', role: '评估组', hours: 3 },
];

export async function loadDrillsDemo(deps: DrillsDeps): Promise<string | undefined> {
  if (await hasDemo(deps)) return undefined;
  const ctx = systemCtx();
  const today = cityDate(deps.clock.now());
  const year = Number(today.slice(0, 4));
  let drills = 0;
  let plans = 0;
  const record = async (input: DrillRecordInput) => {
    await createDrill(deps, ctx, { notes: NOTE, ...input }, { demo: true });
    drills++;
  };
  const enterprises = (await deps.enterprises.list()).filter((e) => e.active).sort((a, b) => a.id.localeCompare(b.id));
  for (const [i, e] of enterprises.entries()) {
    const subject = { kind: 'enterprise' as const, enterpriseId: e.id };
    const participants = PEOPLE.map((p) => ({ ...p, unit: e.name }));
    // the pattern: 0 ok, 1 due soon, 2 overdue, 3 the annual drill overdue, 4 never drilled
    const pattern = i % 5;
    if (pattern === 4) continue;
    const main =
      pattern === 0 ? addDays(today, -40) : pattern === 1 ? addDays(addMonths(today, -6), 15) : addMonths(today, -8);
    let itemId: string | undefined;
    if (pattern === 0 && main.startsWith(String(year))) {
      const plan = await createPlan(
        deps,
        ctx,
        {
          year,
          unit: subject,
          items: [
            {
              month: Number(main.slice(5, 7)),
              title: '危险化学品泄漏综合演练',
              content: 'comprehensive',
              form: 'live',
              planTested: { kind: 'enterprise', planKind: 'comprehensive' },
              topic: '储罐区泄漏',
            },
            {
              month: 11,
              title: '火灾现场处置桌面推演',
              content: 'single',
              form: 'tabletop',
              planTested: { kind: 'enterprise', planKind: 'onsite' },
              topic: '车间火灾',
            },
          ],
        },
        { demo: true },
      );
      plans++;
      itemId = plan.items[0]?.id;
    }
    await record({
      title: `${e.name}${pattern === 3 ? '现场处置' : '综合应急'}演练`,
      date: main,
      startTime: '09:00',
      endTime: '11:30',
      location: `${e.name}厂区`,
      subject,
      planTested: { kind: 'enterprise', planKind: pattern === 3 ? 'onsite' : 'comprehensive' },
      content: pattern === 3 ? 'single' : 'comprehensive',
      form: 'live',
      purpose: 'verification',
      scenario: '储罐区法兰泄漏，现场人员报警、启动应急响应、疏散与堵漏。',
      participants,
      evaluation: {
        score: 70 + i * 3 > 98 ? 90 : 70 + i * 3,
        rating: pattern === 2 ? 'fair' : 'good',
        text: '响应基本及时，通讯联络环节需加强。',
        by: '演练评估组',
        at: main,
      },
      problems:
        pattern === 2 || pattern === 1
          ? [
              {
                description: '应急广播覆盖不到仓库北侧',
                severity: 'major',
                actions: [
                  {
                    description: '增设北侧广播喇叭',
                    ownerName: '李春华',
                    ownerUnit: e.name,
                    deadline: addDays(today, -10),
                  },
                  {
                    description: '修订疏散路线图',
                    ownerName: '张海涛',
                    ownerUnit: e.name,
                    deadline: addDays(today, 20),
                  },
                ],
              },
            ]
          : [],
      planItemId: itemId ?? null,
    });
    if (pattern === 3) {
      await record({
        title: `${e.name}年度综合演练`,
        date: addMonths(today, -13),
        subject,
        planTested: { kind: 'enterprise', planKind: 'comprehensive' },
        content: 'comprehensive',
        form: 'tabletop',
        participants,
      });
    } else {
      await record({
        title: `${e.name}现场处置方案演练`,
        date: main,
        subject,
        planTested: { kind: 'enterprise', planKind: 'onsite' },
        content: 'single',
        form: 'live',
        participants: participants.slice(0, 4),
      });
    }
  }
  const govPlans = (await deps.command().listPlansForCompliance()).filter((p) => p.ownerUnit);
  for (const [j, p] of govPlans.entries()) {
    const unitCode = p.ownerUnit as string;
    const pattern = j % 3;
    // 0: drilled recently (its problems ask for a revision), 1: due soon, 2: overdue
    const date =
      pattern === 0 ? addDays(today, -100) : pattern === 1 ? addDays(addMonths(today, -36), 20) : addMonths(today, -40);
    await record({
      title: `《${p.name}》${pattern === 0 ? '桌面推演' : '实战演练'}`,
      date,
      startTime: '14:00',
      endTime: '17:00',
      location: '威海市应急指挥中心',
      subject: { kind: 'unit', unitCode },
      planTested: { kind: 'command', planId: p.id },
      content: 'comprehensive',
      form: pattern === 0 ? 'tabletop' : 'live',
      purpose: 'verification',
      participants: PEOPLE.map((x) => ({ ...x, unit: deps.units().get(unitCode)?.name ?? '' })),
      evaluation: { score: 82, rating: 'good', by: '市应急管理局评估组', at: date },
      problems:
        pattern === 0
          ? [
              {
                description: '预案中的部门联络表已过时，两个部门电话无人接听',
                severity: 'major',
                needsPlanRevision: true,
                actions: [
                  {
                    description: '更新部门联络表并修订预案附件',
                    ownerUnit: deps.units().get(unitCode)?.name ?? '',
                    deadline: addDays(today, 30),
                  },
                ],
              },
            ]
          : [],
    });
  }
  return `${drills} drills, ${plans} drill plans`;
}
