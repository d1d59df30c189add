// The rescue team register's import and export, at the service level: the template has the register's columns; a
// good file imports as if each team were registered by hand (district, owner, station class, equipment, contacts,
// status); a file with bad rows is refused naming every one of them with its column and writes nothing; an export
// imports again as the same teams.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team } from '../../../contracts/forces.ts';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { templateOf } from '../../platform/imports/template.ts';
import { ctxAs } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { AnalysesDeps } from './analyses.service.ts';
import * as svc from './forces.service.ts';
import type { ForcesInternal } from './module.ts';
import { exportTeams } from './teams.export.ts';
import { TEAM_COLUMNS, teamImport } from './teams.import.ts';

let t: TestPlatform;
let deps: AnalysesDeps;
let duty: RequestCtx;
let decl: ReturnType<typeof teamImport>;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<ForcesInternal>('forces').deps;
  duty = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
  decl = teamImport(deps);
});
afterAll(() => t.stop());

type Cell = string | number | null;

const HEAD = [
  '队伍名称',
  '队伍类型',
  '消防站类别',
  '近郊区站',
  '专业方向',
  '作业半径（公里）',
  '经度',
  '纬度',
  '所属单位代码',
  '所属组织',
  '编制人数',
  '能力标签',
  '装备',
  '状态',
  '联系人',
  '联系电话',
  '备注',
];

/** a row under HEAD from the cells it fills, by column key */
function row(cells: Record<string, Cell>): Cell[] {
  return TEAM_COLUMNS.map((c) => cells[c.key] ?? null);
}

