import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../contracts/imports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { type MatchedFile, readImportFile, runImport, startImport } from '../../platform/imports/imports.service.ts';
import { templateOf } from '../../platform/imports/template.ts';
import { ctxAs } from '../../test/factories.ts';
import { startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { incidentImport } from './incidents.import.ts';
import type { IncidentDeps } from './incidents.service.ts';
import type { IncidentsApi } from './index.ts';

let t: TestPlatform;
let duty: RequestCtx;
let decl: ReturnType<typeof incidentImport>;

beforeAll(async () => {
  t = await startTestPlatform();
  duty = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
  decl = incidentImport(t.module<{ deps: IncidentDeps }>('incidents').deps);
});
afterAll(() => t.stop());

/** `n` days ago at hh:mm, as a Beijing wall-clock text the way people type it */
function beijing(daysAgo: number, hh: number, mm = 0): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000 + 8 * 3600_000);
  const day = d.toISOString().slice(0, 10);
  return `${day} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
/** the same wall-clock time as the instant it means */
const instant = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+08:00`).toISOString();

async function run(
  data: Buffer,
  mode: 'dry-run' | 'commit',
  opts: { ctx?: RequestCtx; name?: string; datum?: 'wgs84' | 'gcj02' } = {},
): Promise<ImportReport> {
  const { done } = await startImport(
    t.platform,
    decl,
    opts.ctx ?? duty,
    { name: opts.name ?? 'upload', data },
    { mode, datum: opts.datum ?? 'wgs84' },
  );
  const job = await done;
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return job.result as ImportReport;
}

