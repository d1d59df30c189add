// Drill mode at the service level on real repositories: an exercise with an incident inject and a readings inject
// that crosses a rule → the incident and the warning carry the mark (their alarms say 【演练】); publishing is refused;
// the public feed and page list nothing of it; a webhook escalation step (a real local HTTP server) receives nothing
// and the delivery is recorded suppressed; no row is written to the real readings table; injects play once with two
// runners at once; acknowledge / classify / activate / dispatch are measured from the incident's log; the report
// .docx opens with its title and table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrillRecordInput } from '../../../contracts/drills.ts';
import type { Exercise, ExerciseInput } from '../../../contracts/exercises.ts';
import type { Delivery, PolicyInput, Warning, WarningListQuery } from '../../../contracts/warnings.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { seededCtx } from '../../test/factories.ts';
import { refusal, startTestApp, type TestApp } from '../../test/helpers.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import type { MonitoringApi } from '../monitoring/index.ts';
import { exerciseReport } from './exercise-docx.ts';
import * as svc from './exercises.service.ts';
import type { ExercisesInternal } from './module.ts';

/** what this test asks of the warnings module's internals (its escalation is swept by hand: timers are off) */
interface WarningsInside {
  activeColourOf(deviceId: string): string | null;
  svc: { list(ctx: RequestCtx, q: WarningListQuery): Promise<{ items: Warning[]; total: number }> };
  escalation: {
    createPolicy(ctx: RequestCtx, input: PolicyInput): Promise<unknown>;
    sweep(): Promise<number>;
    deliveries(warningId: string): Promise<Delivery[]>;
  };
}

// One whole app: the services are called directly; the public feed, the publish refusal and a level set by hand go
// through HTTP (those paths are what is tested there).
let t: TestApp;
let token: string;
let deps: svc.ExercisesDeps;
let w: WarningsInside;
let m: MonitoringApi;
let incidents: IncidentsApi;
let commander: RequestCtx;
let admin: RequestCtx;
let hook: Server;
let hookUrl: string;
const received: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  token = (await t.loginAs('commander')).token;
  deps = t.module<ExercisesInternal>('exercises').deps;
  w = t.module<WarningsInside>('warnings');
  m = t.module<MonitoringApi>('monitoring');
  incidents = t.module<IncidentsApi>('incidents');
  commander = await seededCtx(t.platform, 'commander');
  admin = await seededCtx(t.platform, 'admin');
  hook = createServer((req: IncomingMessage, res) => {
    received.push(req.url ?? '');
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => hook?.close(r));
  await t?.stop();
});

const HUANCUI = { type: 'Point' as const, coordinates: [122.12, 37.5] };

async function exercise(over: Partial<ExerciseInput> = {}): Promise<Exercise> {
  const { device } = await m.createDevice(commander, {
    name: '演练测试 气体探测器',
    kind: 'gas_detector',
    metrics: ['gas_lel_pct'],
    location: HUANCUI,
  });
  return svc.createExercise(deps, commander, {
    title: '化工园区泄漏综合演练',
    scenario: '某化工企业储罐区发生可燃气体泄漏。',
    content: 'comprehensive',
    form: 'live',
    planName: '威海市危险化学品事故应急预案',
    organiserUnit: 'yjj',
    participants: ['yjj'],
    director: '张指挥',
    injects: [
      {
        offsetSeconds: 0,
        kind: 'incident',
        title: '储罐区可燃气体泄漏',
        payload: { typeCode: '12D02', location: HUANCUI, casualties: { injured: 2 } },
      },
      {
        offsetSeconds: 0,
        kind: 'readings',
        title: '探测器浓度上升',
        payload: { deviceId: device.id, metric: 'gas_lel_pct', start: 10, step: 10, count: 3, intervalMinutes: 1 },
      },
      { offsetSeconds: 0, kind: 'message', title: '现场报告', payload: { text: '现场风向东北，下风向有居民区。' } },
      { offsetSeconds: 3600, kind: 'message', title: '后续', payload: { text: '一小时后的情景。' } },
    ],
    ...over,
  });
}

