/**
 * The exercise's evaluation report (演练评估报告) as a Word document, in the house layout of `reports/report-docx.ts`:
 * A4, fonts named and not embedded (仿宋 body, 黑体 headings, 宋体 default). 演练 is said in the title, in a banner
 * line and in the footer of every page. Sections after AQ/T 9007-2019's 评估总结 stage: the exercise (type, plan tested,
 * organiser, participants, scenario), the inject timeline with play times, the measured response times against their
 * targets (a table), the evaluator's observations, and the improvement actions.
 */
import {
  AlignmentType,
  Document,
  Footer,
  type IRunOptions,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import {
  EXERCISE_CONTENT_INFO,
  EXERCISE_FORM_INFO,
  EXERCISE_STATUS_INFO,
  type Exercise,
  MEASURE_INFO,
  TARGETS_BASIS,
} from '../../../contracts/exercises.ts';
import { cityDateTime } from '../../platform/time.ts';

const RED = 'C00000';
const FANGSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋', cs: '仿宋' };
const HEITI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: '黑体' };
const SONGTI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: '宋体' };
/** 小四 12 pt for the body (a report with tables), 三号 16 pt headings, 二号 22 pt title (half-points) */
const SIZE = { body: 24, heading: 32, title: 44, table: 21 };
/** A4 in twips, GB/T 9704-2012 margins */
const A4 = { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } };

const text = (t: string, o: Partial<IRunOptions> = {}) =>
  new TextRun({ text: t, font: FANGSONG, size: SIZE.body, ...o });
const para = (t: string) => new Paragraph({ children: [text(t)], spacing: { line: 400 } });
const section = (t: string) =>
  new Paragraph({
    children: [new TextRun({ text: t, font: HEITI, size: SIZE.heading })],
    spacing: { before: 240, after: 120 },
  });

function grid(head: string[], rows: string[][]): Table {
  const cell = (t: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [text(t, { size: SIZE.table, bold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }),
      ...(rows.length ? rows : [head.map(() => '—')]).map((r) => new TableRow({ children: r.map((c) => cell(c)) })),
    ],
  });
}

const when = (iso: string | null) => (iso ? `${cityDateTime(new Date(iso))}` : '—');
function offset(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `T+${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
}
function minutes(seconds: number | null): string {
  return seconds === null ? '未完成' : `${(seconds / 60).toFixed(1)} 分钟`;
}
const KIND = { incident: '事件接报', readings: '模拟监测数据', message: '情景信息' } as const;
const VERDICT = { met: '达标', missed: '未达标', pending: '进行中' } as const;

/** The evaluation report of an exercise as .docx bytes. */
export async function exerciseReport(ex: Exercise, generatedAt: Date): Promise<Buffer> {
  const type = `${EXERCISE_CONTENT_INFO[ex.content].zh}·${EXERCISE_FORM_INFO[ex.form].zh}`;
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new TextRun({
          text: '【演练】 EXERCISE — 非真实事件',
          font: SONGTI,
          size: SIZE.heading,
          bold: true,
          color: RED,
        }),
      ],
      spacing: { after: 240 },
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: `${ex.title}（演练）评估报告`, font: SONGTI, size: SIZE.title, bold: true })],
      spacing: { after: 360 },
    }),
    section('一、演练概况'),
    grid(
      ['项目', '内容'],
      [
        ['演练编号', ex.number],
        ['演练类型（AQ/T 9007-2019 4.2）', type],
        ['检验预案', ex.plan?.name || '—'],
        ['组织单位', ex.organiserUnit.name],
        ['参演单位', ex.participants.map((p) => p.name).join('、') || '—'],
        ['总导演', ex.director || '—'],
        ['开始时间', when(ex.startedAt)],
        ['结束时间', when(ex.endedAt)],
        ['状态', EXERCISE_STATUS_INFO[ex.status].zh],
      ],
    ),
    section('二、演练情景'),
    ...(ex.scenario.trim() ? ex.scenario.split(/\r?\n/).filter((l) => l.trim()) : ['无。']).map(para),
    section('三、导调事项时间线'),
    grid(
      ['序号', '计划时刻', '类型', '事项', '实际播放', '结果'],
      ex.injects.map((i) => [
        String(i.seq),
        offset(i.offsetSeconds),
        KIND[i.kind],
        i.title,
        when(i.playedAt),
        i.result?.error
          ? `失败：${i.result.error}`
          : i.result?.incidentNumber
            ? `事件 ${i.result.incidentNumber}`
            : i.result?.readings !== undefined
              ? `${i.result.readings} 条读数，${i.result.transitions ?? 0} 次预警变化`
              : i.playedAt
                ? '已发出'
                : '未播放',
      ]),
    ),
    section('四、响应时间测评'),
    grid(
      ['事件', '环节', '判定依据', '用时', '目标', '结论'],
      ex.measurements.map((m) => [
        `${m.incidentNumber} ${m.injectTitle}`,
        MEASURE_INFO[m.measure].zh,
        MEASURE_INFO[m.measure].basisZh,
        minutes(m.seconds),
        `${m.targetMinutes} 分钟`,
        VERDICT[m.verdict],
      ]),
    ),
    para(`注：${TARGETS_BASIS.zh}。`),
    section('五、评估发现的问题'),
    ...(ex.observations.trim() ? ex.observations.split(/\r?\n/).filter((l) => l.trim()) : ['无。']).map(para),
    section('六、改进措施'),
    grid(
      ['序号', '措施', '责任人/单位', '完成期限'],
      ex.improvements.map((a, n) => [String(n + 1), a.action, a.owner ?? '—', a.dueDate ?? '—']),
    ),
    new Paragraph({
      children: [text(`报告生成时间：${cityDateTime(generatedAt)}（北京时间）`)],
      spacing: { before: 360 },
    }),
  ];
  const doc = new Document({
    title: `${ex.title}（演练）评估报告`,
    styles: { default: { document: { run: { font: SONGTI, size: SIZE.body } } } },
    sections: [
      {
        properties: { page: A4 },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [text(`【演练】${ex.number} ${ex.title} — 演练资料，非真实事件`, { size: 18, color: RED })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
