// Prevention projects at the service level: the status rule (done / behind / on track by the share of time), cumulative
// progress (never going down by date), district staff kept to their district, the list's filters, the summary, and the
// platform import (every bad row named) and the Excel export.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectInput } from '../../../contracts/risks.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { readImportFile, runImport } from '../../platform/imports/imports.service.ts';
import { cityDate } from '../../platform/time.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as census from './census.service.ts';
import type { RisksInternal } from './module.ts';
import { exportProjects } from './projects.export.ts';
import { projectImport } from './projects.import.ts';
import * as svc from './projects.service.ts';
import { loadRisksDemo } from './risks.demo.ts';
import type { RisksDeps } from './risks.deps.ts';

let t: TestPlatform;
let deps: RisksDeps;
let cmd: RequestCtx;
let huancui: RequestCtx;
let today: string;

const input = (over: Partial<ProjectInput> = {}): ProjectInput => ({
  name: '储水设施',
  type: 'water_storage',
  district: '371002',
  targetQuantity: 40,
  unit: '处',
  responsibleUnit: '市林业局',
  startDate: '2021-01-01',
  endDate: '2030-12-31',
  ...over,
});

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<RisksInternal>('risks').deps;
  cmd = await seededCtx(t.platform, 'commander');
  huancui = await seededCtx(t.platform, 'district_staff');
  today = cityDate(t.platform.clock.now());
});
afterAll(async () => {
  await t?.stop();
});

describe('project status', () => {
  const p = { targetQuantity: 100, startDate: '2024-01-01', endDate: '2024-12-31' };
  it('is done at the target, behind when trailing the time by more than 10 points or past the end', () => {
    expect(svc.projectStatus({ ...p, doneQuantity: 100 }, '2024-03-01').status).toBe('done');
    expect(svc.projectStatus({ ...p, doneQuantity: 120 }, '2024-03-01')).toMatchObject({ share: 1, status: 'done' });
    // 2024-07-01: 183 of 366 days
    const mid = svc.projectStatus({ ...p, doneQuantity: 40 }, '2024-07-01');
    expect(mid.expectedShare).toBeCloseTo(183 / 366, 4);
    expect(mid.status).toBe('on_track');
    expect(svc.projectStatus({ ...p, doneQuantity: 39 }, '2024-07-01').status).toBe('behind');
    expect(svc.projectStatus({ ...p, doneQuantity: 0 }, '2023-12-01')).toMatchObject({
      expectedShare: 0,
      status: 'on_track',
    });
    expect(svc.projectStatus({ ...p, doneQuantity: 99 }, '2025-01-01').status).toBe('behind');
  });
});

