import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let duty: { token: string; csrf: string; cookie: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  duty = await t.userWith('duty_officer', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

const yesterday = new Date(Date.now() - 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

describe('POST /api/v1/incidents/import', () => {
  it('takes a multipart upload and answers a small file with its finished job (202)', async () => {
    const csv = Buffer.from(
      `事件标题,事件类型,发生时间,经度,纬度\n环翠区海滨路行道树倒伏,11B01,${yesterday} 06:20,122.135,37.52\n`,
    );
    const { body, headers } = multipart('台风.csv', csv);
    const r = await t.api('POST', '/api/v1/incidents/import?mode=commit', {
      token: duty.token,
      body,
      headers: { ...headers, 'accept-language': 'en' },
    });
    expect(r.statusCode).toBe(202);
    const job = r.json();
    expect(r.headers.location).toBe(`/api/v1/jobs/${job.id}`);
    expect(job).toMatchObject({ kind: 'import.incidents', state: 'done' });
    expect(job.result).toMatchObject({ mode: 'commit', format: 'csv', rows: 1, imported: 1, errors: [] });
    expect(job.result.file).toMatchObject({ name: '台风.csv', size: csv.length });
    const again = await t.api('GET', `/api/v1/jobs/${job.id}`, { token: duty.token });
    expect(again.json().result.imported).toBe(1);
    const list = await t.api('GET', '/api/v1/incidents?q=行道树', { token: duty.token });
    expect(list.json().items[0]).toMatchObject({ title: '环翠区海滨路行道树倒伏', district: { code: '371002' } });
  });

  it('refuses what is not an upload, a bad file, a wrong mode and a user without the create permission', async () => {
    const json = await t.api('POST', '/api/v1/incidents/import', { token: duty.token, body: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toMatchObject({ code: 'IMPORT_NO_FILE', field: 'file' });

    const wrongField = multipart('a.csv', Buffer.from('x'), 'document');
    const r0 = await t.api('POST', '/api/v1/incidents/import', { token: duty.token, ...wrongField });
    expect(r0.json().error.code).toBe('IMPORT_NO_FILE');

    const xls = multipart('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
    const r1 = await t.api('POST', '/api/v1/incidents/import', { token: duty.token, ...xls });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error).toMatchObject({ code: 'IMPORT_FILE_FORMAT', field: 'file' });
    expect(r1.json().error.message).toBe(
      '无法识别的文件：旧版 Excel 97-2003（.xls）文件，请另存为 .xlsx。请上传 Excel（.xlsx）、CSV 或 GeoJSON 文件',
    );

    const csv = multipart('a.csv', Buffer.from(`title,typeCode,occurredAt\nx,12H02,${yesterday} 01:00\n`));
    const r2 = await t.api('POST', '/api/v1/incidents/import?mode=now', { token: duty.token, ...csv });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.field).toBe('mode');

    const r3 = await t.api('POST', '/api/v1/incidents/import', { token: viewer.token, ...csv });
    expect(r3.statusCode).toBe(403);

    // a browser's session needs the CSRF header for an upload as for every write
    const r4 = await t.api('POST', '/api/v1/incidents/import', {
      body: csv.body,
      headers: { ...csv.headers, cookie: duty.cookie },
    });
    expect(r4.json().error.code).toBe('CSRF');
  });

  it('refuses a file above the size limit with 413', async () => {
    const big = multipart('big.csv', Buffer.alloc(21 * 1024 * 1024, 0x41));
    const r = await t.api('POST', '/api/v1/incidents/import', { token: duty.token, ...big });
    expect(r.statusCode).toBe(413);
    expect(r.json().error).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE', field: 'file' });
  });
});

describe('GET /api/v1/incidents/import/template', () => {
  it('is an xlsx in the user’s language, or a CSV', async () => {
    const x = await t.api('GET', '/api/v1/incidents/import/template', { token: duty.token });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(String(x.headers['content-disposition'])).toContain(encodeURIComponent('事件登记导入模板.xlsx'));
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const c = await t.api('GET', '/api/v1/incidents/import/template?format=csv', {
      token: duty.token,
      headers: { 'accept-language': 'en' },
    });
    expect(c.headers['content-type']).toContain('text/csv');
    expect(
      c.body
        .replace(/^\uFEFF/, '')
        .split(',')
        .slice(0, 3),
    ).toEqual(['Title', 'Type code', 'Occurred at']);
    const v = await t.api('GET', '/api/v1/incidents/import/template', { token: viewer.token });
    expect(v.statusCode).toBe(403);
  });
});
