// The HTTP paths of the experts module: the static routes beside /experts/{id} and /consultations/{id} (draws,
// export, import template, templates, due list), a draw and its verification over HTTP, the 409 naming `count`,
// and the masked contacts of a viewer.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers.ts';
import { loadExpertsDemo } from './experts.demo.ts';
import type { ExpertsInternal } from './module.ts';

let t: TestApp;
let duty: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  duty = await t.userWith('duty_officer', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

describe('the experts routes', () => {
  it('registers, draws, verifies, refuses too many with 409 on count, and exports beside /experts/{id}', async () => {
    for (const [name, organisation] of [
      ['HTTP甲', '甲院'],
      ['HTTP乙', '乙院'],
    ]) {
      const r = await t.api('POST', '/api/v1/experts', {
        token: duty.token,
        body: { name, fields: ['11C01'], title: 'senior', organisation, phones: ['13806319999'] },
      });
      expect(r.statusCode).toBe(201);
    }
    const seen = await t.api('GET', '/api/v1/experts?q=HTTP', { token: viewer.token });
    expect(seen.json().total).toBe(2);
    expect(seen.json().items[0].phones).toEqual(['138****9999']);

    const d = await t.api('POST', '/api/v1/experts/draws', {
      token: duty.token,
      body: { fields: ['11C00'], count: 1, purpose: '地震会商', excludeOrganisations: ['甲院'] },
    });
    expect(d.statusCode).toBe(201);
    const draw = d.json();
    expect(draw.rounds[0].candidates).toHaveLength(1);
    expect(draw.invitations[0].expert.name).toBe('HTTP乙');
    const v = await t.api('GET', `/api/v1/experts/draws/${draw.id}/verify`, { token: viewer.token });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({ matches: true, poolUnchanged: true });
    expect((await t.api('GET', '/api/v1/experts/draws', { token: viewer.token })).json().total).toBe(1);

    const tooMany = await t.api('POST', '/api/v1/experts/draws', {
      token: duty.token,
      headers: { 'accept-language': 'en' },
      body: { fields: ['11C01'], count: 5, purpose: 'x' },
    });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error).toMatchObject({ code: 'TOO_FEW_CANDIDATES', field: 'count' });
    expect(tooMany.json().error.message).toContain('Only 2 experts');

    const x = await t.api('GET', '/api/v1/experts/export.xlsx?q=HTTP', { token: duty.token });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    const ws = wb.getWorksheet('专家库');
    expect(ws?.rowCount).toBe(3);
    expect(ws?.getRow(2).getCell(2).value).toBe('11C01 人工地震事件');
    const tpl = await t.api('GET', '/api/v1/experts/import/template', { token: duty.token });
    expect(tpl.statusCode).toBe(200);
  });

  it('answers the templates and the due list beside /consultations/{id}', async () => {
    const tpl = await t.api('GET', '/api/v1/consultations/templates', { token: viewer.token });
    expect(tpl.statusCode).toBe(200);
    expect(tpl.json().total).toBeGreaterThanOrEqual(4);
    const due = await t.api('GET', '/api/v1/consultations/due?on=2030-05-25', { token: viewer.token });
    expect(due.statusCode).toBe(200);
    expect(due.json().items.map((i: { period: string }) => i.period)).toContain('2030-flood_season');
    const made = await t.api('POST', '/api/v1/consultations/from-template', {
      token: viewer.token,
      body: { template: 'monthly_risk', period: '2030-05' },
    });
    expect(made.statusCode).toBe(403);
  });

  it('loads the demo: experts of Weihai organisations marked demo, and one monthly assessment', async () => {
    const deps = t.platform.module<ExpertsInternal>('experts').deps;
    const said = await loadExpertsDemo(deps);
    expect(said).toMatch(/^\d+ experts, 1 assessment$/);
    const list = await t.api('GET', '/api/v1/experts?q=威海&limit=100', { token: viewer.token });
    expect(list.json().total).toBeGreaterThanOrEqual(24);
    expect(list.json().items.every((e: { demo: boolean }) => e.demo)).toBe(true);
    const c = await t.api('GET', '/api/v1/consultations?template=monthly_risk', { token: viewer.token });
    expect(c.json().items[0]).toMatchObject({ demo: true, kind: 'periodic', status: 'planned' });
  });
});
