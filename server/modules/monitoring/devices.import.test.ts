// The device register's import and export, at the service level: a good file imports as if each device were
// registered by hand (district, owner, metrics, parameters, a token of its own that nobody is shown); a file with bad
// rows is refused naming every one of them and writes nothing; an export imports again as the same devices.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { Device } from '../../../contracts/monitoring.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { templateOf } from '../../platform/imports/template.ts';
import { ctxAs } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { exportDevices } from './devices.export.ts';
import { DEVICE_COLUMNS, deviceImport } from './devices.import.ts';
import type { MonitoringInternal } from './module.ts';
import * as svc from './monitoring.service.ts';

let t: TestPlatform;
let api: MonitoringInternal;
let duty: RequestCtx;
let decl: ReturnType<typeof deviceImport>;

beforeAll(async () => {
  t = await startTestPlatform();
  api = t.module<MonitoringInternal>('monitoring');
  duty = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
  decl = deviceImport(api.deps);
});
afterAll(() => t.stop());

type Cell = string | number | null;

async function xlsxOf(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function run(data: Buffer, mode: 'dry-run' | 'commit', ctx = duty): Promise<ImportReport> {
  const { done } = await startImport(t.platform, decl, ctx, { name: 'devices.xlsx', data }, { mode, datum: 'wgs84' });
  const job = await done;
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return job.result as ImportReport;
}

async function countDevices(): Promise<number> {
  const r = await t.platform.db.kysely
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function devicesByQ(q: string, ctx = duty): Promise<Device[]> {
  return (await svc.listDevices(api.deps, ctx, { q, limit: 100 })).items;
}

const HEAD = [
  '设备名称',
  '站码',
  '设备类型',
  '监测指标',
  '经度',
  '纬度',
  '权属单位代码',
  '汛限水位',
  '警戒水位',
  '保证水位',
  '最大承载量',
  '视频流地址',
  '离线判定（分钟）',
  '启用',
  '备注',
];

describe('the template', () => {
  it('has the columns in Chinese, the kinds as a list, and says that imported devices show no token', async () => {
    const tpl = await templateOf(decl, 'xlsx', 'zh');
    expect(tpl.localName).toBe('监测设备导入模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.data as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['监测设备', '说明 Rules', '可选值 Values']);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1)).toEqual(HEAD);
    const values = wb.getWorksheet('可选值 Values')!.getColumn(1).values as string[];
    expect(values).toContain('rain_gauge 雨量站');
    const rules = wb
      .getWorksheet('说明 Rules')!
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string')
      .join('\n');
    expect(rules).toContain('导入结果不显示令牌');
    expect(rules).toContain('POST /api/v1/devices/{id}/token');
    expect(rules).toContain('同一文件内不得重复');
  });
});

describe('a good file', () => {
  it('dry run writes nothing; commit registers three devices as if entered by hand, with tokens nobody is shown', async () => {
    const file = await xlsxOf([
      HEAD,
      [
        '环翠区 市区雨量站',
        'GF-RG-001',
        '雨量站',
        null,
        122.1203,
        37.5133,
        'qxj',
        null,
        null,
        null,
        null,
        null,
        120,
        null,
        null,
      ],
      [
        '文登区 米山水库水位站',
        'GF-WL-001',
        'water_level 水位站',
        'water_level_m',
        122.0046,
        37.2012,
        'swj',
        26.5,
        28,
        30.2,
        null,
        null,
        null,
        null,
        '特征水位为示意值',
      ],
      [
        '荣成市 气象站',
        'GF-WS-001',
        'Weather station',
        'rain_mm，平均风速、temperature_c',
        122.4205,
        37.1652,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        '否',
        null,
      ],
    ]);
    const before = await countDevices();
    const dry = await run(file, 'dry-run');
    expect(dry).toMatchObject({ mode: 'dry-run', rows: 3, accepted: 3, imported: 0, errors: [], errorCount: 0 });
    expect(await countDevices()).toBe(before);

    const done = await run(file, 'commit');
    expect(done).toMatchObject({ mode: 'commit', rows: 3, accepted: 3, imported: 3, errorCount: 0 });
    expect(JSON.stringify(done)).not.toMatch(/token/i);
    expect(await countDevices()).toBe(before + 3);

    const byCode = new Map((await devicesByQ('GF-')).map((d) => [d.code, d]));
    expect(byCode.get('GF-RG-001')).toMatchObject({
      name: '环翠区 市区雨量站',
      kind: 'rain_gauge',
      metrics: ['rain_mm'], // the kind's metrics when the cell is empty
      location: { type: 'Point', coordinates: [122.1203, 37.5133] },
      district: { code: '371002' },
      ownerUnit: { code: 'qxj' },
      offlineAfterMinutes: 120,
      enabled: true,
      status: 'never',
    });
    expect(byCode.get('GF-WL-001')).toMatchObject({
      kind: 'water_level',
      metrics: ['water_level_m'],
      district: { code: '371003' },
      ownerUnit: { code: 'swj' },
      params: { flood_limit_m: 26.5, warning_level_m: 28, guaranteed_level_m: 30.2 },
      offlineAfterMinutes: 30,
      notes: '特征水位为示意值',
    });
    expect(byCode.get('GF-WS-001')).toMatchObject({
      kind: 'weather_station',
      metrics: ['rain_mm', 'wind_speed_ms', 'temperature_c'],
      ownerUnit: { code: 'yjj' }, // the importer's unit
      enabled: false,
      status: 'disabled',
    });

    // each got a token of its own (stored as a hash); rotating hands one out, and the device ingests with it
    const rows = await t.platform.db.kysely
      .selectFrom('devices')
      .select(['id', 'token_hash'])
      .where('code', 'like', 'GF-%')
      .execute();
    expect(new Set(rows.map((r) => r.token_hash)).size).toBe(3);
    const gauge = byCode.get('GF-RG-001')!;
    await vi.waitFor(() => expect(api.ingestion.devices.has(gauge.id)).toBe(true));
    const { token } = await svc.rotateToken(api.deps, duty, gauge.id);
    expect(api.ingestion.authenticate(gauge.id, token)).toBe(true);

    // audited row by row as created, and the import as a whole
    const audit = await t.platform.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'device')
      .execute();
    for (const r of rows) expect(audit).toContainEqual({ action: 'device.created', entity_id: r.id });
    expect(audit.filter((a) => a.action === 'device.imported')).toHaveLength(1);
  });
});

describe('a file with bad rows', () => {
  it('is refused naming every bad row, and nothing of it is written (not even its good row)', async () => {
    await svc.createDevice(api.deps, duty, {
      name: '已登记的雨量站',
      code: 'BF-TAKEN',
      kind: 'rain_gauge',
      metrics: ['rain_mm'],
      location: { type: 'Point', coordinates: [122.1, 37.5] },
    });
    const row = (name: string, code: string, kind: string, metrics: string | null, lat: number): Cell[] => [
      name,
      code,
      kind,
      metrics,
      122.12,
      lat,
    ];
    const file = await xlsxOf([
      HEAD.slice(0, 6),
      row('好的一台', 'BF-OK-1', 'rain_gauge', null, 37.51),
      row('类型不明', 'BF-2', '水文站', null, 37.51),
      row('纬度错', 'BF-3', 'rain_gauge', null, 95),
      row('指标不明', 'BF-4', 'weather_station', 'rain_mm、humidity_pct', 37.51),
      row('站码已占用', 'BF-TAKEN', 'rain_gauge', null, 37.51),
      row('站码重复', 'BF-OK-1', 'rain_gauge', null, 37.51),
    ]);
    const before = await countDevices();
    for (const mode of ['dry-run', 'commit'] as const) {
      const r = await run(file, mode);
      expect(r).toMatchObject({ mode, rows: 6, accepted: 1, imported: 0, errorCount: 5 });
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, '设备类型', 'IMPORT_NOT_IN_LIST'],
        [4, '纬度', 'IMPORT_OUT_OF_RANGE'],
        [5, '监测指标', 'UNKNOWN_METRIC'],
        [6, '站码', 'DEVICE_CODE_TAKEN'],
        [7, '站码', 'IMPORT_DUPLICATE_IN_FILE'],
      ]);
      const msg = (n: number) => r.errors.find((e) => e.row === n)!.message;
      expect(msg(3)).toBe('“设备类型”不在可选值中：水文站');
      expect(msg(4)).toBe('“纬度”应在 -90 至 90 之间：95');
      expect(msg(5)).toContain('未知的监测指标：humidity_pct');
      expect(msg(6)).toBe('站码 BF-TAKEN 已被其他设备使用');
      expect(msg(7)).toBe('“站码”BF-OK-1 与第 2 行重复');
    }
    expect(await countDevices()).toBe(before);
    expect(await devicesByQ('BF-OK')).toEqual([]);
  });

  it('names the reason in English for an English reader', async () => {
    const file = await xlsxOf([
      ['Name', 'Kind', 'Metrics', 'Longitude', 'Latitude'],
      ['Gauge', 'rain gauge', 'rain_mm, rainfall_in', 122.1, 37.5],
    ]);
    const r = await run(file, 'dry-run', { ...duty, lang: 'en' });
    expect(r.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Metrics',
        code: 'UNKNOWN_METRIC',
        message: expect.stringContaining('Unknown metric: rainfall_in'),
      }),
    ]);
  });
});

