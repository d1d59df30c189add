// The expert register, draws and consultations at the service level: a draw recomputed from its record (and
// refused when the record is tampered with), avoidance over many seeds, too few candidates, replacements, invitation
// replies, the import's row errors, consultations linked to incidents within scope, and periodic assessments.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpertInput } from '../../../contracts/experts.ts';
import { type RequestCtx, systemCtx } from '../../platform/core/context.ts';
import { startImport } from '../../platform/imports/imports.service.ts';
import { ctxAs, makeIncident, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import * as cs from './consultations.service.ts';
import { avoided, drawFrom, newSeed } from './draw.ts';
import { expertImport } from './experts.import.ts';
import * as svc from './experts.service.ts';
import type { ExpertsInternal } from './module.ts';

let t: TestPlatform;
let deps: svc.ExpertsDeps;
let duty: RequestCtx;

const expert = (over: Partial<ExpertInput> = {}): ExpertInput => ({
  name: '测试专家',
  fields: ['11A01'],
  title: 'senior',
  organisation: '威海市水文中心',
  phones: ['13806311234'],
  ...over,
});

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<ExpertsInternal>('experts').deps;
  duty = await seededCtx(t.platform, 'duty_officer');
});
afterAll(async () => {
  await t?.stop();
});

describe('the draw algorithm', () => {
  it('gives the same result for the same seed and candidates in any order, and another for another seed', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `id-${String(i).padStart(2, '0')}`);
    const seed = newSeed();
    const a = drawFrom(ids, 5, seed);
    expect(a).toHaveLength(5);
    expect(new Set(a).size).toBe(5);
    expect(drawFrom([...ids].reverse(), 5, seed)).toEqual(a);
    // a different seed: a different draw (the chance of the same 5 in the same order is ~1 in 17 million)
    expect(drawFrom(ids, 5, 'f'.repeat(64))).not.toEqual(drawFrom(ids, 5, '0'.repeat(64)));
  });

  it('draws every candidate about equally often', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const hits = new Map(ids.map((x) => [x, 0]));
    for (let i = 0; i < 4000; i++) {
      const [first] = drawFrom(ids, 1, i.toString(16).padStart(64, '0'));
      hits.set(first as string, (hits.get(first as string) ?? 0) + 1);
    }
    for (const n of hits.values()) expect(n).toBeGreaterThan(850);
  });

  it('avoids an organisation by its name or a name containing it, full-width and spaces folded', () => {
    expect(avoided('威海市立医院急诊科', ['威海市立医院'])).toBe(true);
    expect(avoided('威海市 立医院', ['威海市立医院'])).toBe(true);
    expect(avoided('哈尔滨工业大学（威海）', ['哈尔滨工业大学(威海)'])).toBe(true);
    expect(avoided('威海市中心医院', ['威海市立医院'])).toBe(false);
  });
});