async function countIncidents(): Promise<number> {
  const r = await t.platform.db.kysely
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function byTitle(title: string) {
  return t.platform.db.kysely.selectFrom('incidents').selectAll().where('title', '=', title).executeTakeFirst();
}

async function xlsxOf(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * GBK bytes of a text, as Chinese Excel saves "CSV (逗号分隔)": the encoder is built by decoding every two-byte
 * GBK sequence with the platform's own GB18030 decoder, so no encoding library is needed.
 */
function gbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = dec.decode(Uint8Array.from([a, b]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`not in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}

describe('the template', () => {
  it('round trip: download, fill in, dry run (writes nothing), commit (each incident as if entered by hand)', async () => {
    const tpl = await templateOf(decl, 'xlsx', 'zh');
    expect(tpl.localName).toBe('事件登记导入模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.data as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事件登记', '说明 Rules', '可选值 Values']);
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as string[]).slice(1);
    expect(headers.slice(0, 6)).toEqual(['事件标题', '事件类型', '发生时间', '接报时间', '经度', '纬度']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // a list for the type code, from the values sheet
    const typeList = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
      .dataValidations.model.B2;
    expect(typeList.type).toBe('list');
    expect(String(typeList.formulae[0])).toContain('可选值 Values');
    const rules = wb.getWorksheet('说明 Rules')!;
    const ruleOfTitle = rules.getRow(2).values as string[];
    expect(ruleOfTitle.slice(1, 6)).toEqual([
      '事件标题 Title',
      'title',
      '是 Yes',
      '必填；文本，最多 200 字',
      'Required; text, at most 200 characters',
    ]);
    expect(ws.rowCount).toBe(1);

    // the duty officer fills three rows, the way people do: a picked list value, a date cell, a typed date
    const occurred = beijing(2, 8, 30);
    const cellDate = new Date(`${beijing(1, 21, 5).replace(' ', 'T')}:00Z`); // Excel keeps wall time as if UTC
    ws.addRow([
      '文登区米山镇山林火灾',
      '11G01 境内森林火灾事件',
      occurred,
      null,
      121.9877,
      37.1712,
      '文登区米山镇西山',
      '李强',
      '米山镇政府',
      '0631-8461234',
      0,
      0,
      0,
      0,
      0,
      120,
      15,
    ]);
    ws.addRow([
      '环翠区统一路燃气管道泄漏',
      '12D02',
      cellDate,
      null,
      122.1145,
      37.4983,
      '环翠区统一路88号',
      '王芳',
      '环翠区住建局',
      '13906315678',
      0,
      0,
      0,
      1,
      0,
      40,
      2.5,
    ]);
    ws.addRow([
      '荣成石岛港货船碰撞',
      '船舶碰撞事故',
      beijing(3, 6, 10),
      beijing(3, 6, 40),
      122.4287,
      36.9072,
      null,
      null,
      null,
      null,
      0,
      1,
      0,
      2,
    ]);
    const filled = Buffer.from(await wb.xlsx.writeBuffer());

    const before = await countIncidents();
    const dry = await run(filled, 'dry-run', { name: '事件登记导入模板.xlsx' });
    expect(dry).toMatchObject({
      mode: 'dry-run',
      format: 'xlsx',
      rows: 3,
      accepted: 3,
      imported: 0,
      errors: [],
      errorCount: 0,
    });
    expect(await countIncidents()).toBe(before);

    const auditBefore = await t.platform.db.kysely
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const done = await run(filled, 'commit', { name: '事件登记导入模板.xlsx' });
    expect(done).toMatchObject({ mode: 'commit', rows: 3, accepted: 3, imported: 3, errors: [] });
    expect(await countIncidents()).toBe(before + 3);

    const fire = (await byTitle('文登区米山镇山林火灾'))!;
    expect(fire.number).toMatch(/^WH-\d{4}-\d{6}$/);
    expect(fire.type_code).toBe('11G01');
    expect(fire.district_code).toBe('371003');
    expect(fire.occurred_at.toISOString()).toBe(instant(occurred));
    expect(fire.reporter_phone).toBe('0631-8461234');
    expect(Number(fire.direct_loss_wan)).toBe(15);
    const gas = (await byTitle('环翠区统一路燃气管道泄漏'))!;
    expect(gas.occurred_at.toISOString()).toBe(instant(beijing(1, 21, 5)));
    expect(gas.district_code).toBe('371002');
    const ship = (await byTitle('荣成石岛港货船碰撞'))!;
    expect(ship.type_code).toBe('12J01'); // 船舶碰撞事故, written by its name
    expect(ship.reported_at.toISOString()).toBe(instant(beijing(3, 6, 40)));
    expect(ship.missing).toBe(1);

    // each as if entered by hand: a log line, an audit row, an event; and the import itself audited with its file
    const log = await t.platform.db.kysely
      .selectFrom('incident_log')
      .selectAll()
      .where('incident_id', '=', fire.id)
      .execute();
    expect(log.map((l) => l.kind)).toEqual(['created']);
    const audit = await t.platform.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', auditBefore?.seq ?? 0)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'incident.created',
      'incident.created',
      'incident.created',
      'incident.imported',
    ]);
    expect(audit.every((a) => a.actor_id === duty.actor.id)).toBe(true);
    expect(audit[3].after).toMatchObject({
      file: { name: '事件登记导入模板.xlsx', size: filled.length, sha256: done.file.sha256 },
      format: 'xlsx',
      rows: 3,
      imported: 3,
    });
    expect(done.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const events = await t.platform.db.kysely
      .selectFrom('outbox')
      .select('type')
      .where('entity_id', 'in', [fire.id, gas.id, ship.id])
      .execute();
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'incident.created', 'incident.created']);
  });

  it('in English for an English user, and a CSV template that reads back', async () => {
    const tpl = await templateOf(decl, 'xlsx', 'en');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.data as unknown as ArrayBuffer);
    expect(wb.worksheets[0].name).toBe('Incident register');
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1, 3)).toEqual(['Title', 'Type code']);
    const csv = await templateOf(decl, 'csv', 'zh');
    expect(csv.data.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const filled = Buffer.concat([csv.data, Buffer.from(`威海港客运站旅客滞留,14C99,${beijing(1, 9)}\r\n`)]);
    const m = await readImportFile(decl, { name: 'x.csv', data: filled }, 'zh');
    expect(m.rows).toHaveLength(1);
    expect(m.rows[0].row).toBe(2);
  });
});

describe('formats', () => {
  it('a CSV saved by Chinese Excel (GBK), with quoted fields and a line break inside one', async () => {
    const occurred = beijing(5, 14, 20);
    const text = [
      '事件标题,事件类型,发生时间,经度,纬度,地址,报告人,联系电话,受伤,直接经济损失（万元）',
      `乳山市银滩旅游度假区游客溺水,12J99,${occurred},121.6420,36.8830,"乳山市银滩,海水浴场
三号救生塔",赵敏,13561234567,1,0`,
      `经区皇冠街道居民楼火灾,12K01,${beijing(4, 2, 15)},122.1400,37.4700,经区皇冠街道,钱军,0631-5981234,3,"1,200.50"`,
    ].join('\r\n');
    const data = gbk(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(data)).toThrow();
    const before = await countIncidents();
    const dry = await run(data, 'dry-run', { name: 'incidents.csv' });
    expect(dry).toMatchObject({ format: 'csv', rows: 2, accepted: 2, errors: [] });
    const done = await run(data, 'commit', { name: 'incidents.csv' });
    expect(done.imported).toBe(2);
    expect(await countIncidents()).toBe(before + 2);
    const swim = (await byTitle('乳山市银滩旅游度假区游客溺水'))!;
    expect(swim.address).toBe('乳山市银滩,海水浴场\n三号救生塔');
    expect(swim.district_code).toBe('371083');
    expect(swim.occurred_at.toISOString()).toBe(instant(occurred));
    const fire = (await byTitle('经区皇冠街道居民楼火灾'))!;
    expect(Number(fire.direct_loss_wan)).toBe(1200.5);
    expect(fire.injured).toBe(3);
  });

  it('a GeoJSON FeatureCollection of Points: properties by key or header, geometry as the location (GCJ-02 converted)', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [122.4926, 37.1627] }, // GCJ-02 as copied from a web map
          properties: {
            title: '荣成市成山头景区山体滑坡',
            typeCode: '11D03',
            occurredAt: `${beijing(6, 16).replace(' ', 'T')}:00+08:00`,
            受灾: 30,
            reporterName: '孙涛',
          },
        },
        {
          type: 'Feature',
          geometry: null,
          properties: {
            事件标题: '高区某电子厂职工食物中毒',
            事件类型: '13B01',
            发生时间: beijing(7, 12, 40),
            injured: 14,
          },
        },
      ],
    };
    const data = Buffer.from(JSON.stringify(fc));
    const before = await countIncidents();
    const done = await run(data, 'commit', { name: 'weihai.geojson', datum: 'gcj02' });
    expect(done).toMatchObject({ format: 'geojson', rows: 2, imported: 2, errors: [] });
    expect(await countIncidents()).toBe(before + 2);
    const slide = (await byTitle('荣成市成山头景区山体滑坡'))!;
    const [lng, lat] = (await t.module<IncidentsApi>('incidents').getIncident(duty, slide.id)).location!.coordinates;
    // GCJ-02 lies a few hundred metres north-east of WGS-84 around Weihai
    expect(lng).toBeLessThan(122.4926);
    expect(lng).toBeGreaterThan(122.48);
    expect(lat).toBeLessThan(37.1627);
    expect(slide.district_code).toBe('371082');
    expect(slide.affected).toBe(30);
    const food = (await byTitle('高区某电子厂职工食物中毒'))!;
    expect(food.district_status).toBe('unknown');
    expect(food.injured).toBe(14);
  });
});

