/**
 * The demo's hidden dangers and inspections (invented, Weihai-like, flagged demo): about sixty over the demo
 * enterprises of the safety module (and some in public places), found over the last ten months, taken through the
 * real steps at their own (past) times, so every state, overdue ones, the dashboard's trend and ages have data.
 */
import type { DangerCategory, DangerGrade, DangerSource } from '../../../contracts/dangers.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import * as repo from './dangers.repository.ts';
import { createDanger, type DangersDeps, takeStep } from './dangers.service.ts';
import { createInspection } from './inspections.service.ts';

const DAY = 86_400_000;

const TITLES: [DangerCategory, string][] = [
  ['equipment', '液氨储罐区可燃气体报警器失效'],
  ['equipment', '压力容器安全阀超期未校验'],
  ['equipment', '起重机械限位器损坏'],
  ['equipment', '配电箱未设置漏电保护'],
  ['behaviour', '动火作业未办理作业票'],
  ['behaviour', '受限空间作业未检测气体'],
  ['behaviour', '高处作业未系安全带'],
  ['management', '安全生产责任制未更新'],
  ['management', '特种作业人员证书过期'],
  ['management', '应急预案未按期演练'],
  ['environment', '车间通道堆放杂物'],
  ['environment', '危化品仓库通风不良'],
  ['fire', '消防通道被占用'],
  ['fire', '灭火器压力不足'],
  ['fire', '疏散指示标志损坏'],
  ['other', '厂区围墙局部坍塌'],
];
const PUBLIC: [DangerCategory, string, string][] = [
  ['environment', '人行道井盖缺失', '371002'],
  ['fire', '老旧小区楼道堆放杂物', '371002'],
  ['environment', '海边栈道护栏松动', '371082'],
  ['other', '广告牌支架锈蚀', '371003'],
  ['environment', '山体边坡落石', '371083'],
  ['fire', '农贸市场电线私拉乱接', '371082'],
];

type Target = 'found' | 'assigned' | 'rectifying' | 'submitted' | 'returned' | 'verified' | 'closed' | 'cancelled';
// about 60: closed the most, then open ones in every state
const TARGETS: Target[] = [
  ...Array<Target>(22).fill('closed'),
  ...Array<Target>(3).fill('verified'),
  ...Array<Target>(6).fill('submitted'),
  ...Array<Target>(3).fill('returned'),
  ...Array<Target>(10).fill('rectifying'),
  ...Array<Target>(6).fill('assigned'),
  ...Array<Target>(6).fill('found'),
  ...Array<Target>(3).fill('cancelled'),
];

/** a small deterministic generator: the demo is the same at every load */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const day = (t: number) => cityDate(t);

