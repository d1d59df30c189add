/**
 * Word documents (Office Open XML, `docx`) in the customary layout of 突发事件信息报告 and of the situation report:
 * A4 with the margins of GB/T 9704 (official documents), a red header (the reporting unit, the signer, the number, the
 * date) over a red rule, the title, the sections under 一、二、… headings, and the reporter with a phone at the foot.
 * Fonts are named, not embedded: 仿宋 for the body, 黑体 for headings, 宋体 as the document default (what a
 * reader's Word substitutes when a face is missing).
 */

import {
  AlignmentType,
  BorderStyle,
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
import type { ReportHeader, ReportKind, ReportSections } from '../../../contracts/reports.ts';
import { REPORT_KIND_INFO } from '../../../contracts/reports.ts';
import { cityDate, cityDateTime } from '../../platform/time.ts';

const RED = 'C00000';
const FANGSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋', cs: '仿宋' };
const HEITI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: '黑体' };
const SONGTI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: '宋体' };
/** 三号 16 pt (half-points), 二号 22 pt, 小初 36 pt */
const BODY = 32;
const TITLE = 44;
const MASTHEAD = 64;

/** A4 in twips, margins of GB/T 9704-2012 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm). */
const PAGE = {
  size: { width: 11906, height: 16838 },
  margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 },
};

const run = (text: string, o: Partial<IRunOptions> = {}) => new TextRun({ text, font: FANGSONG, size: BODY, ...o });

/** Paragraphs of a text, one per line, indented by two characters as Chinese prose is. */
function prose(text: string): Paragraph[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (!lines.length) return [new Paragraph({ children: [run('无。')], indent: { firstLine: 640 } })];
  return lines.map(
    (l) => new Paragraph({ children: [run(l.trim())], indent: { firstLine: 640 }, spacing: { line: 560 } }),
  );
}

function heading(text: string): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text, font: HEITI, size: BODY })],
    indent: { firstLine: 640 },
    spacing: { before: 120, line: 560 },
  });
}

/** The date as Chinese documents write it: 2026年7月1日 (Beijing time). */
export function chineseDate(d: Date): string {
  const [y, m, day] = cityDate(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 2026年7月1日 08:05 (Beijing time) */
export function chineseDateTime(d: Date): string {
  return `${chineseDate(d)} ${cityDateTime(d).slice(11)}`;
}

function masthead(header: ReportHeader, date: Date, banner: string): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: banner, font: SONGTI, size: MASTHEAD, bold: true, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [run(header.docNumber || ' ')],
    }),
    new Paragraph({
      tabStops: [{ type: 'right', position: 9000 }],
      children: [run(`报送单位：${header.unit}`), run(`\t签发人：${header.signer}`)],
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      border: { bottom: { color: RED, space: 4, style: BorderStyle.SINGLE, size: 18 } },
      spacing: { after: 360 },
      children: [run(chineseDate(date))],
    }),
  ];
}

function footer(header: ReportHeader): Footer {
  return new Footer({
    children: [
      new Paragraph({
        border: { top: { color: '000000', space: 4, style: BorderStyle.SINGLE, size: 6 } },
        children: [run(`报告人：${header.reporter}　　联系电话：${header.phone}`, { size: 28 })],
      }),
    ],
  });
}

function document(children: (Paragraph | Table)[], header: ReportHeader, title: string): Document {
  return new Document({
    title,
    creator: header.unit || 'Anlan',
    styles: { default: { document: { run: { font: SONGTI, size: BODY } } } },
    sections: [{ properties: { page: PAGE }, footers: { default: footer(header) }, children }],
  });
}

export interface ReportDocument {
  kind: ReportKind;
  incidentNumber: string;
  title: string;
  sections: ReportSections;
  header: ReportHeader;
  /** when issued (the document's date); null for a draft */
  issuedAt: Date | null;
  /** the issued version; null for a draft */
  version: number | null;
  now: Date;
}

export const SECTION_HEADINGS: [keyof ReportSections, string][] = [
  ['basic', '一、基本情况'],
  ['casualties', '二、伤亡和损失'],
  ['measures', '三、已采取措施'],
  ['nextSteps', '四、下一步工作'],
  ['requests', '五、请求事项'],
];

/** A report as a .docx: the masthead, the title with its kind, the five sections, the reporter at the foot. */
export async function reportDocx(d: ReportDocument): Promise<Buffer> {
  const date = d.issuedAt ?? d.now;
  const kind = REPORT_KIND_INFO[d.kind].zh;
  const state = d.version === null ? '（草稿，未报送）' : d.version > 1 ? `（第${d.version}版）` : '';
  const children: Paragraph[] = [
    ...masthead(d.header, date, '突发事件信息报告'),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      children: [new TextRun({ text: d.title, font: SONGTI, size: TITLE, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      children: [run(`（${kind}　事件编号 ${d.incidentNumber}）${state}`)],
    }),
  ];
  for (const [key, label] of SECTION_HEADINGS) {
    children.push(heading(label), ...prose(d.sections[key]));
  }
  return Packer.toBuffer(document(children, d.header, d.title));
}

export interface SitrepIncident {
  number: string;
  title: string;
  type: string;
  place: string;
  level: string;
  status: string;
  casualties: string;
  reports: string;
  log: string[];
}

const cell = (text: string, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [run(text, { size: 21, bold })] })] });

/** The situation report: every active incident in a table, then each one's latest log entries. */
export async function sitrepDocx(s: {
  header: ReportHeader;
  generatedAt: Date;
  incidents: SitrepIncident[];
}): Promise<Buffer> {
  const title = `突发事件综合情况（截至${chineseDateTime(s.generatedAt)}）`;
  const children: (Paragraph | Table)[] = [
    ...masthead(s.header, s.generatedAt, '值班信息综合情况'),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      children: [new TextRun({ text: title, font: SONGTI, size: TITLE, bold: true })],
    }),
    ...prose(`截至${chineseDateTime(s.generatedAt)}，在处置的突发事件共 ${s.incidents.length} 起。`),
  ];
  if (s.incidents.length) {
    const head = ['编号', '事件', '类型', '地点', '级别', '状态', '伤亡', '报告'];
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }),
          ...s.incidents.map(
            (i) =>
              new TableRow({
                children: [i.number, i.title, i.type, i.place, i.level, i.status, i.casualties, i.reports].map((x) =>
                  cell(x),
                ),
              }),
          ),
        ],
      }),
    );
    s.incidents.forEach((i, k) => {
      children.push(heading(`${k + 1}. ${i.number} ${i.title}`));
      children.push(...prose(i.log.length ? i.log.join('\n') : '暂无指挥日志。'));
    });
  }
  return Packer.toBuffer(document(children, s.header, title));
}