describe('the register', () => {
  it('registers an expert, masks contacts without personal.read, and refuses unknown field codes by position', async () => {
    const e = await svc.createExpert(deps, duty, expert({ name: '注册测试', email: 'reg@example.cn' }));
    expect(e.fields).toEqual(['11A01']);
    expect(e.availableNow).toBe(true);
    const viewer = await seededCtx(t.platform, 'viewer');
    const seen = await svc.getExpert(deps, viewer, e.id);
    expect(seen.phones).toEqual(['138****1234']);
    expect(seen.email).toBe('r***@example.cn');
    const r = await refusal(svc.createExpert(deps, duty, expert({ fields: ['11A01', '11Z77'] })));
    expect(r).toMatchObject({ code: 'UNKNOWN_FIELD_CODE', status: 400, field: 'fields.1' });
    expect(await refusal(svc.createExpert(deps, viewer, expert()))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('filters by field with categories both ways, and by availability today', async () => {
    const flood = await svc.createExpert(deps, duty, expert({ name: '筛选洪水', fields: ['11A01'] }));
    const water = await svc.createExpert(deps, duty, expert({ name: '筛选水旱', fields: ['11A00'] }));
    const away = await svc.createExpert(
      deps,
      duty,
      expert({
        name: '筛选外出',
        fields: ['11A01'],
        availability: { status: 'unavailable', until: '2099-01-01', reason: '出国' },
      }),
    );
    const byLeaf = await svc.listExperts(deps, duty, { field: '11A01', q: '筛选', limit: 50 });
    expect(byLeaf.items.map((x) => x.id).sort()).toEqual([flood.id, water.id, away.id].sort());
    const byCategory = await svc.listExperts(deps, duty, { field: '11A00', q: '筛选', limit: 50 });
    expect(byCategory.total).toBe(3);
    const available = await svc.listExperts(deps, duty, { q: '筛选', availability: 'available', limit: 50 });
    expect(available.items.map((x) => x.id).sort()).toEqual([flood.id, water.id].sort());
    expect(available.items.find((x) => x.id === flood.id)?.availableNow).toBe(true);
  });

  it('refuses a stale version', async () => {
    const e = await svc.createExpert(deps, duty, expert({ name: '版本测试' }));
    await svc.updateExpert(deps, duty, e.id, { version: e.version, speciality: '防洪调度' });
    const r = await refusal(svc.updateExpert(deps, duty, e.id, { version: e.version, speciality: '别的' }));
    expect(r).toMatchObject({ code: 'VERSION_CONFLICT', status: 409, field: 'version' });
  });
});

describe('draws', () => {
  // a field of its own, so that the other tests' experts never enter these pools
  const FIELD = '11B05';
  const ids = new Map<string, string>();

  beforeAll(async () => {
    const orgs = ['甲研究院', '乙大学', '丙医院', '丁设计院'];
    for (let i = 0; i < 12; i++) {
      const e = await svc.createExpert(
        deps,
        duty,
        expert({ name: `抽取${i}`, fields: [FIELD], organisation: orgs[i % 4] as string }),
      );
      ids.set(e.name, e.id);
    }
    // neither of these may ever be drawn
    await svc.createExpert(
      deps,
      duty,
      expert({ name: '抽取停用', fields: [FIELD], organisation: '甲研究院', active: false }),
    );
    await svc.createExpert(
      deps,
      duty,
      expert({ name: '抽取外出', fields: [FIELD], organisation: '乙大学', availability: { status: 'unavailable' } }),
    );
  });

  it('records a draw that verifies, and tampering with the record makes it fail', async () => {
    const d = await svc.createDraw(deps, duty, { fields: [FIELD], count: 3, purpose: '台风会商' });
    const [round] = d.rounds;
    expect(round?.candidates).toHaveLength(12);
    expect(round?.candidates).toEqual([...(round?.candidates ?? [])].sort());
    expect(round?.result).toHaveLength(3);
    expect(round?.result).toEqual(drawFrom(round?.candidates ?? [], 3, round?.seed ?? ''));
    expect(d.invitations.map((i) => i.expert.id)).toEqual(round?.result);
    expect(d.invitations.every((i) => i.status === 'invited')).toBe(true);

    const ok = await svc.verifyDraw(deps, duty, d.id);
    expect(ok).toMatchObject({ matches: true, poolUnchanged: true });

    // someone swaps a drawn expert in the database: the recomputation no longer matches
    const other = round?.candidates.find((c) => !round.result.includes(c)) as string;
    await sql`update expert_draws set result[1] = ${other} where id = ${d.id}`.execute(t.platform.db.kysely);
    const bad = await svc.verifyDraw(deps, duty, d.id);
    expect(bad.matches).toBe(false);
    expect(bad.rounds[0]?.resultMatches).toBe(false);

    // put the result back but change the seed and the result consistently: the digest gives it away
    const seed = 'a'.repeat(64);
    const forged = drawFrom(round?.candidates ?? [], 3, seed);
    await sql`update expert_draws set seed = ${seed}, result = ${forged}::text[] where id = ${d.id}`.execute(
      t.platform.db.kysely,
    );
    const forgedCheck = await svc.verifyDraw(deps, duty, d.id);
    expect(forgedCheck.rounds[0]).toMatchObject({ resultMatches: true, digestMatches: false });
    expect(forgedCheck.matches).toBe(false);
  });

  it('tells when the pool would differ today', async () => {
    const d = await svc.createDraw(deps, duty, { fields: [FIELD], count: 2, purpose: '池变化' });
    const e = await svc.createExpert(deps, duty, expert({ name: '抽取新增', fields: [FIELD], organisation: '戊公司' }));
    const v = await svc.verifyDraw(deps, duty, d.id);
    expect(v.matches).toBe(true);
    expect(v.poolUnchanged).toBe(false);
    expect(v.poolToday.added).toEqual([e.id]);
    await svc.updateExpert(deps, duty, e.id, { version: e.version, active: false });
  });

  it('never draws an expert of an avoided organisation, nor an excluded expert, over many seeds', async () => {
    const excluded = ids.get('抽取1') as string;
    const avoidedIds = new Set<string>();
    for (const [name, id] of ids) if (Number(name.slice(2)) % 4 === 0) avoidedIds.add(id);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const d = await svc.createDraw(deps, duty, {
        fields: [FIELD],
        count: 4,
        purpose: `回避 ${i}`,
        excludeOrganisations: ['甲研究院'],
        excludeExpertIds: [excluded],
      });
      const round = d.rounds[0];
      expect(round?.candidates).toHaveLength(8);
      for (const id of round?.result ?? []) {
        expect(avoidedIds.has(id)).toBe(false);
        expect(id).not.toBe(excluded);
        seen.add(id);
      }
    }
    // forty draws of four among eight: every allowed candidate came up at some point
    expect(seen.size).toBe(8);
  });

  it('refuses to draw more than the candidates, naming count and how many there are', async () => {
    const r = await refusal(
      svc.createDraw(deps, duty, { fields: [FIELD], count: 10, purpose: '太多', excludeOrganisations: ['甲研究院'] }),
      'en',
    );
    expect(r).toMatchObject({ code: 'TOO_FEW_CANDIDATES', status: 409, field: 'count' });
    expect(r.message).toContain('Only 9 experts');
    expect(r.message).toContain('10');
  });

  it('records replies, replaces the declined in a follow-up round that verifies, and never re-invites', async () => {
    const d = await svc.createDraw(deps, duty, { fields: [FIELD], count: 3, purpose: '替补' });
    const [a, b] = d.invitations;
    expect(
      await refusal(svc.replyInvitation(deps, duty, b?.id as string, { version: b?.version ?? 0, status: 'declined' })),
    ).toMatchObject({ code: 'DECLINE_REASON_REQUIRED', field: 'reason' });
    await svc.replyInvitation(deps, duty, a?.id as string, { version: a?.version ?? 0, status: 'accepted' });
    const declined = await svc.replyInvitation(deps, duty, b?.id as string, {
      version: b?.version ?? 0,
      status: 'declined',
      reason: '出差',
    });
    expect(declined).toMatchObject({ status: 'declined', reason: '出差', replaced: false });
    expect(
      await refusal(svc.replyInvitation(deps, duty, a?.id as string, { version: 1, status: 'declined', reason: 'x' })),
    ).toMatchObject({ code: 'INVITATION_ANSWERED', status: 409 });

    const after = await svc.replaceDeclined(deps, duty, d.id, { reason: '专家谢绝' });
    expect(after.rounds).toHaveLength(2);
    const second = after.rounds[1];
    expect(second?.result).toHaveLength(1);
    const first = new Set(after.rounds[0]?.result);
    expect(first.has(second?.result[0] as string)).toBe(false);
    expect(second?.candidates.some((c) => first.has(c))).toBe(false);
    expect(after.invitations).toHaveLength(4);
    expect(after.invitations.find((i) => i.id === b?.id)?.replaced).toBe(true);
    expect((await svc.verifyDraw(deps, duty, d.id)).matches).toBe(true);
    // nothing left to replace
    expect(await refusal(svc.replaceDeclined(deps, duty, d.id, {}))).toMatchObject({ code: 'NOTHING_TO_REPLACE' });
  });

  it('keeps a draw linked to an incident within the scope of that incident', async () => {
    const incident = await makeIncident(t.platform, systemCtx());
    const huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
    const wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
    expect(
      await refusal(
        svc.createDraw(deps, wendeng, { fields: [FIELD], count: 1, purpose: 'x', incidentId: incident.id }),
      ),
    ).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403, field: 'incidentId' });
    const d = await svc.createDraw(deps, huancui, {
      fields: [FIELD],
      count: 1,
      purpose: '环翠',
      incidentId: incident.id,
    });
    expect((await svc.getDraw(deps, huancui, d.id)).incidentId).toBe(incident.id);
    expect(await refusal(svc.getDraw(deps, wendeng, d.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });
});

describe('the import', () => {
  const csv = (rows: string[]) =>
    Buffer.from(['姓名,专业领域,职称级别,工作单位,联系电话,所在区市', ...rows].join('\n'));

  it('names every bad row and writes nothing; a good file writes every row', async () => {
    const decl = expertImport(deps);
    const before = (await svc.listExperts(deps, duty, { q: '导入', limit: 1 })).total;
    const dry = await startImport(
      t.platform,
      decl,
      duty,
      {
        name: 'experts.csv',
        data: csv([
          '导入甲,洪水、11B01,正高级,威海市水文中心,13806310001,环翠区',
          '导入乙,11Z99,副高级,威海市立医院,13806310002,',
          '导入丙,11A01,教授,威海市立医院,13806310003,',
          '导入丁,11A01,中级,某单位,12,火星区',
        ]),
      },
      { mode: 'commit', datum: 'wgs84' },
    );
    const report = (await dry.done).result as {
      errors: { row: number; column?: string; code: string }[];
      written: number;
    };
    const byRow = new Map<number, string[]>();
    for (const e of report.errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.code]);
    expect([...byRow.keys()].sort()).toEqual([3, 4, 5]);
    expect(byRow.get(3)).toContain('UNKNOWN_FIELD_CODE');
    expect(byRow.get(4)?.join()).toMatch(/IMPORT/);
    expect((await svc.listExperts(deps, duty, { q: '导入', limit: 1 })).total).toBe(before);

    const good = await startImport(
      t.platform,
      decl,
      duty,
      { name: 'experts.csv', data: csv(['导入甲,洪水、11B01,正高级,威海市水文中心,13806310001,环翠区']) },
      { mode: 'commit', datum: 'wgs84' },
    );
    await good.done;
    const [made] = (await svc.listExperts(deps, duty, { q: '导入甲', limit: 5 })).items;
    expect(made).toMatchObject({ fields: ['11A01', '11B01'], title: 'senior', district: { code: '371002' } });
  });
});

describe('consultations', () => {
  it('links an incident in scope, refuses one out of scope, and lists by scope', async () => {
    const incident = await makeIncident(t.platform, systemCtx(), { title: '会商事件' });
    const huancui = await ctxAs(t.platform, 'district_staff', '371002', 'district');
    const wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
    const input = {
      title: '台风会商',
      kind: 'incident' as const,
      startsAt: new Date().toISOString(),
      incidentId: incident.id,
    };
    expect(await refusal(cs.createConsultation(deps, wendeng, input))).toMatchObject({
      code: 'OUT_OF_SCOPE',
      field: 'incidentId',
    });
    expect(
      await refusal(
        cs.createConsultation(deps, huancui, { ...input, incidentId: '01900000-0000-7000-8000-000000000000' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', status: 404, field: 'incidentId' });
    expect(await refusal(cs.createConsultation(deps, huancui, { ...input, incidentId: undefined }))).toMatchObject({
      code: 'LINK_REQUIRED',
      field: 'incidentId',
    });
    const c = await cs.createConsultation(deps, huancui, input);
    expect(c.incident).toMatchObject({ id: incident.id, number: incident.number });
    expect(c.district).toBe('371002');
    expect((await cs.listConsultations(deps, huancui, { incidentId: incident.id })).total).toBe(1);
    expect((await cs.listConsultations(deps, wendeng, { incidentId: incident.id })).total).toBe(0);
    expect(await refusal(cs.getConsultation(deps, wendeng, c.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });

  it('moves planned → held → closed one step at a time, closing with conclusions, then refuses changes', async () => {
    const e = await svc.createExpert(deps, duty, expert({ name: '会商专家' }));
    const c = await cs.createConsultation(deps, duty, {
      title: '周期会商',
      kind: 'periodic',
      startsAt: new Date().toISOString(),
      participants: { experts: [e.id], units: ['swj', 'yjj'] },
      agenda: ['研判'],
    });
    expect(c.participants.experts).toEqual([{ id: e.id, name: '会商专家', organisation: '威海市水文中心' }]);
    expect(c.participants.units.map((u) => u.code)).toEqual(['swj', 'yjj']);
    expect(
      await refusal(cs.updateConsultation(deps, duty, c.id, { version: c.version, status: 'closed' })),
    ).toMatchObject({
      code: 'CONSULTATION_STATUS_STEP',
      field: 'status',
    });
    const held = await cs.updateConsultation(deps, duty, c.id, { version: c.version, status: 'held', minutes: '纪要' });
    expect(
      await refusal(cs.updateConsultation(deps, duty, c.id, { version: held.version, status: 'closed' })),
    ).toMatchObject({
      code: 'VALIDATION',
      field: 'conclusions',
    });
    const closed = await cs.updateConsultation(deps, duty, c.id, {
      version: held.version,
      status: 'closed',
      conclusions: ['加强值守'],
    });
    expect(closed.status).toBe('closed');
    expect(
      await refusal(cs.updateConsultation(deps, duty, c.id, { version: closed.version, title: 'x' })),
    ).toMatchObject({
      code: 'CONSULTATION_CLOSED',
    });
    expect(
      await refusal(
        cs.createConsultation(deps, duty, {
          title: 'x',
          kind: 'periodic',
          startsAt: new Date().toISOString(),
          participants: { units: ['nope'] },
        }),
      ),
    ).toMatchObject({ code: 'UNKNOWN_UNIT', field: 'participants.units.0' });
  });

  it('takes attachments from those who keep minutes, within the scope of the consultation', async () => {
    const incident = await makeIncident(t.platform, systemCtx(), { title: '附件事件' });
    const c = await cs.createConsultation(deps, duty, {
      title: '附件会商',
      kind: 'incident',
      startsAt: new Date().toISOString(),
      incidentId: incident.id,
    });
    const file = { entity: 'consultation', entityId: c.id, name: '纪要.txt', data: new TextEncoder().encode('纪要') };
    const info = await t.platform.files.upload(duty, file);
    expect(info).toMatchObject({ entity: 'consultation', entityId: c.id, name: '纪要.txt' });
    const viewer = await seededCtx(t.platform, 'viewer');
    expect((await t.platform.files.list(viewer, 'consultation', c.id)).total).toBe(1);
    expect(await refusal(t.platform.files.upload(viewer, file))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
    expect(await refusal(t.platform.files.list(wendeng, 'consultation', c.id))).toMatchObject({
      code: 'OUT_OF_SCOPE',
      field: 'entityId',
    });
  });

  it('pre-fills an assessment from a template, once per period, and lists what is due', async () => {
    const { items } = await cs.listTemplates(deps, duty);
    expect(items.map((x) => x.key)).toEqual(
      expect.arrayContaining(['monthly_risk', 'quarterly_risk', 'holiday_risk', 'flood_season']),
    );
    const due = await cs.dueAssessments(deps, duty, { on: '2031-05-20' });
    const flood = due.items.find((x) => x.template === 'flood_season');
    expect(flood).toMatchObject({ period: '2031-flood_season', dueOn: '2031-05-31', state: 'due' });
    expect(due.items.find((x) => x.template === 'monthly_risk')).toMatchObject({
      period: '2031-05',
      dueOn: '2031-05-05',
      state: 'overdue',
    });
    expect(due.items.find((x) => x.template === 'quarterly_risk')).toMatchObject({ period: '2031-Q2' });

    const made = await cs.fromTemplate(deps, duty, { template: 'flood_season', period: '2031-flood_season' });
    expect(made).toMatchObject({ kind: 'periodic', template: 'flood_season', period: '2031-flood_season' });
    expect(made.title).toContain('汛');
    expect(made.agenda.length).toBeGreaterThan(0);
    expect(made.minutes).toContain('一、汛期气候趋势');
    expect(made.startsAt).toBe('2031-05-31T01:00:00.000Z');
    expect(
      await refusal(cs.fromTemplate(deps, duty, { template: 'flood_season', period: '2031-flood_season' })),
    ).toMatchObject({ code: 'ASSESSMENT_EXISTS', status: 409, field: 'period' });
    expect(await refusal(cs.fromTemplate(deps, duty, { template: 'monthly_risk', period: '2031-Q2' }))).toMatchObject({
      code: 'PERIOD_MISMATCH',
      field: 'period',
    });
    expect(await refusal(cs.fromTemplate(deps, duty, { template: 'nope', period: '2031-05' }))).toMatchObject({
      code: 'UNKNOWN_TEMPLATE',
      field: 'template',
    });
    const again = await cs.dueAssessments(deps, duty, { on: '2031-05-20' });
    expect(again.items.find((x) => x.template === 'flood_season')).toMatchObject({
      state: 'planned',
      consultationId: made.id,
    });
  });
});
