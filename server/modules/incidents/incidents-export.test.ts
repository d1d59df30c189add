// The register's export over several pages: every matching incident exactly once, in the register's order, with the
// workbook built in a worker thread (the same file as when built in this thread).
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { exportIncidents } from './incidents.export.ts';
import type { IncidentDeps } from './incidents.service.ts';

const N = 1_234;

async function sheetRows(file: Buffer): Promise<{ rows: unknown[][]; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as never);
  const ws = wb.getWorksheet('事件登记')!;
  const rows: unknown[][] = [];
  ws.eachRow((r) => {
    rows.push((r.values as unknown[]).slice(1));
  });
  return { rows, ws };
}

describe('export of a register of many pages', () => {
  let t: TestPlatform;
  let deps: IncidentDeps;
  let ctx: RequestCtx;
  beforeAll(async () => {
    t = await startTestPlatform();
    deps = t.module<{ deps: IncidentDeps }>('incidents').deps;
    ctx = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
    // many incidents sharing a few instants, so that pages end in the middle of a tie (ordered then by id)
    await sql`
      insert into incidents (id, number, title, description, type_code, category, occurred_at, reported_at, address,
        reporter_name, reporter_unit, reporter_phone, district_status, level_basis, status, demo, version,
        created_at, updated_at)
      select gen_random_uuid(), 'WH-EXP-' || lpad(g::text, 6, '0'), '导出测试 ' || g, '', '12H02', 'accident',
        timestamptz '2026-01-01 08:00:00+08' - (g % 7) * interval '1 hour', now(), '', '', '', '13812345678',
        'unknown', '', 'reported', false, 1, now(), now()
      from generate_series(1, ${N}) g`.execute(t.platform.db.kysely);
  });
  afterAll(() => t?.stop());

  it('has every incident once, in the register order, across pages, built off the event loop', async () => {
    expect(deps.workers).toBeDefined();
    const r = await exportIncidents(deps, ctx, { q: '导出测试' });
    expect(r.rows).toBe(N);
    expect(r.total).toBe(N);
    const { rows, ws } = await sheetRows(r.file);
    expect(rows[0][0]).toBe('事件编号');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const numbers = rows.slice(1).map((row) => row[0] as string);
    expect(numbers.length).toBe(N);
    expect(new Set(numbers).size).toBe(N);
    // occurred time descending (Beijing time as text sorts like the instant)
    const occurred = rows.slice(1).map((row) => row[11] as string);
    expect([...occurred].sort().reverse()).toEqual(occurred);
    // the phone (last column) masked as the viewer sees it
    expect(rows[1][25]).toBe('138****5678');
  });

  it('states the filter in words in the reader’s language on the notes sheet', async () => {
    const en = { ...ctx, lang: 'en' as const };
    const r = await exportIncidents(deps, en, {
      q: '导出测试 12',
      status: 'reported,closed',
      level: 'I,none',
      district: '371002',
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.file as never);
    expect(wb.getWorksheet('事件登记')).toBeUndefined();
    const notes = wb.worksheets.map((ws) => ws.getSheetValues().flat().join('\n')).join('\n');
    expect(notes).toContain(
      'Filter: Text: “导出测试 12”; Status: Reported, Closed; Level: I, not assessed; District: Huancui District',
    );
    expect(notes).not.toContain('筛选条件');
    expect(notes).not.toContain('q=');
  });

  it('builds the same sheet in a worker thread as in this thread', async () => {
    const off = await exportIncidents(deps, ctx, { q: '导出测试 12' });
    const here = await exportIncidents({ ...deps, workers: undefined }, ctx, { q: '导出测试 12' });
    expect(off.rows).toBeGreaterThan(10);
    expect((await sheetRows(off.file)).rows).toEqual((await sheetRows(here.file)).rows);
  });
});