describe('export → import', () => {
  it('gives back the same devices, in Chinese and in English; the export adds status, last seen and latest values', async () => {
    const file = await xlsxOf([
      HEAD,
      [
        '往返 雨量站',
        'RT-RG',
        'rain_gauge',
        null,
        122.1203,
        37.5133,
        'qxj',
        null,
        null,
        null,
        null,
        null,
        60,
        null,
        '备注一',
      ],
      [
        '往返 水位站',
        'RT-WL',
        'water_level',
        null,
        122.0046,
        37.2012,
        'swj',
        26.5,
        28,
        30.2,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        '往返 摄像头',
        'RT-CAM',
        'camera',
        null,
        122.15,
        37.5,
        null,
        null,
        null,
        null,
        5000,
        'rtsp://10.0.0.8/live',
        null,
        '否',
        null,
      ],
      [
        '往返 不计雨量的雨量站',
        'RT-NONE',
        'rain_gauge',
        '无',
        122.13,
        37.51,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
      ],
    ]);
    expect((await run(file, 'commit')).imported).toBe(4);
    expect(api.deps.workers).toBeDefined(); // so the workbook is built in a worker thread
    const shape = (d: Device) => ({
      name: d.name,
      code: d.code,
      kind: d.kind,
      metrics: d.metrics,
      location: d.location,
      district: d.district,
      ownerUnit: d.ownerUnit,
      params: d.params,
      streamUrl: d.streamUrl,
      offlineAfterMinutes: d.offlineAfterMinutes,
      enabled: d.enabled,
      notes: d.notes,
    });
    const original = (await devicesByQ('RT-')).map(shape);
    expect(original.find((d) => d.code === 'RT-NONE')?.metrics).toEqual([]);

    for (const lang of ['zh', 'en'] as const) {
      // a reading of the gauge (registered anew by the previous pass), for the export's live columns
      const gauge = (await devicesByQ('RT-RG'))[0]!;
      await vi.waitFor(() => expect(api.ingestion.devices.has(gauge.id)).toBe(true));
      const ts = new Date(Math.floor(t.platform.clock.now().getTime() / 60_000) * 60_000 - 600_000).toISOString();
      const ingested = await api.ingestion.submit(gauge.id, { ts, values: { rain_mm: 1.2 } }, 'test');
      expect(ingested).toEqual({ accepted: 1, rejected: [] });
      const ctx = { ...duty, lang };
      const out = await exportDevices(api.deps, ctx, { q: 'RT-' });
      expect(out).toMatchObject({ rows: 4, total: 4 });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(out.file as never);
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as string[]).slice(1);
      expect(header.slice(0, DEVICE_COLUMNS.length)).toEqual(DEVICE_COLUMNS.map((c) => (lang === 'zh' ? c.zh : c.en)));
      expect(header.slice(DEVICE_COLUMNS.length)).toEqual(
        lang === 'zh'
          ? ['状态', '所属区市', '最后上报（北京时间）', '最新数据']
          : ['Status', 'District', 'Last seen (Beijing time)', 'Latest values'],
      );
      const rows = new Map<string, unknown[]>();
      ws.eachRow((r, i) => {
        if (i > 1) rows.set(String(r.getCell(2).value), (r.values as unknown[]).slice(1));
      });
      const rg = rows.get('RT-RG')!;
      const wall = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Shanghai',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(new Date(ts));
      expect(rg[DEVICE_COLUMNS.length]).toBe(lang === 'zh' ? '在线' : 'Online');
      expect(rg[DEVICE_COLUMNS.length + 2]).toBe(wall);
      expect(rg[DEVICE_COLUMNS.length + 3]).toBe(
        lang === 'zh' ? `降雨量 1.2 mm（${wall}）` : `Rainfall 1.2 mm (${wall})`,
      );
      expect(rows.get('RT-CAM')![DEVICE_COLUMNS.length]).toBe(lang === 'zh' ? '已停用' : 'Disabled');

      // the registered devices go; the exported file brings them back as they were
      await sql`delete from devices where code like 'RT-%'`.execute(t.platform.db.kysely);
      const back = await run(out.file, 'commit', ctx);
      expect(back).toMatchObject({ rows: 4, imported: 4, errorCount: 0 });
      const again = (await devicesByQ('RT-')).map(shape);
      expect(again).toEqual(original);
    }
  });
});
