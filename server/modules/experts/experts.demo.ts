/**
 * The demo's experts: three dozen people of plausible Weihai organisations, made up (names, phones), marked demo;
 * and one periodic assessment made from the monthly template. Deterministic: the same list on every demo install.
 */
import type { ExpertInput } from '../../../contracts/experts.ts';
import { AppError } from '../../errors.ts';
import { systemCtx } from '../../platform/core/context.ts';
import { cityDate } from '../../platform/time.ts';
import { fromTemplate } from './consultations.service.ts';
import { demoExpertsLoaded } from './experts.repository.ts';
import { createExpert, type ExpertsDeps } from './experts.service.ts';

/** organisation, district, the fields its experts serve, their specialities */
const ORGANISATIONS: [string, string | null, string[], string[]][] = [
  ['威海市气象局', null, ['11B01', '11B03', '11B17'], ['暴雨和台风预报', '海雾与大风预报', '短时临近预报']],
  ['威海市水文中心', null, ['11A01', '11A02', '11A51'], ['水文预报', '防洪调度', '山洪预警']],
  ['威海市海洋发展局海洋环境监测中心', null, ['11E02', '11E03', '11E05'], ['风暴潮预报', '海冰与赤潮监测']],
  ['山东省第六地质矿产勘查院', '371002', ['11D00', '11D01', '11D02'], ['地质灾害调查', '崩塌滑坡防治']],
  ['威海市立医院', '371002', ['13A00', '13C00', '12H00'], ['急诊医学', '重症医学', '创伤外科']],
  ['威海市中心医院', '371003', ['13A00', '13F00'], ['感染性疾病', '呼吸与危重症医学']],
  ['威海市疾病预防控制中心', null, ['13A00', '13B00', '13C00'], ['传染病流行病学', '突发公共卫生事件处置']],
  ['哈尔滨工业大学（威海）', '371002', ['12P13', '12J00', '12D00'], ['结构工程', '船舶与海洋工程', '危险化学品安全']],
  ['山东大学（威海）', '371002', ['11E00', '11000'], ['海洋科学', '应急管理']],
  ['威海市建筑设计院有限公司', '371002', ['12P13', '11C00'], ['建筑结构抗震', '房屋安全鉴定']],
  ['威海市特种设备检验研究院', null, ['12N02', '12N05'], ['压力容器', '起重机械']],
  ['国网威海供电公司', null, ['12P08', '12U00'], ['电网抢修', '电力调度']],
  ['威海港集团有限公司', '371002', ['12J00', '11E02'], ['港口安全', '船舶调度']],
  ['威海市森林防火指挥中心', '371003', ['11G01', '11G00'], ['森林火灾扑救', '林火监测']],
];

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '于',
  '姜',
  '丛',
  '曲',
  '鞠',
  '宋',
];
const GIVEN = [
  '建国',
  '海涛',
  '立新',
  '志强',
  '红梅',
  '晓东',
  '春雷',
  '雪梅',
  '国庆',
  '丽华',
  '振华',
  '海燕',
  '文杰',
  '秀英',
  '德胜',
];
const TITLES: ExpertInput['title'][] = ['senior', 'associate_senior', 'associate_senior', 'intermediate'];
const TITLE_TEXT: Record<string, string> = {
  senior: '正高级工程师',
  associate_senior: '高级工程师',
  intermediate: '工程师',
};

export function demoExperts(): ExpertInput[] {
  const out: ExpertInput[] = [];
  let n = 0;
  for (const [organisation, district, fields, specialities] of ORGANISATIONS) {
    const per = specialities.length >= 3 ? 3 : 2;
    for (let i = 0; i < per; i++, n++) {
      const title = TITLES[n % TITLES.length] as ExpertInput['title'];
      out.push({
        name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
        fields: fields.slice(0, 1 + ((n + i) % fields.length)).length
          ? fields.slice(0, 1 + ((n + i) % fields.length))
          : fields,
        speciality: specialities[i % specialities.length] as string,
        title,
        titleText: organisation.includes('医院')
          ? title === 'senior'
            ? '主任医师'
            : '副主任医师'
          : (TITLE_TEXT[title] ?? ''),
        organisation,
        phones: [`1380631${String(1000 + n).padStart(4, '0')}`],
        email: `expert${n + 1}@example.cn`,
        district,
        // one in eight is away: the draw page shows that they are left out
        availability:
          n % 8 === 5
            ? { status: 'unavailable', until: null, reason: '外出培训（演示数据）' }
            : { status: 'available' },
        notes: '演示数据',
      });
    }
  }
  return out;
}

export async function loadExpertsDemo(deps: ExpertsDeps): Promise<string> {
  const ctx = systemCtx();
  const experts = (await demoExpertsLoaded(deps.db.kysely)) ? [] : demoExperts();
  for (const e of experts) {
    const district = e.district && deps.units().has(e.district) ? e.district : null;
    await createExpert(deps, ctx, { ...e, district }, { demo: true });
  }
  const month = cityDate(deps.clock.now()).slice(0, 7);
  try {
    await fromTemplate(deps, ctx, { template: 'monthly_risk', period: month }, { demo: true });
  } catch (err) {
    // loaded by an earlier, interrupted demo load
    if (!(err instanceof AppError && err.code === 'ASSESSMENT_EXISTS')) throw err;
  }
  return `${experts.length} experts, 1 assessment`;
}
