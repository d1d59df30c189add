/**
 * The periodic risk-situation assessment templates every installation starts with (an administrator edits them):
 * monthly, quarterly, before holidays and before the flood season. Their due days are assumptions of common practice
 * in Chinese emergency management offices, not rules from a standard; the lunar holidays move every year and are
 * given here for 2026 (edit them each year on the templates page).
 */
import type { TemplateInput } from '../../../contracts/experts.ts';

export const DEFAULT_TEMPLATES: readonly TemplateInput[] = [
  {
    key: 'monthly_risk',
    name: '月度安全风险形势研判',
    nameEn: 'Monthly risk-situation assessment',
    cadence: 'monthly',
    dueDay: 5,
    agenda: [
      '通报上月突发事件、预警和隐患排查情况',
      '气象、海洋、水务部门研判本月天气、海况和水情趋势',
      '各行业部门报告本月重点风险',
      '专家点评和综合研判',
      '确定本月防范重点和责任分工',
    ],
    sections: [
      '一、上月情况回顾',
      '二、本月风险形势研判',
      '三、重点风险和薄弱环节',
      '四、防范应对措施建议',
      '五、责任分工',
    ],
  },
  {
    key: 'quarterly_risk',
    name: '季度安全风险形势研判',
    nameEn: 'Quarterly risk-situation assessment',
    cadence: 'quarterly',
    dueDay: 10,
    agenda: [
      '通报上季度突发事件和应急处置情况',
      '各成员单位报告本季度风险形势',
      '专家综合研判本季度自然灾害和安全生产风险',
      '研究部署本季度重点工作',
    ],
    sections: ['一、上季度情况', '二、本季度风险形势', '三、重点领域风险', '四、工作建议', '五、责任分工'],
  },
  {
    key: 'holiday_risk',
    name: '节假日前安全风险研判',
    nameEn: 'Pre-holiday risk assessment',
    cadence: 'occasion',
    leadDays: 7,
    occasions: [
      { key: 'new_year', zh: '元旦', en: "New Year's Day", date: '01-01' },
      { key: 'spring_festival', zh: '春节', en: 'Spring Festival', date: '02-17' },
      { key: 'qingming', zh: '清明节', en: 'Qingming Festival', date: '04-05' },
      { key: 'labour_day', zh: '劳动节', en: 'Labour Day', date: '05-01' },
      { key: 'dragon_boat', zh: '端午节', en: 'Dragon Boat Festival', date: '06-19' },
      { key: 'mid_autumn', zh: '中秋节', en: 'Mid-Autumn Festival', date: '09-25' },
      { key: 'national_day', zh: '国庆节', en: 'National Day', date: '10-01' },
    ],
    agenda: [
      '节日期间天气和海况趋势',
      '人员密集场所、景区、道路交通和海上旅游风险',
      '燃气、烟花爆竹和森林防火风险',
      '值班值守和应急力量预置安排',
    ],
    sections: ['一、节日期间风险形势', '二、重点场所和重点领域', '三、值班值守安排', '四、防范措施建议'],
  },
  {
    key: 'flood_season',
    name: '汛前风险形势研判',
    nameEn: 'Pre-flood-season assessment',
    cadence: 'occasion',
    leadDays: 1,
    occasions: [{ key: 'flood_season', zh: '汛期（6月1日入汛）', en: 'flood season (from 1 June)', date: '06-01' }],
    agenda: [
      '汛期降水、台风和风暴潮趋势预测',
      '水库、河道、山洪和地质灾害隐患点排查情况',
      '城市内涝易发点和地下空间风险',
      '防汛物资、救援队伍和转移安置准备',
    ],
    sections: ['一、汛期气候趋势', '二、重点隐患和薄弱环节', '三、防汛准备情况', '四、应对措施建议', '五、责任分工'],
  },
];
