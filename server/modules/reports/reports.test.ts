// Reports at the service level, on real repositories with a moved clock: drafts from the incident's data, edits with
// their version, issuing (each version kept), the .docx as valid Office Open XML, the clocks' settings, the final
// report after closing, the due list, reminders raised once, the SitRep.
import JSZip from 'jszip';
import { ParseOption, XmlDocument } from 'libxml2-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../../contracts/incidents.ts';
import { DEFAULT_CLOCKS } from '../../../contracts/reports.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import { ctxAs, incidentInput, seededCtx } from '../../test/factories.ts';
import { refusal, startTestPlatform, type TestPlatform } from '../../test/helpers.ts';
import type { IncidentsApi } from '../incidents/index.ts';
import * as svc from './reports.service.ts';

const MIN = 60_000;
let t: TestPlatform;
let deps: svc.ReportsDeps;
let incidents: IncidentsApi;
let duty: RequestCtx;
let commander: RequestCtx;
let viewer: RequestCtx;
let wendeng: RequestCtx;
let clockNow = Date.now();
let realNow: (() => Date) | undefined;

beforeAll(async () => {
  t = await startTestPlatform();
  deps = t.module<{ deps: svc.ReportsDeps }>('reports').deps;
  incidents = t.module<IncidentsApi>('incidents');
  duty = await seededCtx(t.platform, 'duty_officer');
  commander = await seededCtx(t.platform, 'commander');
  viewer = await seededCtx(t.platform, 'viewer');
  wendeng = await ctxAs(t.platform, 'district_staff', '371003', 'district');
  // the clock is the platform's (shared by every service): moved by replacing `now`, restored after
  realNow = t.platform.clock.now;
  (t.platform.clock as { now: () => Date }).now = () => new Date(clockNow);
});
afterAll(async () => {
  if (realNow) (t.platform.clock as { now: () => Date }).now = realNow;
  await t?.stop();
});

/** a level IV road accident in Huancui with casualties the document must carry */
async function report(over: Record<string, unknown> = {}): Promise<Incident> {
  return incidents.createIncident(
    duty,
    incidentInput({
      occurredAt: new Date(clockNow - 10 * MIN).toISOString(),
      casualties: { deaths: 2, seriouslyInjured: 7, injured: 13 },
      directLossWan: 321,
      ...over,
    }),
  );
}

/** The text of each `w:t` of a part, joined, after checking the part is well-formed XML. */
function partText(xml: string, ns: Record<string, string>, xpath: string): string {
  const doc = XmlDocument.fromString(xml, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE });
  try {
    return doc
      .find(xpath, ns)
      .map((n) => n.content)
      .join('');
  } finally {
    doc.dispose();
  }
}

const W = { w: 'http://schemas.openxmlformats.org/wordprocessingml/2006/main' };
const CT = { ct: 'http://schemas.openxmlformats.org/package/2006/content-types' };

async function openDocx(file: Buffer): Promise<{ text: string; types: string[] }> {
  const zip = await JSZip.loadAsync(file);
  const document = await zip.file('word/document.xml')!.async('string');
  const types = await zip.file('[Content_Types].xml')!.async('string');
  const overrides = XmlDocument.fromString(types, {
    option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE,
  });
  try {
    return {
      text: partText(document, W, '//w:t'),
      types: overrides.find('//ct:Override/@ContentType', CT).map((n) => n.content),
    };
  } finally {
    overrides.dispose();
  }
}

