// The HTTP path of an activation: the route answers 201 with the activation, the departments' tasks are listed at
// /api/v1/tasks, the incident's log says it in the reader's language; refusals are 4xx naming their field (a viewer,
// a second activation, a closed incident).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentBody, startTestApp, type TestApp } from '../../test/helpers.ts';

let t: TestApp;
let commander: { token: string };
let viewer: { token: string };

beforeAll(async () => {
  t = await startTestApp();
  commander = await t.userWith('commander', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t.stop());

describe('POST /api/v1/incidents/{id}/activations', () => {
  it('activates an approved digital plan, creating its tasks; refuses a repeat, a viewer and a closed incident', async () => {
    const created = await t.api('POST', '/api/v1/plans', {
      token: commander.token,
      body: {
        name: '危化品事故预案（HTTP）',
        kind: 'special',
        hazardCodes: ['12D00'],
        activation: { minLevel: 'IV' },
        levels: [
          {
            level: 'IV',
            actions: [
              { unit: 'xfzd', title: '侦检堵漏', dueMinutes: 15 },
              { unit: 'sthjj', title: '环境监测', dueMinutes: 60 },
            ],
          },
        ],
      },
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    const approved = await t.api('PATCH', `/api/v1/plans/${plan.id}`, {
      token: commander.token,
      body: { version: plan.version, status: 'approved' },
    });
    expect(approved.json()).toMatchObject({ status: 'approved', edition: 1 });
    const inc = (
      await t.api('POST', '/api/v1/incidents', { token: commander.token, body: incidentBody({ typeCode: '12D02' }) })
    ).json();

    const sug = await t.api('GET', `/api/v1/incidents/${inc.id}/plan-suggestions`, { token: viewer.token });
    expect(sug.statusCode).toBe(200);
    expect(sug.json().items.map((s: { planId: string }) => s.planId)).toContain(plan.id);

    const url = `/api/v1/incidents/${inc.id}/activations`;
    const body = { planId: plan.id, level: 'IV' };
    expect((await t.api('POST', url, { token: viewer.token, body })).statusCode).toBe(403);
    const r = await t.api('POST', url, { token: commander.token, body });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ planId: plan.id, level: 'IV', status: 'active', tasks: { total: 2, open: 2 } });
    const again = await t.api('POST', url, { token: commander.token, body });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'PLAN_ALREADY_ACTIVE', field: 'planId' });

    const tasks = await t.api('GET', `/api/v1/tasks?incidentId=${inc.id}`, { token: commander.token });
    expect(
      tasks
        .json()
        .items.map((x: { unit: string }) => x.unit)
        .sort(),
    ).toEqual(['sthjj', 'xfzd']);
    const log = await t.api('GET', `/api/v1/incidents/${inc.id}/log`, {
      token: commander.token,
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(JSON.stringify(log.json())).toContain('危化品事故预案（HTTP）');

    const closed = await t.api('POST', `/api/v1/incidents/${inc.id}/transitions`, {
      token: commander.token,
      body: { to: 'closed', note: '测试' },
    });
    expect(closed.statusCode).toBe(200);
    const [a] = (await t.api('GET', url, { token: commander.token })).json().items;
    const raise = await t.api('PATCH', `${url}/${a.id}`, { token: commander.token, body: { level: 'III' } });
    expect(raise.statusCode).toBe(409);
    expect(raise.json().error.code).toBe('INCIDENT_CLOSED');
    const bad = await t.api('POST', url, { token: commander.token, body: { planId: 'nope', level: 'IV' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('planId');
  });

  it('exports the plans register as a workbook with the list filters', async () => {
    const r = await t.api('GET', '/api/v1/plans/export.xlsx?q=HTTP', { token: viewer.token });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-row-count']).toBe('1');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as never);
    const ws = wb.getWorksheet('应急预案');
    expect(ws?.getRow(2).getCell(1).value).toBe('危化品事故预案（HTTP）');
  });
});
