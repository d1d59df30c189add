import ExcelJS from 'exceljs';

export interface Column<R> {
  header: string;
  width?: number;
  value: (row: R) => string | number | Date | null;
  /** Excel number format, e.g. 'yyyy-mm-dd hh:mm' or '0.00' */
  format?: string;
}

/**
 * One sheet with a bold, frozen header row and an auto-filter: what a desk officer expects when opening an export.
 * Rows come in pages (an async iterable), so a large export never holds every record twice.
 */
export async function workbookOf<R>(
  sheetName: string,
  columns: Column<R>[],
  pages: AsyncIterable<R[]>,
  note?: string,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anlan 安澜';
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? 14,
    style: c.format ? { numFmt: c.format } : {},
  }));
  ws.getRow(1).font = { bold: true };
  let n = 0;
  for await (const page of pages) {
    for (const r of page) {
      ws.addRow(columns.map((c) => c.value(r)));
      n++;
    }
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, n + 1), column: columns.length } };
  if (note) {
    const info = wb.addWorksheet('说明 Notes');
    info.getColumn(1).width = 100;
    for (const line of note.split('\n')) info.addRow([line]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