describe('drafting, editing and issuing a report', () => {
  it('drafts the initial report from the incident, keeps each issued version, and writes the .docx', async () => {
    const i = await report({ title: '国道车辆侧翻' });
    const before = await svc.scheduleOf(deps, duty, i.id);
    expect(before.items[0]).toMatchObject({ id: null, kind: 'initial', seq: 1, status: 'due' });
    expect(Date.parse(before.items[0].dueAt)).toBe(Date.parse(i.reportedAt) + 60 * MIN);

    const draft = await svc.createReport(deps, duty, i.id, { kind: 'initial' });
    expect(draft.title).toBe('关于国道车辆侧翻的首报');
    expect(draft.sections.basic).toContain(i.number);
    expect(draft.sections.casualties).toContain('死亡 2 人');
    expect(draft.sections.casualties).toContain('重伤 7 人');
    expect(draft.sections.casualties).toContain('321 万元');
    expect((await svc.scheduleOf(deps, duty, i.id)).items[0]).toMatchObject({ id: draft.id, status: 'draft' });
    expect(await refusal(svc.createReport(deps, duty, i.id, { kind: 'initial' }))).toMatchObject({
      code: 'REPORT_EXISTS',
      status: 409,
      field: 'kind',
    });

    const edited = await svc.updateReport(deps, duty, i.id, draft.id, {
      version: draft.version,
      sections: { requests: '请求市消防救援支队增派吊车一台。' },
      header: { signer: '王局长', phone: '0631-5200000' },
    });
    expect(await refusal(svc.updateReport(deps, duty, i.id, draft.id, { version: draft.version }))).toMatchObject({
      code: 'VERSION_CONFLICT',
      status: 409,
      field: 'version',
    });
    const v1 = await svc.issueReport(deps, commander, i.id, draft.id, { version: edited.version });
    expect(v1).toMatchObject({ issuedVersions: 1, changedSinceIssue: false });
    expect(await refusal(svc.issueReport(deps, commander, i.id, draft.id, { version: v1.version }))).toMatchObject({
      code: 'NOTHING_TO_ISSUE',
      status: 409,
    });
    // a correction issued as version 2; version 1 stays as it was issued
    clockNow += 5 * MIN;
    const fixed = await svc.updateReport(deps, duty, i.id, draft.id, {
      version: v1.version,
      sections: { casualties: '死亡 3 人，重伤 7 人。' },
    });
    await svc.issueReport(deps, commander, i.id, draft.id, { version: fixed.version });
    const versions = await svc.listVersions(deps, viewer, i.id, draft.id);
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.items[1].sections.casualties).toContain('死亡 2 人');
    expect(versions.items[0].sections.casualties).toBe('死亡 3 人，重伤 7 人。');
    expect((await svc.scheduleOf(deps, duty, i.id)).items[0]).toMatchObject({ status: 'issued', issuedVersions: 2 });

    // the log says it, in the reader's language, from the facts
    const log = await incidents.listLog(duty, i.id);
    expect(log.items.filter((e) => e.kind === 'report_issued').map((e) => e.data.version)).toEqual([2, 1]);

    // version 1 as a Word document: valid Office Open XML holding the number and the figures as issued
    const one = await svc.reportFile(deps, viewer, i.id, draft.id, 1);
    expect(one.name).toBe(`${i.number}-首报-v1.docx`);
    const doc = await openDocx(one.file);
    expect(doc.types).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml');
    for (const s of [
      '突发事件信息报告',
      i.number,
      '死亡 2 人',
      '重伤 7 人',
      '321 万元',
      '王局长',
      '一、基本情况',
      '五、请求事项',
    ])
      expect(doc.text).toContain(s);
    expect(doc.text).toContain('请求市消防救援支队增派吊车一台。');
    // without a version: the latest issued, since nothing changed after it
    expect((await openDocx((await svc.reportFile(deps, viewer, i.id, draft.id)).file)).text).toContain('死亡 3 人');
    expect(await refusal(svc.reportFile(deps, viewer, i.id, draft.id, 9))).toMatchObject({
      code: 'NO_SUCH_VERSION',
      status: 404,
      field: 'version',
    });
  });

  it('refuses who may not write, issue or see, naming why', async () => {
    const i = await report();
    expect(await refusal(svc.createReport(deps, viewer, i.id, { kind: 'initial' }))).toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
    const r = await svc.createReport(deps, duty, i.id, { kind: 'initial' });
    expect(await refusal(svc.scheduleOf(deps, wendeng, i.id))).toMatchObject({ code: 'OUT_OF_SCOPE', status: 403 });
    expect(await refusal(svc.getReport(deps, wendeng, i.id, r.id))).toMatchObject({ code: 'OUT_OF_SCOPE' });
    const other = await report();
    expect(await refusal(svc.getReport(deps, duty, other.id, r.id))).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      field: 'reportId',
    });
    expect(await refusal(svc.createReport(deps, duty, i.id, { kind: 'final' }))).toMatchObject({
      code: 'FINAL_BEFORE_CLOSE',
      status: 409,
      field: 'kind',
    });
    expect(await refusal(svc.createReport(deps, duty, i.id, { kind: 'weekly' as never }))).toMatchObject({
      code: 'VALIDATION',
      field: 'kind',
    });
  });
});

