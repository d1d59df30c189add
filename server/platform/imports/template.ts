/**
 * The downloadable template of an import, in the user's language: the columns as the header row (frozen, each
 * header with its rule as a note, lists and limits as Excel data validation), a sheet "说明 Rules" with every
 * column's rule in Chinese and English and an example row, and a sheet of the lists' values. The CSV template is
 * the header row alone (UTF-8 with BOM, so that Excel opens it in the right encoding).
 */

import type ExcelJS from 'exceljs';
import type { Lang } from '../../errors.ts';
import { loadExcel } from '../excel/load-excel.ts';
import { XLSX_TYPE } from '../http/download.ts';
import { headerOf, type ImportColumn, ruleOf } from './columns.ts';
import { type AnyImport, DEFAULT_MAX_ROWS } from './imports.service.ts';

export interface TemplateFile {
  data: Buffer;
  /** ASCII name (Content-Disposition `filename`) and the name in the user's language (`filename*`) */
  name: string;
  localName: string;
  contentType: string;
}

type Validated = { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } };

const RULES_SHEET = '说明 Rules';
const VALUES_SHEET = '可选值 Values';

/** Column letters: 1 → A, 27 → AA. */
function letter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function validationOf(col: ImportColumn, lang: Lang, listRef?: string): ExcelJS.DataValidation | undefined {
  const common = {
    allowBlank: !col.required,
    showErrorMessage: true,
    errorStyle: 'stop' as const,
    errorTitle: headerOf(col, lang),
    error: ruleOf(col, lang),
    showInputMessage: true,
    promptTitle: headerOf(col, lang),
    prompt: ruleOf(col, lang).slice(0, 255),
  };
  switch (col.kind) {
    case 'enum':
      // warn, not stop: the code or the name typed by hand is accepted too
      return listRef ? { ...common, type: 'list', formulae: [listRef], errorStyle: 'warning' } : undefined;
    case 'integer':
      return { ...common, type: 'whole', operator: 'between', formulae: [col.min, col.max] };
    case 'number':
      return { ...common, type: 'decimal', operator: 'between', formulae: [col.min, col.max] };
    case 'lon':
      return { ...common, type: 'decimal', operator: 'between', formulae: [-180, 180] };
    case 'lat':
      return { ...common, type: 'decimal', operator: 'between', formulae: [-90, 90] };
    case 'text':
      return { ...common, type: 'textLength', operator: 'lessThanOrEqual', formulae: [col.max] };
    default:
      return undefined;
  }
}

export async function templateOf(decl: AnyImport, format: 'xlsx' | 'csv', lang: Lang): Promise<TemplateFile> {
  const title = lang === 'zh' ? decl.zh : decl.en;
  const base = `${decl.registry}-import-template`;
  if (format === 'csv') {
    const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const line = decl.columns.map((c) => quote(headerOf(c, lang))).join(',');
    return {
      data: Buffer.from(`\uFEFF${line}\r\n`, 'utf8'),
      name: `${base}.csv`,
      localName: lang === 'zh' ? `${title}导入模板.csv` : `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
    };
  }
  const maxRows = decl.maxRows ?? DEFAULT_MAX_ROWS;
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'Anlan 安澜';
  wb.created = new Date();
  const ws = wb.addWorksheet(title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const rules = wb.addWorksheet(RULES_SHEET);
  const lists = decl.columns.filter((c) => c.kind === 'enum');
  const valuesSheet = lists.length ? wb.addWorksheet(VALUES_SHEET) : undefined;

  ws.columns = decl.columns.map((c) => ({
    header: headerOf(c, lang),
    key: c.key,
    width: c.width ?? Math.max(12, headerOf(c, lang).length * (lang === 'zh' ? 2.2 : 1.2)),
    style:
      c.kind === 'datetime'
        ? { numFmt: 'yyyy-mm-dd hh:mm' }
        : c.kind === 'phone' || c.kind === 'text' || c.kind === 'enum'
          ? { numFmt: '@' }
          : {},
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.height = 20;
  decl.columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.note = ruleOf(c, lang);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFFE7BA' : 'FFF0F0F0' } };
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC41D1D' } };
  });

  if (valuesSheet) {
    lists.forEach((c, j) => {
      if (c.kind !== 'enum') return;
      const col = valuesSheet.getColumn(j + 1);
      col.width = 30;
      valuesSheet.getCell(1, j + 1).value = headerOf(c, lang);
      valuesSheet.getCell(1, j + 1).font = { bold: true };
      c.options.forEach((o, k) => {
        valuesSheet.getCell(k + 2, j + 1).value = `${o.value} ${lang === 'zh' ? o.zh : o.en}`;
      });
    });
    valuesSheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  decl.columns.forEach((c, i) => {
    const j = lists.findIndex((l) => l.key === c.key);
    const listRef =
      j >= 0 && c.kind === 'enum'
        ? `'${VALUES_SHEET}'!$${letter(j + 1)}$2:$${letter(j + 1)}$${c.options.length + 1}`
        : undefined;
    const v = validationOf(c, lang, listRef);
    // exceljs writes validations over ranges (4.4 has no typing for it)
    if (v) (ws as unknown as Validated).dataValidations.add(`${letter(i + 1)}2:${letter(i + 1)}${maxRows + 1}`, v);
  });

  rules.columns = [
    { header: '列 Column', key: 'header', width: 22 },
    { header: '键 Key', key: 'key', width: 18 },
    { header: '必填 Required', key: 'required', width: 10 },
    { header: '规则', key: 'zh', width: 70 },
    { header: 'Rule', key: 'en', width: 80 },
    { header: '示例 Example', key: 'example', width: 24 },
  ];
  rules.getRow(1).font = { bold: true };
  rules.views = [{ state: 'frozen', ySplit: 1 }];
  for (const c of decl.columns) {
    const row = rules.addRow({
      header: `${c.zh} ${c.en}`,
      key: c.key,
      required: c.required ? '是 Yes' : '否 No',
      zh: ruleOf(c, 'zh'),
      en: ruleOf(c, 'en'),
      example: c.example ?? '',
    });
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  const zh = lang === 'zh';
  rules.addRow([]);
  rules.addRow([
    zh
      ? `填写说明：在第一个工作表“${title}”的表头下逐行填写，每个文件最多 ${maxRows.toLocaleString('en')} 行；表头可用中文、英文或键名。导入前先“检查”，全部无误后才能“导入”，任何一行出错则整批不导入。`
      : `How to fill in: one record per row under the header of the first sheet "${title}", at most ${maxRows.toLocaleString('en')} rows per file; headers may be in Chinese, English or the key. Check the file first; it imports only when every row is right, and nothing is imported if any row fails.`,
  ]).font = { italic: true };
  const note = zh ? decl.noteZh : decl.noteEn;
  if (note) rules.addRow([note]).font = { italic: true };
  rules.addRow([]);
  rules.addRow([zh ? '示例行' : 'Example row']).font = { bold: true };
  rules.addRow(decl.columns.map((c) => headerOf(c, lang))).font = { bold: true };
  rules.addRow(decl.columns.map((c) => c.example ?? ''));

  return {
    data: Buffer.from(await wb.xlsx.writeBuffer()),
    name: `${base}.xlsx`,
    localName: zh ? `${title}导入模板.xlsx` : `${base}.xlsx`,
    contentType: XLSX_TYPE,
  };
}