async function xlsxOf(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function run(data: Buffer, mode: 'dry-run' | 'commit', ctx = duty): Promise<ImportReport> {
  const { done } = await startImport(t.platform, decl, ctx, { name: 'teams.xlsx', data }, { mode, datum: 'wgs84' });
  const job = await done;
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return job.result as ImportReport;
}

async function countTeams(): Promise<number> {
  const r = await t.platform.db.kysely
    .selectFrom('teams')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function teamsByQ(q: string, ctx = duty): Promise<Team[]> {
  return (await svc.listTeams(deps, ctx, { q, limit: 100 })).items;
}

describe('the template', () => {
  it('has the columns in Chinese, the types as a list, and the rules of a row', async () => {
    const tpl = await templateOf(decl, 'xlsx', 'zh');
    expect(tpl.localName).toBe('救援队伍导入模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.data as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['救援队伍', '说明 Rules', '可选值 Values']);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1)).toEqual(HEAD);
    const values = wb
      .getWorksheet('可选值 Values')!
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string');
    expect(values).toContain('fire_rescue 综合性消防救援队伍');
    expect(values).toContain('class2 二级普通消防站');
    expect(values).toContain('deployed 已出动');
    const rules = wb
      .getWorksheet('说明 Rules')!
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string')
      .join('\n');
    expect(rules).toContain('GB/T 38565-2020 物资编码×数量');
    expect(rules).toContain('综合性消防救援队伍必填');
    expect(rules).toContain('任何一行有错，整个文件都不导入');
  });
});

describe('a good file', () => {
  it('dry run writes nothing; commit registers three teams as if entered by hand', async () => {
    const file = await xlsxOf([
      HEAD,
      row({
        name: 'GF 米山路消防救援站',
        type: '综合性消防救援队伍',
        stationClass: 'class2 二级普通消防站',
        suburban: '是',
        specialties: '危险化学品，building_collapse',
        lon: 122.0521,
        lat: 37.1938,
        ownerUnit: 'xfzd',
        headcount: 30,
        capabilities: '高层建筑灭火、水域救援',
        equipment: '2010205×40、2020201 x 6',
        contactName: '张伟（站长）、李强',
        contactPhone: '13806311234；0631-5212345',
      }),
      row({
        name: 'GF 蓝天救援队',
        type: 'volunteer',
        specialties: 'Flood',
        lon: 122.1203,
        lat: 37.5133,
        organisation: '威海市蓝天救援队',
        headcount: 45,
        status: '执勤',
        notes: '夜间集结约 1 小时',
      }),
      row({
        name: 'GF 航空救援基地',
        type: 'Aviation rescue',
        radiusKm: 120,
        lon: 122.4205,
        lat: 37.1652,
        ownerUnit: 'yjj',
      }),
    ]);
    const before = await countTeams();
    const dry = await run(file, 'dry-run');
    expect(dry).toMatchObject({ mode: 'dry-run', rows: 3, accepted: 3, imported: 0, errors: [], errorCount: 0 });
    expect(await countTeams()).toBe(before);

    const done = await run(file, 'commit');
    expect(done).toMatchObject({ mode: 'commit', rows: 3, accepted: 3, imported: 3, errorCount: 0 });
    expect(await countTeams()).toBe(before + 3);

    const byName = new Map((await teamsByQ('GF ')).map((x) => [x.name, x]));
    expect(byName.get('GF 米山路消防救援站')).toMatchObject({
      type: 'fire_rescue',
      stationClass: 'class2',
      suburban: true,
      specialties: ['hazardous_chemicals', 'building_collapse'],
      location: { type: 'Point', coordinates: [122.0521, 37.1938] },
      district: { code: '371003' },
      ownerUnit: { code: 'xfzd' },
      headcount: 30,
      capabilities: ['高层建筑灭火', '水域救援'],
      equipment: [
        { code: '2010205', quantity: 40 },
        { code: '2020201', quantity: 6 },
      ],
      contacts: [
        { name: '张伟', role: '站长', phone: '13806311234' },
        { name: '李强', phone: '0631-5212345' },
      ],
      status: 'available',
      dispatchable: true,
    });
    expect(byName.get('GF 蓝天救援队')).toMatchObject({
      type: 'volunteer',
      stationClass: null,
      specialties: ['flood'],
      district: { code: '371002' },
      ownerUnit: { code: 'yjj' }, // the importer's unit
      organisation: '威海市蓝天救援队',
      status: 'on_duty',
      notes: '夜间集结约 1 小时',
    });
    expect(byName.get('GF 航空救援基地')).toMatchObject({
      type: 'aviation',
      radiusKm: 120,
      district: { code: '371082' },
      headcount: 0,
    });

    // each has its first status entry, is audited as created, and the import is audited once
    const station = byName.get('GF 米山路消防救援站')!;
    const history = await svc.statusHistory(deps, duty, station.id, {});
    expect(history.items.map((h) => [h.status, h.previous])).toEqual([['available', null]]);
    const audit = await t.platform.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'team')
      .execute();
    for (const x of byName.values()) expect(audit).toContainEqual({ action: 'team.created', entity_id: x.id });
    expect(audit.filter((a) => a.action === 'team.imported')).toHaveLength(1);
  });
});

describe('a file with bad rows', () => {
  it('is refused naming every bad row and its column, and nothing of it is written (not even its good row)', async () => {
    const base = { type: 'volunteer', lon: 122.12, lat: 37.51 };
    const file = await xlsxOf([
      HEAD,
      row({ ...base, name: 'BF 好的一支' }),
      row({ ...base, name: 'BF 类型不明', type: '水文队' }),
      row({ ...base, name: 'BF 消防站无类别', type: 'fire_rescue' }),
      row({ ...base, name: 'BF 装备编码不明', equipment: '2010205×40、9999999×2' }),
      row({ ...base, name: 'BF 装备写法', equipment: '热防护服40套' }),
      row({ ...base, name: 'BF 经度错', lon: 190 }),
      row({ ...base, name: 'BF 单位不明', ownerUnit: 'nosuch' }),
      row({ ...base, name: 'BF 类型和纬度都错', type: 'rescue', lat: -95 }),
      row({ ...base, name: 'BF 非消防站有类别', stationClass: 'class1' }),
      row({ ...base, name: 'BF 专业不明', specialties: '危险化学品、潜水' }),
      row({ ...base, name: 'BF 联系人缺电话', contactName: '张伟、李强', contactPhone: '13806311234' }),
      row({ ...base, name: 'BF 电话错', contactName: '张伟', contactPhone: 'call me' }),
    ]);
    const before = await countTeams();
    for (const mode of ['dry-run', 'commit'] as const) {
      const r = await run(file, mode);
      expect(r).toMatchObject({ mode, rows: 12, accepted: 1, imported: 0, errorCount: 12 });
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, '队伍类型', 'IMPORT_NOT_IN_LIST'],
        [4, '消防站类别', 'STATION_CLASS_REQUIRED'],
        [5, '装备', 'UNKNOWN_SUPPLY_CODE'],
        [6, '装备', 'EQUIPMENT_ITEM_FORMAT'],
        [7, '经度', 'IMPORT_OUT_OF_RANGE'],
        [8, '所属单位代码', 'UNKNOWN_UNIT'],
        [9, '队伍类型', 'IMPORT_NOT_IN_LIST'],
        [9, '纬度', 'IMPORT_OUT_OF_RANGE'],
        [10, '消防站类别', 'STATION_CLASS_NOT_FIRE'],
        [11, '专业方向', 'UNKNOWN_SPECIALTY'],
        [12, '联系人/联系电话', 'CONTACTS_UNPAIRED'],
        [13, '联系电话', 'IMPORT_BAD_PHONE'],
      ]);
      const msg = (n: number) => r.errors.find((e) => e.row === n)!.message;
      expect(msg(3)).toBe('“队伍类型”不在可选值中：水文队');
      expect(msg(5)).toBe('不是 GB/T 38565-2020 的物资编码：9999999');
      expect(msg(6)).toContain('热防护服40套');
      expect(msg(7)).toBe('“经度”应在 -180 至 180 之间：190');
      expect(msg(8)).toContain('nosuch');
      expect(msg(11)).toBe('未知的专业方向：潜水');
      expect(msg(12)).toBe('联系人与联系电话须一一对应：2 个联系人，1 个电话');
      expect(msg(13)).toBe('“联系电话”不是有效的电话号码：call me');
    }
    expect(await countTeams()).toBe(before);
    expect(await teamsByQ('BF ')).toEqual([]);
  });

  it('names the reason in English for an English reader', async () => {
    const file = await xlsxOf([
      ['Name', 'Type', 'Longitude', 'Latitude', 'Equipment'],
      ['Convoy', 'Transport convoy', 122.1, 37.5, '2010205*3, 1234567*1'],
    ]);
    const r = await run(file, 'dry-run', { ...duty, lang: 'en' });
    expect(r.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Equipment',
        code: 'UNKNOWN_SUPPLY_CODE',
        message: 'Not a GB/T 38565-2020 supply code: 1234567',
      }),
    ]);
  });
});