export async function loadDangersDemo(deps: DangersDeps): Promise<string | undefined> {
  const had = await repo.listDangers(deps.db.kysely, null, {}, { limit: 1, offset: 0 });
  if (had.total > 0) return undefined;
  const enterprises = ((await deps.safety()?.listEnterpriseRefs()) ?? []).slice(0, 20);
  const realNow = deps.clock.now().getTime();
  let clock = realNow;
  // the steps happen at their own times: the service reads this clock
  const d: DangersDeps = { ...deps, clock: { now: () => new Date(clock) } };
  const actor = (name: string, unitCode: string | null): RequestCtx => ({
    actor: { kind: 'system', id: null, name, unitCode, scope: 'city', roles: [], permissions: new Set(['*']) },
    requestId: null,
    address: null,
    lang: 'zh',
  });
  const supervisor = actor('市应急管理局 执法人员（演示）', 'yjj');
  const verifier = { ...supervisor, actor: { ...supervisor.actor, id: '00000000-0000-4000-8000-00000000d2a0' } };
  const random = rng(20261207);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;

  // inspections first: their findings are dangers found on the inspection's day
  let inspections = 0;
  const pool: { id: string; grade: DangerGrade; unit: string | null; foundAt: number }[] = [];
  for (const e of enterprises.slice(0, 5)) {
    const ago = 20 + Math.floor(random() * 200);
    clock = realNow - ago * DAY;
    const [c1, t1] = pick(TITLES);
    const [c2, t2] = pick(TITLES);
    const i = await createInspection(
      d,
      supervisor,
      {
        enterpriseId: e.id,
        date: day(clock),
        inspectorNames: ['王建华（演示）', '李明（演示）'],
        kind: pick(['routine', 'special'] as const),
        basis: '《中华人民共和国安全生产法》；《山东省生产安全事故隐患排查治理办法》',
        findings: [
          { description: t1, category: c1, grade: 'general', location: '生产区', legalBasis: '安全生产法第四十一条' },
          { description: t2, category: c2, grade: random() < 0.3 ? 'major' : 'general', location: '仓储区' },
        ],
        conclusion: '责令限期整改（演示数据）',
      },
      { demo: true },
    );
    inspections++;
    for (const f of i.findings) pool.push({ id: f.dangerId, grade: f.grade, unit: e.unitCode, foundAt: clock });
  }
  // reports of every source, on the enterprises and in public places
  while (pool.length < TARGETS.length) {
    const n = pool.length;
    const publicPlace = enterprises.length === 0 || n % 6 === 5;
    const ago = 2 + Math.floor(random() * 300);
    clock = realNow - ago * DAY;
    const grade: DangerGrade = random() < 0.15 ? 'major' : 'general';
    if (publicPlace) {
      const [category, title, district] = pick(PUBLIC);
      const r = await createDanger(
        d,
        actor('现场巡查员（演示）', 'xfzd'),
        {
          title,
          category,
          grade,
          source: pick(['field', 'hotline'] as DangerSource[]),
          district,
          address: '演示地址',
          description: '演示数据：现场巡查发现。',
        },
        { demo: true },
      );
      pool.push({ id: r.id, grade, unit: null, foundAt: clock });
    } else {
      const e = pick(enterprises);
      const [category, title] = pick(TITLES);
      const r = await createDanger(
        d,
        actor(`${e.name} 安全员（演示）`, e.unitCode),
        { title, category, grade, source: 'self_check', enterpriseId: e.id, description: '演示数据：企业自查发现。' },
        { demo: true },
      );
      pool.push({ id: r.id, grade, unit: e.unitCode, foundAt: clock });
    }
  }

  // each danger taken to its state through the real steps, at times after it was found
  for (const [k, p] of pool.entries()) {
    const target = TARGETS[k % TARGETS.length] as Target;
    if (target === 'found') continue;
    const rectifier = actor('整改责任人（演示）', p.unit ?? 'yjj');
    let at = p.foundAt;
    const step = async (ctx: RequestCtx, action: Parameters<typeof takeStep>[3], body: object, days: number) => {
      at = Math.min(at + days * DAY, realNow - 60_000);
      clock = at;
      const cur = await repo.findDanger(deps.db.kysely, p.id);
      await takeStep(d, ctx, p.id, action, { version: cur?.version ?? 0, ...body } as never);
    };
    if (target === 'cancelled') {
      await step(supervisor, 'cancel', { reason: '与已登记隐患重复（演示）' }, 1);
      continue;
    }
    const days = p.grade === 'major' ? 30 : 15;
    await step(
      supervisor,
      'assign',
      {
        responsiblePerson: '张安全（演示）',
        deadline: day(p.foundAt + days * DAY),
        measures: '制定整改方案，落实资金、人员和时限（演示）',
        ...(p.grade === 'major' ? { funds: 50_000 } : {}),
      },
      1,
    );
    if (target === 'assigned') continue;
    await step(rectifier, 'start', {}, 1);
    if (target === 'rectifying') continue;
    await step(rectifier, 'submit', { note: '已按措施完成整改，附整改照片（演示）' }, days - 4);
    if (target === 'submitted') continue;
    if (target === 'returned') {
      await step(verifier, 'reject', { reason: '整改不彻底，请补充检测记录（演示）' }, 1);
      continue;
    }
    await step(verifier, 'verify', { note: '现场复核合格（演示）' }, 1);
    if (target === 'verified') continue;
    await step(verifier, 'close', { note: '销号（演示）' }, 1);
  }
  return `hidden dangers: ${pool.length} (${inspections} inspections)`;
}