describe('the clocks and the schedule over time', () => {
  it('takes the category’s clocks from the settings, labelled, and only the commander changes them', async () => {
    const s = await svc.getSettings(deps, viewer);
    expect(s.clocks.accident).toEqual(DEFAULT_CLOCKS);
    expect(s.basis.initialMinutes.en).toBe('Order 493 Art. 9: 1 h');
    expect(s.basis.finalDays).toMatchObject({ en: 'assumption, not verified', verified: false });
    const input = {
      clocks: { ...s.clocks, accident: { ...DEFAULT_CLOCKS, initialMinutes: 30 } },
      reminderMinutes: 15,
      sitrepTimes: ['08:00', '17:00'],
      version: s.version,
    } as Parameters<typeof svc.putSettings>[2];
    expect(await refusal(svc.putSettings(deps, duty, input))).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const changed = await svc.putSettings(deps, commander, input);
    try {
      const i = await report();
      const [initial] = (await svc.scheduleOf(deps, duty, i.id)).items;
      expect(Date.parse(initial.dueAt)).toBe(Date.parse(i.reportedAt) + 30 * MIN);
      expect(await refusal(svc.putSettings(deps, commander, input))).toMatchObject({
        code: 'VERSION_CONFLICT',
        field: 'version',
      });
    } finally {
      await svc.putSettings(deps, commander, {
        ...input,
        clocks: s.clocks as typeof input.clocks,
        version: changed.version,
      });
    }
  });
});

describe('reminders', () => {
  it('raises one alarm before the due time and one when it passes, each once, across concurrent checks', async () => {
    const start = clockNow;
    const i = await report({ title: '提醒测试' });
    const initialDue = Date.parse(i.reportedAt) + 60 * MIN;
    const mine = async () =>
      (await t.platform.alerts.listOpen(duty, { limit: 200 })).items.filter(
        (a) => a.sourceId === i.id && a.source === 'report',
      );
    clockNow = initialDue - 10 * MIN;
    await Promise.all([svc.checkReminders(deps), svc.checkReminders(deps)]);
    await svc.checkReminders(deps);
    let alarms = await mine();
    expect(alarms).toHaveLength(1);
    expect(alarms[0].title.zh).toContain('首报将于');
    expect(alarms[0].link).toBe(`/incidents/${i.id}?panel=reports`);
    clockNow = initialDue + 1 * MIN;
    await Promise.all([svc.checkReminders(deps), svc.checkReminders(deps)]);
    alarms = await mine();
    expect(alarms).toHaveLength(2);
    expect(alarms.some((a) => a.title.zh.includes('首报已超时'))).toBe(true);
    // issued: nothing more for it
    const r = await svc.createReport(deps, duty, i.id, { kind: 'initial' });
    await svc.issueReport(deps, duty, i.id, r.id, { version: r.version });
    clockNow = initialDue + 2 * MIN;
    await svc.checkReminders(deps);
    expect(await mine()).toHaveLength(2);
    clockNow = start;
  });
});

describe('the SitRep', () => {
  it('lists the active incidents in a .docx, on demand and stored once per scheduled slot', async () => {
    const i = await report({ title: '综合情况测试' });
    const file = await svc.sitrepNow(deps, duty);
    const doc = await openDocx(file);
    expect(doc.text).toContain(i.number);
    expect(doc.text).toContain('综合情况测试');
    expect(svc.dueSitrepSlot(['08:00', '17:00'], new Date('2026-07-01T00:10:00Z'))).toBe('2026-07-01 08:00');
    expect(svc.dueSitrepSlot(['08:00', '17:00'], new Date('2026-07-01T01:10:00Z'))).toBeUndefined();
    const made = await svc.generateSitrep(deps, duty, '2026-07-01 08:00');
    expect(made?.incidents).toBeGreaterThan(0);
    expect(await svc.generateSitrep(deps, duty, '2026-07-01 08:00')).toBeUndefined();
    const list = await svc.listSitreps(deps, duty);
    expect(list.items.some((s) => s.id === made!.id && s.trigger === '08:00')).toBe(true);
    const stored = await svc.sitrepFile(deps, duty, made!.id);
    expect((await openDocx(stored.file)).text).toContain(i.number);
    expect(await refusal(svc.listSitreps(deps, wendeng))).toMatchObject({ status: 403 });
  });
});
