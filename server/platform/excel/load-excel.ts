/**
 * exceljs, loaded at the first workbook read or written rather than at start: it is the heaviest module the server
 * imports (about 0.3 s of a start), and most starts never touch a workbook before the first export or import.
 */
import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | undefined;

export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => m.default);
  return loading;
}
