import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type Incident, isLeafType } from '../../../contracts/incidents.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs, incidentInput, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import { mergeIncident, unmergeIncident } from './incidents.merge.ts';
import * as svc from './incidents.service.ts';
import type { IncidentsApi } from './index.ts';

let t: TestPlatform;
let deps: svc.IncidentDeps;
let duty: RequestCtx;
let admin: RequestCtx;
let field: RequestCtx;
beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<IncidentsApi & { deps: svc.IncidentDeps }>('incidents').deps;
  duty = await seededCtx(t.platform, 'duty_officer');
  admin = await seededCtx(t.platform, 'admin');
  field = await seededCtx(t.platform, 'field_responder');
});
afterAll(() => t.stop());

// Each test reports under its own accident type, so that one test's incidents are never another's candidates.
const accidentTypes = EVENT_TYPES.filter((e) => e.code.startsWith('12') && isLeafType(e.code)).map((e) => e.code);
let nextType = 0;
const freshType = () => accidentTypes[nextType++];

const HOUR = 3600_000;
const base = Date.now() - 20 * HOUR;
/** Huancui; 0.005° of latitude is about 556 m, 0.02° about 2.2 km */
const at = (dLat: number, hoursAfter = 0) => ({
  location: { type: 'Point' as const, coordinates: [122.12, 37.5 + dLat] },
  occurredAt: new Date(base + hoursAfter * HOUR).toISOString(),
});
const report = (typeCode: string, over: Record<string, unknown> = {}, ctx = duty) =>
  svc.createIncident(deps, ctx, incidentInput({ typeCode, ...at(0), ...over }));

describe('possible duplicates', () => {
  it('a report of the same type within 1 km and 6 h of an open one is flagged; farther, later or unplaced is not', async () => {
    const type = freshType();
    const first = await report(type, { title: '原报' });
    expect(first.possibleDuplicateOf).toEqual([]);
    const near = await report(type, at(0.005, 2));
    expect(near.possibleDuplicateOf).toEqual([first.id]);
    // the stored flag is read back with the incident, and shown in the list
    expect((await svc.getIncident(deps, duty, near.id)).possibleDuplicateOf).toEqual([first.id]);
    const listed = await svc.listIncidents(deps, duty, { typeCode: type, limit: 50 });
    expect(listed.items.find((i) => i.id === near.id)?.possibleDuplicateOf).toEqual([first.id]);

    expect((await report(type, at(0.02, 1))).possibleDuplicateOf).toEqual([]);
    // 9 h after the first, 7 h after the near one
    expect((await report(type, at(0, 9))).possibleDuplicateOf).toEqual([]);
    expect((await report(type, at(0, -7))).possibleDuplicateOf).toEqual([]);
    expect((await report(type, { location: null })).possibleDuplicateOf).toEqual([]);
    // another accident type at the same place and time: not a duplicate under the default rule
    expect((await report(freshType())).possibleDuplicateOf).toEqual([]);
  });

  it('closed and merged incidents are not candidates', async () => {
    const type = freshType();
    const closed = await report(type);
    await svc.transitionIncident(deps, duty, closed.id, { to: 'closed', note: '误报' });
    const open = await report(type, at(0, 1));
    expect(open.possibleDuplicateOf).toEqual([]);
    const dup = await report(type, at(0, 2));
    expect(dup.possibleDuplicateOf).toEqual([open.id]);
    await mergeIncident(deps, duty, dup.id, { intoId: open.id });
    // a third report matches the open one only, not the one merged into it
    expect((await report(type, at(0, 3))).possibleDuplicateOf).toEqual([open.id]);
  });

  it('moving an incident near an open one flags it; moving it away clears the flag', async () => {
    const type = freshType();
    const first = await report(type);
    const far = await report(type, at(0.05));
    expect(far.possibleDuplicateOf).toEqual([]);
    const moved = await svc.updateIncident(deps, duty, far.id, { location: at(0.003).location });
    expect(moved.possibleDuplicateOf).toEqual([first.id]);
    const back = await svc.updateIncident(deps, duty, far.id, { location: at(0.05).location });
    expect(back.possibleDuplicateOf).toEqual([]);
  });

  it('the rule is configurable (category, distance, hours) by those with incidents.rules, audited, versioned', async () => {
    const before = await svc.getDuplicateRule(deps.db.kysely);
    expect(before).toMatchObject({ match: 'type', distanceMeters: 1000, hours: 6 });
    expect(
      await refusal(svc.setDuplicateRule(deps, duty, { match: 'category', distanceMeters: 3000, hours: 12 })),
    ).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const set = await svc.setDuplicateRule(deps, admin, {
      match: 'category',
      distanceMeters: 3000,
      hours: 12,
      version: before.version,
    });
    try {
      expect(set).toMatchObject({ match: 'category', distanceMeters: 3000, hours: 12, version: before.version + 1 });
      expect(
        await refusal(svc.setDuplicateRule(deps, admin, { match: 'type', distanceMeters: 1, hours: 1, version: 0 })),
      ).toMatchObject({ code: 'VERSION_CONFLICT', field: 'version' });
      // in Rongcheng, away from the other tests' reports
      const place = (dLat: number) => ({ type: 'Point', coordinates: [122.42, 37.16 + dLat] });
      const a = await report(freshType(), { location: place(0) });
      // another accident type 2.2 km away and 10 h later: the same category within 3 km and 12 h
      const b = await report(freshType(), {
        location: place(0.02),
        occurredAt: new Date(base + 10 * HOUR).toISOString(),
      });
      expect(b.possibleDuplicateOf).toEqual([a.id]);
      const audit = await deps.db.kysely
        .selectFrom('audit_log')
        .select(['action', 'entity_id'])
        .where('action', '=', 'incident.duplicate_rule_changed')
        .execute();
      expect(audit.length).toBeGreaterThanOrEqual(1);
    } finally {
      await svc.setDuplicateRule(deps, admin, { match: 'type', distanceMeters: 1000, hours: 6 });
    }
  });
});