describe('bad rows', () => {
  it('are each reported by row, column and code, and nothing is written (dry run and commit alike)', async () => {
    const long = '长'.repeat(201);
    const data = await xlsxOf([
      ['威海市事件导入（2026年汛期）'], // a title above the header
      ['事件标题', '事件类型', '发生时间', '经度', '纬度', '联系电话', '死亡', '受伤', '直接经济损失（万元）'],
      ['正常的一行', '12H02', beijing(1, 8), 122.12, 37.5, '13812345678', 0, 1, 0],
      [null, '12H02', beijing(1, 8), null, null, null, null, null, null],
      ['类型不对', '99Z99', beijing(1, 8), null, null, null, null, null, null],
      ['时间不对', '12H02', '昨天晚上', null, null, null, null, null, null],
      ['将来的时间', '12H02', beijing(-3, 8), null, null, null, null, null, null],
      ['只有经度', '12H02', beijing(1, 8), 122.1, null, null, null, null, null],
      ['人数不对', '12H02', beijing(-1, 8), null, null, null, -1, 1.5, null],
      [long, '12H02', beijing(1, 8), 190, 37.5, '打电话', null, null, '很多'],
      [null, '?', null, null, null, null, null, null, null], // a problem per wrong cell
    ]);
    const before = await countIncidents();
    for (const mode of ['dry-run', 'commit'] as const) {
      const r = await run(data, mode);
      expect(r).toMatchObject({ rows: 9, accepted: 1, imported: 0 });
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [4, '事件标题', 'IMPORT_REQUIRED'],
        [5, '事件类型', 'IMPORT_NOT_IN_LIST'],
        [6, '发生时间', 'IMPORT_NOT_A_DATE'],
        [7, '发生时间', 'VALIDATION'],
        [8, '经度/纬度', 'IMPORT_HALF_POINT'],
        [9, '死亡', 'IMPORT_OUT_OF_RANGE'],
        [9, '受伤', 'IMPORT_NOT_AN_INTEGER'],
        [9, '发生时间', 'VALIDATION'], // the service's own check, on a row with other wrong cells
        [10, '事件标题', 'IMPORT_TOO_LONG'],
        [10, '联系电话', 'IMPORT_BAD_PHONE'],
        [10, '直接经济损失（万元）', 'IMPORT_NOT_A_NUMBER'],
        [10, '经度', 'IMPORT_OUT_OF_RANGE'],
        [11, '事件标题', 'IMPORT_REQUIRED'],
        [11, '事件类型', 'IMPORT_NOT_IN_LIST'],
        [11, '发生时间', 'IMPORT_REQUIRED'],
      ]);
      expect(r.errorCount).toBe(15);
      expect(r.errors[1].message).toBe('“事件类型”不在可选值中：99Z99');
      expect(r.errors[3].message).toContain('不能晚于当前时间');
      expect(await countIncidents()).toBe(before);
    }
    const en = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city', 'en');
    const r = await run(data, 'dry-run', { ctx: en });
    expect(r.errors[0].message).toBe('"事件标题" is required');
  });

  it('NUL characters in names and cells end up visible in the report, never in a failed job', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: null,
          properties: {
            title: 'a\u0000b',
            typeCode: '12H02',
            occurredAt: beijing(1, 2),
            'deaths\u0000': 1,
            deaths: 'x\u0000',
          },
        },
      ],
    };
    const r = await run(Buffer.from(JSON.stringify(fc)), 'dry-run', { name: 'evil\u0000.geojson' });
    expect(r.file.name).toBe('evil\uFFFD.geojson');
    expect(r.errors.map((e) => [e.column, e.code])).toEqual([
      ['title', 'IMPORT_CONTROL_CHARACTER'],
      ['deaths', 'IMPORT_NOT_A_NUMBER'],
    ]);
    expect(r.errors[1].message).toContain('x\uFFFD');
  });

  it('a commit whose last row fails at write time writes nothing', async () => {
    // a constraint only the database knows: the last row passes every check and fails when written
    await sql`create or replace function refuse_marked() returns trigger language plpgsql as $$
      begin if new.title = '写入时失败' then raise exception 'refused by a test trigger'; end if; return new; end $$`.execute(
      t.platform.db.kysely,
    );
    await sql`create trigger refuse_marked before insert on incidents for each row execute function refuse_marked()`.execute(
      t.platform.db.kysely,
    );
    try {
      const rows = [['事件标题', '事件类型', '发生时间', '经度', '纬度']];
      for (let i = 1; i <= 4; i++)
        rows.push([`临港区道路积水第${i}处`, '11A03', beijing(1, 10 + i), '122.30', '37.05']);
      rows.push(['写入时失败', '11A03', beijing(1, 16), '122.30', '37.05']);
      const data = await xlsxOf(rows);
      const counter = () =>
        t.platform.db.kysely.selectFrom('number_counters').selectAll().where('series', '=', 'WH').execute();
      const before = { n: await countIncidents(), counters: await counter() };
      const dry = await run(data, 'dry-run');
      expect(dry).toMatchObject({ rows: 5, accepted: 5, errors: [] });
      const r = await run(data, 'commit');
      expect(r).toMatchObject({ rows: 5, accepted: 0, imported: 0 });
      expect(r.errors).toEqual([
        { row: 6, column: null, code: 'IMPORT_WRITE_FAILED', message: expect.stringContaining('整批未导入') },
      ]);
      expect(await countIncidents()).toBe(before.n);
      expect(await counter()).toEqual(before.counters);
      expect(await byTitle('临港区道路积水第1处')).toBeUndefined();
    } finally {
      await sql`drop trigger refuse_marked on incidents`.execute(t.platform.db.kysely);
    }
  });

  it('a district user importing a row placed in another district gets a row error', async () => {
    const huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
    const data = await xlsxOf([
      ['Title', 'Type code', 'Occurred at', 'Longitude', 'Latitude'],
      ['环翠区羊亭镇农房倒塌', '11A04', beijing(2, 7), 122.05, 37.45],
      ['文登区葛家镇河道决口', '11A04', beijing(2, 7, 30), 122.06, 37.19],
      ['无坐标的报告', '11A04', beijing(2, 8), null, null],
    ]);
    const before = await countIncidents();
    const r = await run(data, 'commit', { ctx: huancui });
    expect(r).toMatchObject({ rows: 3, accepted: 2, imported: 0 });
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'Longitude/Latitude', 'OUT_OF_SCOPE']]);
    expect(r.errors[0].message).toBe('超出数据范围：该位置在文登区，区市人员只能登记和处理本区市（环翠区）的事件');
    expect(await countIncidents()).toBe(before);
  });
});