describe('projects', () => {
  it('takes cumulative progress reports that never go down by date, and derives increments', async () => {
    const created = await svc.createProject(deps, cmd, input());
    expect(created).toMatchObject({ doneQuantity: 0, share: 0, districtName: '环翠区', version: 0 });
    await svc.reportProgress(deps, cmd, created.id, { date: '2022-01-10', quantity: 10 });
    const d = await svc.reportProgress(deps, cmd, created.id, { date: '2023-05-01', quantity: 25, note: '二期' });
    expect(d.doneQuantity).toBe(25);
    expect(d.share).toBe(0.625);
    expect(d.lastReportDate).toBe('2023-05-01');
    expect(d.reports.map((r) => [r.date, r.quantity, r.increment])).toEqual([
      ['2023-05-01', 25, 15],
      ['2022-01-10', 10, 10],
    ]);
    // a late report between the two fits; one above the later report or below the earlier does not
    await svc.reportProgress(deps, cmd, created.id, { date: '2022-06-01', quantity: 12 });
    expect(
      await refusal(svc.reportProgress(deps, cmd, created.id, { date: '2022-07-01', quantity: 30 })),
    ).toMatchObject({
      code: 'PROGRESS_DECREASE',
      field: 'quantity',
    });
    expect(await refusal(svc.reportProgress(deps, cmd, created.id, { date: '2024-01-01', quantity: 5 }))).toMatchObject(
      {
        code: 'PROGRESS_DECREASE',
      },
    );
    expect(await refusal(svc.reportProgress(deps, cmd, created.id, { date: '2020-01-01', quantity: 1 }))).toMatchObject(
      {
        code: 'PROGRESS_DATE',
        field: 'date',
      },
    );
    const done = await svc.reportProgress(deps, cmd, created.id, { date: today, quantity: 40 });
    expect(done.status).toBe('done');
    expect((await svc.getProject(deps, cmd, created.id)).doneQuantity).toBe(40);
  });

  it('keeps district staff to their district', async () => {
    const other = await svc.createProject(
      deps,
      cmd,
      input({ name: '文登防火道路', type: 'fire_road', district: '371003', unit: '公里' }),
    );
    expect((await refusal(svc.getProject(deps, huancui, other.id))).code).toBe('OUT_OF_SCOPE');
    expect((await refusal(svc.createProject(deps, huancui, input({ district: '371003' })))).code).toBe('OUT_OF_SCOPE');
    const mine = await svc.createProject(
      deps,
      huancui,
      input({ name: '环翠治理', type: 'geohazard_works', targetQuantity: 1 }),
    );
    const list = await svc.listProjects(deps, huancui, {});
    expect(list.items.map((p) => p.district)).not.toContain('371003');
    expect(list.items.map((p) => p.id)).toContain(mine.id);
    expect((await refusal(svc.createProject(deps, cmd, input({ district: '999999' })))).code).toBe('PROJECT_DISTRICT');
    expect(
      (await refusal(svc.createProject(deps, cmd, input({ startDate: '2022-01-01', endDate: '2021-01-01' })))).code,
    ).toBe('PROJECT_DATES');
    const viewer = await seededCtx(t.platform, 'viewer');
    expect((await refusal(svc.createProject(deps, viewer, input()))).code).toBe('FORBIDDEN');
  });

  it('filters by type, district and status, updates on the version read, and sums by type and district', async () => {
    const behind = await svc.createProject(
      deps,
      cmd,
      input({ name: '逾期', startDate: '2021-01-01', endDate: '2021-12-31', district: '371083' }),
    );
    expect((await svc.listProjects(deps, cmd, { status: 'behind' })).items.map((p) => p.id)).toContain(behind.id);
    expect((await svc.listProjects(deps, cmd, { type: 'fire_road' })).items.every((p) => p.type === 'fire_road')).toBe(
      true,
    );
    expect((await svc.listProjects(deps, cmd, { district: '371083' })).items.map((p) => p.id)).toEqual([behind.id]);
    const up = await svc.updateProject(deps, cmd, behind.id, { version: behind.version, endDate: '2031-01-01' });
    expect(up).toMatchObject({ endDate: '2031-01-01', version: behind.version + 1 });
    expect((await refusal(svc.updateProject(deps, cmd, behind.id, { version: behind.version, name: 'x' }))).code).toBe(
      'VERSION_CONFLICT',
    );
    const s = await svc.summary(deps, cmd);
    const water = s.items.find((r) => r.type === 'water_storage' && r.district === null);
    const parts = s.items.filter((r) => r.type === 'water_storage' && r.district !== null);
    expect(water?.target).toBe(parts.reduce((a, r) => a + r.target, 0));
    expect(water?.projects).toBe(parts.reduce((a, r) => a + r.projects, 0));
  });

  it('imports projects through the platform contract (every bad row named, none written) and exports them', async () => {
    const head = [
      '项目名称',
      '项目类型',
      '区市',
      '目标数量',
      '计量单位',
      '责任单位',
      '开始日期',
      '结束日期',
      '经度',
      '纬度',
    ];
    const one = ['导入一', '蓄水设施', '环翠区', 5, '处', '林业局', '2021-03-01', '2023-12-31', 122.1, 37.5];
    const sheet = async (rows: unknown[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('p');
      for (const r of [head, ...rows]) ws.addRow(r);
      return readImportFile(decl, { name: 'p.xlsx', data: Buffer.from(await wb.xlsx.writeBuffer()) }, 'zh');
    };
    const decl = projectImport(deps);
    const r = await runImport(
      t.platform,
      decl,
      cmd,
      await sheet([
        one,
        ['导入二', '不存在', '环翠区', 5, '处', '林业局', '2021-03-01', '2023-12-31', null, null],
        ['导入三', '防火道路', '某区', 5, '公里', '林业局', '2021-03-01', '2023-12-31', null, null],
      ]),
      { mode: 'commit', datum: 'wgs84' },
    );
    expect(r.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'IMPORT_NOT_IN_LIST'],
      [4, 'PROJECT_DISTRICT'],
    ]);
    expect(r.imported).toBe(0);
    const ok = await runImport(t.platform, decl, cmd, await sheet([one]), { mode: 'commit', datum: 'wgs84' });
    expect(ok).toMatchObject({ imported: 1, errorCount: 0 });
    const imported = (await svc.listProjects(deps, cmd, { q: '导入一' })).items[0];
    expect(imported).toMatchObject({ type: 'water_storage', district: '371002', startDate: '2021-03-01' });
    expect(imported.location).toEqual({ type: 'Point', coordinates: [122.1, 37.5] });
    const x = await exportProjects(deps, cmd, { type: 'water_storage' });
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(x.file as unknown as ArrayBuffer);
    const ws = back.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['项目名称', '项目类型', '区市']);
    expect(x.rows).toBe((await svc.listProjects(deps, cmd, { type: 'water_storage' })).total);
  });
});

describe('the demo', () => {
  it('loads Weihai-like layers inside the boundary and the work plan’s task 9 targets, once', async () => {
    const said = await loadRisksDemo(deps);
    expect(said).toMatch(/census: 10 demo layers/);
    const layers = await census.listLayers(deps, cmd, { limit: 50 });
    expect(layers.items.filter((l) => l.demo).length).toBe(10);
    expect(layers.items.every((l) => !l.demo || l.name.includes('示例'))).toBe(true);
    const s = await svc.summary(deps, cmd);
    const demoTotals = async (type: string) =>
      (await svc.listProjects(deps, cmd, { type: type as ProjectInput['type'], limit: 500 })).items
        .filter((p) => p.demo)
        .reduce((a, p) => a + p.targetQuantity, 0);
    expect(await demoTotals('water_storage')).toBe(178);
    expect(await demoTotals('fire_road')).toBe(101);
    expect(await demoTotals('geohazard_works')).toBe(2);
    expect(s.items.length).toBeGreaterThan(3);
    expect(await loadRisksDemo(deps)).toBeUndefined();
  });
});