const readingsCount = async () =>
  Number(
    (
      await t.platform.db.kysely
        .selectFrom('readings')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('an exercise leaks nothing outside', () => {
  let ex: Exercise;
  it('plays its due injects once with two runners at once; the incident and the warning carry the mark', async () => {
    await w.escalation.createPolicy(admin, {
      name: '演练测试：气体报警外部通知',
      hazardCodes: ['12D02'],
      districts: [],
      minColour: 'yellow',
      steps: [
        { afterMinutes: 0, contacts: [{ unit: 'yjj', channels: ['in_app', 'webhook'], webhookUrl: `${hookUrl}/x` }] },
      ],
    });
    ex = await exercise();
    expect(ex.status).toBe('draft');
    const readingsBefore = await readingsCount();
    // start plays what is due (offset 0) itself: take the start's own play out of the race by starting first
    const started = await svc.startExercise(deps, commander, ex.id, ex.version);
    expect(started.status).toBe('running');
    // two runners at once find nothing more to play: every due inject was claimed once
    const [a, b] = await Promise.all([svc.playDue(deps), svc.playDue(deps)]);
    expect(a + b).toBe(0);
    ex = await svc.getExercise(deps, commander, ex.id);
    expect(ex.injects.map((i) => i.playedAt !== null)).toEqual([true, true, true, false]);
    expect(ex.injects.every((i) => !i.result?.error)).toBe(true);

    const incidentId = ex.injects[0]!.result!.incidentId!;
    const incident = await incidents.getIncident(commander, incidentId);
    expect(incident.exercise).toEqual({ id: ex.id, title: ex.title });
    const { items: mine } = await incidents.listIncidents(commander, { exercise: 'only', limit: 50 });
    expect(mine.map((i) => i.id)).toEqual([incidentId]);
    const { items: real } = await incidents.listIncidents(commander, { exercise: 'exclude', limit: 500 });
    expect(real.some((i) => i.id === incidentId)).toBe(false);

    const { items: warnings } = await w.svc.list(commander, { exercise: 'only', status: 'active' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ colour: 'yellow', exercise: { id: ex.id, title: ex.title } });
    // the device's real state is untouched: no real warning colours it
    expect(w.activeColourOf(warnings[0]!.deviceId!)).toBeNull();
    expect(ex.injects[1]!.result).toMatchObject({ readings: 3, transitions: 1 });
    // not one reading row written to the real table
    expect(await readingsCount()).toBe(readingsBefore);

    // the alarms say 演练
    const open = (await t.platform.alerts.listOpen(commander, { limit: 200 })).items;
    const mark = (src: string, id: string) => open.filter((x) => x.source === src && x.sourceId === id);
    expect(mark('incident', incidentId)[0]?.title.zh).toMatch(/^【演练】/);
    expect(mark('warning', warnings[0]!.id)[0]?.title.zh).toMatch(/^【演练】/);
    expect(mark('exercise', ex.id)[0]?.title.zh).toContain('下风向有居民区');

    // the escalation's webhook hears nothing; the delivery is recorded suppressed, the in-app one sent
    await w.escalation.sweep();
    expect(received).toEqual([]);
    const deliveries = await w.escalation.deliveries(warnings[0]!.id);
    expect(deliveries.map((d) => `${d.channel}:${d.status}`).sort()).toEqual(['in_app:sent', 'webhook:suppressed']);
    expect(deliveries.find((d) => d.channel === 'webhook')?.detail).toBe('suppressed (演练)');

    // publishing is refused; the public feed and page list nothing of it
    const r = await t.api('POST', `/api/v1/warnings/${warnings[0]!.id}/publish`, {
      token,
      body: { version: warnings[0]!.version },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ error: { code: 'WARNING_EXERCISE_NOT_PUBLIC', field: 'id' } });
    for (const url of ['/public/cap/feed.atom', '/public/warnings', '/public/warnings?lang=en']) {
      const page = await t.api('GET', url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(warnings[0]!.number);
      expect(page.body).not.toContain(ex.title);
    }
  });

  it('measures acknowledge, classify, activate and dispatch from the incident log, frozen at the end', async () => {
    const incidentId = ex.injects[0]!.result!.incidentId!;
    let live = await svc.getExercise(deps, commander, ex.id);
    expect(live.measurements.map((x) => `${x.measure}:${x.verdict}`)).toEqual([
      'acknowledge:pending',
      'classify:pending',
      'activate:pending',
      'dispatch:pending',
    ]);
    // 接报确认 of the incident's alarm
    const alarm = (await t.platform.alerts.listOpen(commander, { limit: 200 })).items.find(
      (x) => x.source === 'incident' && x.sourceId === incidentId,
    );
    await t.platform.alerts.acknowledge(commander, alarm!.id);
    // a level set by a person (the incident page's form)
    const cur = await incidents.getIncident(commander, incidentId);
    const patched = await t.api('PATCH', `/api/v1/incidents/${incidentId}`, {
      token,
      body: { level: 'III', levelReason: '演练研判', version: cur.version },
    });
    expect(patched.statusCode).toBe(200);
    // the command and forces modules write these facts on the log through the incidents door when they act
    await incidents.recordFact(commander, incidentId, {
      kind: 'plan_activated',
      planName: '危化品预案',
      level: 'III',
      tasks: 3,
    });
    await incidents.recordFact(commander, incidentId, { kind: 'team_dispatched', teamName: '特勤站', etaSeconds: 600 });
    live = await svc.getExercise(deps, commander, ex.id);
    expect(live.measurements.map((x) => `${x.measure}:${x.verdict}`)).toEqual([
      'acknowledge:met',
      'classify:met',
      'activate:met',
      'dispatch:met',
    ]);
    expect(live.measurements.every((x) => x.seconds !== null && x.seconds >= 0)).toBe(true);

    const ended = await svc.endExercise(deps, commander, ex.id, live.version);
    expect(ended.status).toBe('ended');
    // the end recorded the drill through the drills module's door
    expect(ended.drillId).toEqual(expect.any(String));
    expect(ended.measurements.map((x) => x.verdict)).toEqual(['met', 'met', 'met', 'met']);
    // the pending inject stays unplayed; the exercise's warnings are lifted; its notices resolved
    expect(ended.injects[3]!.playedAt).toBeNull();
    expect((await w.svc.list(commander, { exercise: 'only', status: 'active' })).total).toBe(0);
    expect((await refusal(svc.playNow(deps, commander, ex.id, ended.injects[3]!.id))).code).toBe('EXERCISE_STATUS');

    const evaluated = await svc.updateExercise(deps, commander, ex.id, {
      version: ended.version,
      observations: '接报确认及时；下风向疏散指令下达偏晚。',
      improvements: [{ action: '修订疏散指令模板', owner: '应急管理局', dueDate: '2027-01-31' }],
    });
    // what the drill record receives fits the drills contract (a uuid-less plan is left out, the source is this one)
    const drill = svc.drillInput(evaluated);
    expect(Value.Check(DrillRecordInput, drill)).toBe(true);
    expect(drill.source).toEqual({ kind: 'exercise', exerciseId: ex.id });
    expect(drill.problems?.[0]?.actions?.[0]).toMatchObject({
      description: '修订疏散指令模板',
      deadline: '2027-01-31',
    });
    const bytes = await exerciseReport(evaluated, new Date());
    const dir = mkdtempSync(join(tmpdir(), 'exercise-docx-'));
    writeFileSync(join(dir, 'r.docx'), bytes);
    const xml = execFileSync('unzip', ['-p', join(dir, 'r.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('化工园区泄漏综合演练（演练）评估报告');
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain('接报确认');
    expect(xml).toContain('修订疏散指令模板');
  });

  it('refuses what does not fit: a bad payload by field, a start without injects, a script changed while running', async () => {
    const bad = await refusal(
      svc.createExercise(deps, commander, {
        title: 'x',
        content: 'single',
        form: 'tabletop',
        organiserUnit: 'yjj',
        injects: [{ offsetSeconds: 0, kind: 'incident', title: '缺类型', payload: { address: '某地' } }],
      }),
    );
    expect(bad).toMatchObject({ code: 'INJECT_PAYLOAD', field: 'injects.0.payload' });
    const empty = await svc.createExercise(deps, commander, {
      title: '空演练',
      content: 'single',
      form: 'tabletop',
      organiserUnit: 'yjj',
    });
    expect((await refusal(svc.startExercise(deps, commander, empty.id, empty.version))).code).toBe(
      'EXERCISE_NO_INJECTS',
    );
    const x = await exercise({ title: '第二次演练' });
    const running = await svc.startExercise(deps, commander, x.id, x.version);
    expect(
      (await refusal(svc.updateExercise(deps, commander, x.id, { version: running.version, injects: [] }))).code,
    ).toBe('EXERCISE_NOT_DRAFT');
    // an hour on, two runners at once: the inject now due is played by exactly one of them
    const pending = running.injects.find((i) => !i.playedAt)!;
    const clock = t.platform.clock as { now: () => Date };
    const realNow = clock.now;
    clock.now = () => new Date(realNow().getTime() + 2 * 3600_000);
    let counts: number[];
    try {
      counts = await Promise.all([svc.playDue(deps), svc.playDue(deps)]);
    } finally {
      clock.now = realNow;
    }
    expect(counts.reduce((s, n) => s + n, 0)).toBe(1);
    const after = await svc.getExercise(deps, commander, x.id);
    expect(after.injects.find((i) => i.id === pending.id)?.playedAt).not.toBeNull();
    // play now of a played inject is refused
    expect((await refusal(svc.playNow(deps, commander, x.id, pending.id))).code).toBe('INJECT_PLAYED');
    await svc.cancelExercise(deps, commander, x.id, after.version);
  });

  it('an exercise the duty officer runs and ends gets its drill record, though the duty officer keeps no drill register', async () => {
    const duty = await seededCtx(t.platform, 'duty_officer');
    expect(duty.actor.permissions.has('drills.manage')).toBe(false);
    const x = await svc.createExercise(deps, duty, {
      title: '值班室桌面推演',
      content: 'single',
      form: 'tabletop',
      organiserUnit: 'yjj',
      injects: [{ offsetSeconds: 0, kind: 'message', title: '情景', payload: { text: '接报演练。' } }],
    });
    const running = await svc.startExercise(deps, duty, x.id, x.version);
    const ended = await svc.endExercise(deps, duty, x.id, running.version);
    expect(ended.drillId).toEqual(expect.any(String));
    // written for the organiser's unit from this exercise
    const row = await t.platform.db.kysely
      .selectFrom('drills')
      .select(['title', 'organiser_unit', 'source_kind', 'exercise_id', 'form'])
      .where('id', '=', ended.drillId ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      title: `值班室桌面推演（${ended.number}）`,
      organiser_unit: 'yjj',
      source_kind: 'exercise',
      exercise_id: x.id,
      form: 'tabletop',
    });
  });
});