describe('large files', () => {
  const csvOf = (n: number, tag: string) => {
    const lines = ['title,typeCode,occurredAt,address,injured'];
    for (let i = 0; i < n; i++)
      lines.push(`${tag}${i},12H02,${beijing(10 + (i % 300), i % 24, i % 60)},威海市区第${i}号路口,${i % 3}`);
    return Buffer.from(lines.join('\n'));
  };
  const record = () => {
    const seen: { phase?: string; done?: number; total?: number }[] = [];
    return {
      seen,
      progress: (p: (typeof seen)[number]) => seen.push(p),
      phases: () => seen.filter((p) => p.phase).map((p) => [p.phase, p.total]),
      done: () => seen.filter((p) => p.done !== undefined && p.done > 0).map((p) => p.done!),
    };
  };

  it('report their progress while 5,000 rows are checked, in the job any instance answers', async () => {
    const data = csvOf(5000, '批量检查');
    const m: MatchedFile = await readImportFile(decl, { name: 'big.csv', data }, 'zh');
    const rec = record();
    const r = await runImport(t.platform, decl, duty, m, { mode: 'dry-run', datum: 'wgs84', progress: rec.progress });
    expect(r).toMatchObject({ rows: 5000, accepted: 5000, imported: 0, errorCount: 0 });
    expect(rec.phases()).toEqual([['check', 5000]]);
    expect(rec.done()).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));

    const { job, done } = await startImport(
      t.platform,
      decl,
      duty,
      { name: 'big.csv', data },
      { mode: 'dry-run', datum: 'wgs84' },
    );
    expect(job).toMatchObject({ state: 'running', kind: 'import.incidents' });
    expect(await done).toMatchObject({ state: 'done', phase: 'check', done: 5000, total: 5000 });
    expect((await t.platform.jobs.get(duty, job.id)).result).toMatchObject({ rows: 5000, accepted: 5000, imported: 0 });
  });

  it('report the writing as a phase of its own when committed', async () => {
    const data = csvOf(120, '批量写入');
    const m = await readImportFile(decl, { name: 'some.csv', data }, 'zh');
    const rec = record();
    const before = await countIncidents();
    const r = await runImport(t.platform, decl, duty, m, { mode: 'commit', datum: 'wgs84', progress: rec.progress });
    expect(r).toMatchObject({ rows: 120, imported: 120 });
    expect(await countIncidents()).toBe(before + 120);
    expect(rec.phases()).toEqual([
      ['check', 120],
      ['write', 120],
    ]);
    const up = Array.from({ length: 120 }, (_, i) => i + 1);
    expect(rec.done()).toEqual([...up, ...up]);
  });
});