describe('export → import', () => {
  it('gives back the same teams, in Chinese and in English; the export adds district, flags and members', async () => {
    const file = await xlsxOf([
      HEAD,
      row({
        name: '往返 消防站',
        type: 'fire_rescue',
        stationClass: 'special',
        specialties: '危险化学品、隧道',
        lon: 122.0521,
        lat: 37.1938,
        ownerUnit: 'xfzd',
        headcount: 42,
        capabilities: '高层建筑灭火、化工灭火',
        equipment: '2010205×40、2020201×6',
        contactName: '张伟（站长）、李强',
        contactPhone: '13806311234、0631-5212345',
        notes: '特勤站',
      }),
      row({
        name: '往返 蓝天救援队',
        type: 'volunteer',
        specialties: '防汛抗洪',
        lon: 122.1203,
        lat: 37.5133,
        organisation: '威海市蓝天救援队',
        status: 'resting',
      }),
      row({ name: '往返 航空基地', type: 'aviation', radiusKm: 80.5, lon: 122.4205, lat: 37.1652, ownerUnit: 'yjj' }),
    ]);
    expect((await run(file, 'commit')).imported).toBe(3);
    expect(deps.workers).toBeDefined(); // so the workbook is built in a worker thread
    const shape = (x: Team) => ({
      name: x.name,
      type: x.type,
      location: x.location,
      district: x.district,
      ownerUnit: x.ownerUnit,
      organisation: x.organisation,
      stationClass: x.stationClass,
      suburban: x.suburban,
      specialties: x.specialties,
      radiusKm: x.radiusKm,
      headcount: x.headcount,
      capabilities: x.capabilities,
      equipment: x.equipment,
      contacts: x.contacts,
      status: x.status,
      notes: x.notes,
    });
    const byName = (xs: Team[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name)).map(shape);
    const original = byName(await teamsByQ('往返'));
    expect(original).toHaveLength(3);

    for (const lang of ['zh', 'en'] as const) {
      // a member on the station (registered anew by the previous pass), for the export's own columns
      const station = (await teamsByQ('往返 消防站'))[0]!;
      await svc.addMember(deps, duty, station.id, { name: '王五', certificates: [{ name: '消防员证' }] });
      const ctx = { ...duty, lang };
      const out = await exportTeams(deps, ctx, { q: '往返' });
      expect(out).toMatchObject({ rows: 3, total: 3 });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(out.file as never);
      const ws = wb.worksheets[0]!;
      const header = (ws.getRow(1).values as string[]).slice(1);
      const n = TEAM_COLUMNS.length;
      expect(header.slice(0, n)).toEqual(TEAM_COLUMNS.map((c) => (lang === 'zh' ? c.zh : c.en)));
      expect(header.slice(n)).toEqual(
        lang === 'zh'
          ? [
              '所属区市',
              '可调派',
              '状态待确认',
              '证书30日内到期',
              '证书已过期',
              '队员人数',
              '状态确认时间（北京时间）',
              '状态说明',
              '车辆、航空器、船艇',
            ]
          : [
              'District',
              'Dispatchable',
              'Status stale',
              'Certificates expiring in 30 days',
              'Certificates expired',
              'Members',
              'Status confirmed (Beijing time)',
              'Status note',
              'Vehicles, aircraft, vessels',
            ],
      );
      const rows = new Map<string, unknown[]>();
      ws.eachRow((r, i) => {
        if (i > 1) rows.set(String(r.getCell(1).value), (r.values as unknown[]).slice(1));
      });
      const st = rows.get('往返 消防站')!;
      expect(st[TEAM_COLUMNS.findIndex((c) => c.key === 'equipment')]).toBe(
        lang === 'zh' ? '2010205×40、2020201×6' : '2010205×40, 2020201×6',
      );
      expect(st[n]).toBe('文登区'); // districts are named as the units are, in Chinese
      expect(st[n + 1]).toBe(lang === 'zh' ? '是' : 'yes');
      expect(st[n + 5]).toBe(1);
      expect(rows.get('往返 蓝天救援队')![n + 1]).toBe(lang === 'zh' ? '否' : 'no'); // resting
      expect(st[n + 2]).toBe(lang === 'zh' ? '否' : 'no'); // just confirmed: not stale

      // the registered teams go; the exported file brings them back as they were
      await sql`delete from teams where name like '往返%'`.execute(t.platform.db.kysely);
      const back = await run(out.file, 'commit', ctx);
      expect(back).toMatchObject({ rows: 3, imported: 3, errorCount: 0 });
      expect(byName(await teamsByQ('往返'))).toEqual(original);
    }
    const exported = await t.platform.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'team.exported')
      .execute();
    expect(exported).toHaveLength(2);
  });
});