describe('merge and unmerge', () => {
  async function auditActions(id: string): Promise<string[]> {
    const rows = await deps.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .where('action', 'in', ['incident.merged', 'incident.unmerged'])
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.action);
  }
  const kinds = async (id: string) => (await svc.listLog(deps, duty, id)).items.map((e) => e.kind);

  it('merges a duplicate (status and figures kept, not summed; hidden from lists; both logs; audited) and undoes it', async () => {
    const type = freshType();
    const survivor = await report(type, { title: '主事件', casualties: { injured: 2 } });
    const dup = await report(type, { ...at(0.004, 1), title: '重复报告', casualties: { injured: 3 } });
    await svc.transitionIncident(deps, duty, dup.id, { to: 'verified' });
    expect(dup.possibleDuplicateOf).toEqual([survivor.id]);

    const merged = await mergeIncident(deps, duty, dup.id, { intoId: survivor.id });
    expect(merged.mergedInto).toMatchObject({ id: survivor.id, number: survivor.number });
    expect(merged.status).toBe('verified');
    expect(merged.casualties.injured).toBe(3);
    // the survivor's figures are not summed with the duplicate's
    expect((await svc.getIncident(deps, duty, survivor.id)).casualties.injured).toBe(2);

    const ids = async (merged?: 'include' | 'only') =>
      (await svc.listIncidents(deps, duty, { typeCode: type, limit: 50, merged })).items.map((i: Incident) => i.id);
    expect(await ids()).toEqual([survivor.id]);
    expect(await ids('only')).toEqual([dup.id]);
    expect((await ids('include')).sort()).toEqual([survivor.id, dup.id].sort());

    expect(await kinds(dup.id)).toContain('merged_into');
    const survivorLog = (await svc.listLog(deps, { ...duty, lang: 'en' }, survivor.id)).items;
    expect(survivorLog.find((e) => e.kind === 'merged')?.data).toMatchObject({ number: dup.number });
    expect(await auditActions(dup.id)).toEqual(['incident.merged']);

    const restored = await unmergeIncident(deps, duty, dup.id, { version: merged.version });
    expect(restored.mergedInto).toBeNull();
    expect(restored.status).toBe('verified');
    expect(restored.casualties.injured).toBe(3);
    expect((await ids()).sort()).toEqual([survivor.id, dup.id].sort());
    expect(await kinds(dup.id)).toContain('merge_undone');
    expect(await kinds(survivor.id)).toContain('unmerged');
    expect(await auditActions(dup.id)).toEqual(['incident.merged', 'incident.unmerged']);
  });

  it('refuses in words: into itself, twice, into a merged one, undoing what is not merged, a stale version', async () => {
    const type = freshType();
    const a = await report(type);
    const b = await report(type, at(0, 1));
    const c = await report(type, at(0, 2));
    expect(await refusal(mergeIncident(deps, duty, a.id, { intoId: a.id }))).toMatchObject({
      code: 'MERGE_INTO_ITSELF',
      status: 400,
      field: 'intoId',
    });
    expect(await refusal(mergeIncident(deps, duty, b.id, { intoId: 'no-such-id' }))).toMatchObject({
      code: 'VALIDATION',
      field: 'intoId',
    });
    expect(
      await refusal(mergeIncident(deps, duty, b.id, { intoId: '01900000-0000-7000-8000-000000000000' })),
    ).toMatchObject({ code: 'NOT_FOUND', field: 'intoId' });
    expect(await refusal(mergeIncident(deps, duty, b.id, { intoId: a.id, version: b.version + 5 }))).toMatchObject({
      code: 'VERSION_CONFLICT',
    });
    await mergeIncident(deps, duty, b.id, { intoId: a.id });
    const twice = await refusal(mergeIncident(deps, { ...duty, lang: 'en' }, b.id, { intoId: c.id }), 'en');
    expect(twice).toMatchObject({ code: 'ALREADY_MERGED', status: 409 });
    expect(twice.message).toContain(a.number);
    expect(await refusal(mergeIncident(deps, duty, c.id, { intoId: b.id }))).toMatchObject({
      code: 'MERGE_TARGET_MERGED',
      field: 'intoId',
    });
    expect(await refusal(unmergeIncident(deps, duty, c.id))).toMatchObject({ code: 'NOT_MERGED', status: 409 });
  });

  it("needs incidents.merge, and both incidents in the caller's scope", async () => {
    const type = freshType();
    const huancui = await report(type);
    const dup = await report(type, at(0.001, 1));
    expect(await refusal(mergeIncident(deps, field, dup.id, { intoId: huancui.id }))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    // Wendeng (371003)
    const wendeng = await report(type, { location: { type: 'Point', coordinates: [122.06, 37.19] } });
    const districtCommander = await ctxAs(t.platform, 'commander', '371002', 'district');
    expect(await refusal(mergeIncident(deps, districtCommander, dup.id, { intoId: wendeng.id }))).toMatchObject({
      code: 'OUT_OF_SCOPE',
      field: 'intoId',
    });
    expect(await refusal(mergeIncident(deps, districtCommander, wendeng.id, { intoId: dup.id }))).toMatchObject({
      code: 'OUT_OF_SCOPE',
    });
    const done = await mergeIncident(deps, districtCommander, dup.id, { intoId: huancui.id });
    expect(done.mergedInto?.id).toBe(huancui.id);
  });
});