describe('bad files', () => {
  const refuse = async (data: Buffer, code: string, d = decl) => {
    await expect(readImportFile(d, { name: 'f', data }, 'zh')).rejects.toMatchObject({
      code,
      details: { field: 'file' },
    });
  };
  it('are refused with the reason, before any job', async () => {
    const good = await xlsxOf([
      ['事件标题', '事件类型', '发生时间'],
      ['x', '12H02', beijing(1, 1)],
    ]);
    await refuse(Buffer.alloc(0), 'IMPORT_FILE_EMPTY');
    await refuse(good.subarray(0, good.length - 40), 'IMPORT_FILE_FORMAT'); // truncated workbook
    await refuse(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]), 'IMPORT_FILE_FORMAT');
    await refuse(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'IMPORT_FILE_FORMAT'); // .xls
    await refuse(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), 'IMPORT_FILE_FORMAT'); // a PNG
    await refuse(Buffer.from([0x41, 0x2c, 0xff, 0xff, 0xff, 0x0a]), 'IMPORT_FILE_ENCODING');
    await refuse(Buffer.from('{"type":"Feature"}'), 'IMPORT_FILE_FORMAT');
    await refuse(Buffer.from('{"type":'), 'IMPORT_FILE_FORMAT');
    await refuse(Buffer.from('a,b,c\n1,2,3\n'), 'IMPORT_FILE_NO_HEADER');
    await refuse(Buffer.from('事件标题,发生时间\n某事件,2026-01-01 08:00\n'), 'IMPORT_FILE_NO_HEADER');
    await refuse(Buffer.from('事件标题,事件类型,发生时间\n'), 'IMPORT_FILE_NO_ROWS');
    await refuse(
      Buffer.from('事件标题,事件类型,Title,发生时间\nx,12H02,y,2026-01-01\n'),
      'IMPORT_FILE_DUPLICATE_COLUMN',
    );
    await refuse(Buffer.from('title,typeCode,occurredAt\n"unclosed,12H02,2026-01-01\n'), 'IMPORT_FILE_FORMAT');
    const four = Buffer.from(`title,typeCode,occurredAt\n${'x,12H02,2026-01-01 08:00\n'.repeat(4)}`);
    await refuse(four, 'IMPORT_FILE_TOO_MANY_ROWS', { ...decl, maxRows: 3 });
    await expect(
      readImportFile(decl, { name: 'f', data: Buffer.from('title,occurredAt\nx,1\n') }, 'zh'),
    ).rejects.toMatchObject({
      details: { missing: '事件类型' },
    });
  });

  it('are refused when they would unzip into more than the limit (a zip bomb)', async () => {
    // a zip whose directory declares a 100 MB sheet: refused before anything is inflated
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(100 * 1024 * 1024, 24);
    central.writeUInt16LE(name.length, 28);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(central.length + name.length, 12);
    eocd.writeUInt32LE(local.length + name.length, 16);
    const bomb = Buffer.concat([local, name, central, name, eocd]);
    await expect(readImportFile(decl, { name: 'bomb.xlsx', data: bomb }, 'en')).rejects.toMatchObject({
      code: 'IMPORT_FILE_FORMAT',
      details: { en: 'larger than 64 MB once unzipped; import in parts' },
    });
  });

  it('run at most two at a time for one user', async () => {
    const someone = await ctxAs(t.platform, 'duty_officer', 'yjj', 'city');
    const data = Buffer.from(`title,typeCode,occurredAt\nx,12H02,${beijing(1, 1)}\n`);
    const start = () =>
      startImport(t.platform, decl, someone, { name: 'f', data }, { mode: 'dry-run', datum: 'wgs84' });
    const three = await Promise.allSettled([start(), start(), start()]);
    expect(three.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((three[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'JOB_LIMIT' });
    for (const r of three) if (r.status === 'fulfilled') await r.value.done;
    const after = await start();
    expect((await after.done).state).toBe('done');
  });

  it('need the registry’s create permission', async () => {
    const viewer = await ctxAs(t.platform, 'viewer', 'yjj', 'city');
    const data = Buffer.from(`title,typeCode,occurredAt\nx,12H02,${beijing(1, 1)}\n`);
    await expect(
      startImport(t.platform, decl, viewer, { name: 'f', data }, { mode: 'dry-run', datum: 'wgs84' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
