// Every CAP Anlan writes validates against the official CAP 1.2 schema and reads back as it was written.
import { ParseOption, XmlDocument } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.ts';
import { readCap } from './cap-read.ts';
import { schemaValidator } from './cap-schemas.ts';
import type { CapAlert } from './cap-types.ts';
import { type CapOut, capTime, writeAtomFeed, writeCap } from './cap-write.ts';

/** Straight against cap12.xsd, apart from the reader's own checks. */
function schemaErrors(xml: string): string[] {
  const doc = XmlDocument.fromString(xml, { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE });
  try {
    schemaValidator('1.2').validate(doc);
    return [];
  } catch (e) {
    return (e as { details?: { message: string }[] }).details?.map((d) => d.message) ?? [String(e)];
  } finally {
    doc.dispose();
  }
}

const at = (s: string) => new Date(s);

// a rainstorm over two parts of Weihai (positions with at most six decimals: what CAP carries back)
const HUANCUI: number[][] = [
  [122.05, 37.45],
  [122.2, 37.45],
  [122.2, 37.55],
  [122.05, 37.55],
  [122.05, 37.45],
];
const RUSHAN_OPEN: number[][] = [
  [121.45, 36.85],
  [121.6, 36.85],
  [121.6, 36.95],
]; // not closed: the writer closes it

function rainstorm(over: Partial<CapOut> = {}): CapOut {
  return {
    identifier: 'anlan-weihai-WH-2026-000123-1',
    sender: 'warnings@weihai.anlan',
    sent: at('2026-07-12T13:31:38Z'),
    status: 'Actual',
    msgType: 'Alert',
    scope: 'Public',
    references: [],
    hazardCode: '11B03',
    colour: 'orange',
    category: ['Met'],
    event: { zh: '暴雨', en: 'Rainstorm' },
    headline: {
      zh: '威海市发布暴雨橙色预警[Ⅱ级/严重]',
      en: 'Weihai issues an orange rainstorm warning [Level II/Severe]',
    },
    description: {
      zh: '环翠区雨量站3小时累计降雨量已达55毫米，且降雨仍将持续。',
      en: 'The Huancui rain gauge has recorded 55 mm in 3 hours, and the rain will continue.',
    },
    instruction: { zh: '1.停止户外作业；2.远离低洼地带。', en: '1. Stop outdoor work; 2. keep away from low ground.' },
    senderName: { zh: '威海市应急管理局', en: 'Weihai Emergency Management Bureau' },
    effective: at('2026-07-12T13:31:38Z'),
    expires: at('2026-07-12T19:31:38Z'),
    web: 'https://anlan.example/public/warnings',
    area: {
      desc: { zh: '环翠区', en: 'Huancui District' },
      geometry: { type: 'Polygon', coordinates: [HUANCUI] },
    },
    ...over,
  };
}

function readBack(xml: string): CapAlert {
  const r = readCap(Buffer.from(xml, 'utf8'));
  expect(r.kind).toBe('alert');
  expect(r.warnings).toEqual([]);
  return r.alerts[0]!;
}

describe('writeCap', () => {
  it('writes an Alert with a polygon: schema-valid, and read back equal, Chinese intact', () => {
    const xml = writeCap(rainstorm());
    expect(schemaErrors(xml)).toEqual([]);
    const a = readBack(xml);
    expect(a).toMatchObject({
      version: '1.2',
      identifier: 'anlan-weihai-WH-2026-000123-1',
      sender: 'warnings@weihai.anlan',
      sent: '2026-07-12T21:31:38+08:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      references: [],
      signature: 'none',
    });
    expect(a.infos.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
    const [zh, en] = a.infos as [CapAlert['infos'][0], CapAlert['infos'][0]];
    expect(zh).toMatchObject({
      category: ['Met'],
      event: '暴雨',
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Observed',
      eventCode: [{ valueName: 'GB/T 35561', value: '11B03' }],
      effective: '2026-07-12T21:31:38+08:00',
      expires: '2026-07-13T03:31:38+08:00',
      senderName: '威海市应急管理局',
      headline: '威海市发布暴雨橙色预警[Ⅱ级/严重]',
      description: '环翠区雨量站3小时累计降雨量已达55毫米，且降雨仍将持续。',
      instruction: '1.停止户外作业；2.远离低洼地带。',
      web: 'https://anlan.example/public/warnings',
      parameter: [
        { valueName: 'WarningColour', value: 'orange' },
        { valueName: 'WarningLevel', value: 'II' },
      ],
    });
    expect(zh.areas).toEqual([{ areaDesc: '环翠区', polygons: [HUANCUI], circles: [], geocodes: [] }]);
    expect(en).toMatchObject({
      event: 'Rainstorm',
      severity: 'Severe',
      senderName: 'Weihai Emergency Management Bureau',
    });
    expect(en.parameter).toEqual(zh.parameter);
    expect(en.areas[0]!.areaDesc).toBe('Huancui District');
    // CAP's order inside the polygon: latitude first
    expect(xml).toContain('<polygon>37.45,122.05 37.45,122.2 37.55,122.2 37.55,122.05 37.45,122.05</polygon>');
  });

  it('writes a MultiPolygon as one closed polygon per part (holes have no place in CAP)', () => {
    const hole = [
      [122.1, 37.48],
      [122.12, 37.48],
      [122.12, 37.5],
      [122.1, 37.48],
    ];
    const xml = writeCap(
      rainstorm({
        area: {
          desc: { zh: '环翠区、乳山市', en: 'Huancui and Rushan' },
          geometry: { type: 'MultiPolygon', coordinates: [[HUANCUI, hole], [RUSHAN_OPEN]] },
        },
      }),
    );
    expect(schemaErrors(xml)).toEqual([]);
    expect(readBack(xml).infos[0]!.areas[0]!.polygons).toEqual([HUANCUI, [...RUSHAN_OPEN, RUSHAN_OPEN[0]]]);
  });

  it('writes geocodes alone', () => {
    const geocodes = [
      { valueName: 'GB/T 2260', value: '371002' },
      { valueName: 'GB/T 2260', value: '371083' },
    ];
    const xml = writeCap(
      rainstorm({ colour: 'blue', area: { desc: { zh: '环翠区、乳山市', en: 'Huancui, Rushan' }, geocodes } }),
    );
    expect(schemaErrors(xml)).toEqual([]);
    const i = readBack(xml).infos[0]!;
    expect(i.severity).toBe('Minor');
    expect(i.areas).toEqual([{ areaDesc: '环翠区、乳山市', polygons: [], circles: [], geocodes }]);
  });

  it('writes an Update and a Cancel with references to the earlier messages', () => {
    const first = {
      sender: 'warnings@weihai.anlan',
      identifier: 'anlan-weihai-WH-2026-000123-1',
      sent: at('2026-07-12T13:31:38Z'),
    };
    const second = {
      sender: 'warnings@weihai.anlan',
      identifier: 'anlan-weihai-WH-2026-000123-2',
      sent: at('2026-07-12T14:00:00Z'),
    };
    const update = writeCap(
      rainstorm({ identifier: 'anlan-weihai-WH-2026-000123-2', msgType: 'Update', colour: 'red', references: [first] }),
    );
    expect(schemaErrors(update)).toEqual([]);
    const u = readBack(update);
    expect(u.msgType).toBe('Update');
    expect(u.references).toEqual([{ ...first, sent: '2026-07-12T21:31:38+08:00' }]);
    expect(u.infos[0]!.severity).toBe('Extreme');

    const cancel = writeCap(
      rainstorm({ identifier: 'anlan-weihai-WH-2026-000123-3', msgType: 'Cancel', references: [first, second] }),
    );
    expect(schemaErrors(cancel)).toEqual([]);
    const c = readBack(cancel);
    expect(c.msgType).toBe('Cancel');
    expect(c.references.map((r) => `${r.identifier}@${r.sent}`)).toEqual([
      'anlan-weihai-WH-2026-000123-1@2026-07-12T21:31:38+08:00',
      'anlan-weihai-WH-2026-000123-2@2026-07-12T22:00:00+08:00',
    ]);
    expect(c.infos[0]).toMatchObject({ urgency: 'Past', responseType: ['AllClear'] });
  });

  it('escapes what XML reserves and drops what it cannot carry', () => {
    const xml = writeCap(
      rainstorm({ description: { zh: '水位 > 警戒 & 上涨 <快>\u0007', en: 'level "above" <warning> & rising' } }),
    );
    const [zh, en] = readBack(xml).infos;
    expect(zh!.description).toBe('水位 > 警戒 & 上涨 <快>');
    expect(en!.description).toBe('level "above" <warning> & rising');
  });

  it('refuses what CAP cannot say, naming the field', () => {
    const refused = (over: Partial<CapOut>) => {
      try {
        writeCap(rainstorm(over));
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as AppError).field;
      }
      throw new Error('written');
    };
    expect(refused({ msgType: 'Update' })).toBe('references');
    expect(refused({ identifier: 'WH 1' })).toBe('identifier');
    expect(refused({ sender: 'a,b' })).toBe('sender');
    expect(refused({ area: { desc: { zh: '无', en: 'none' } } })).toBe('area');
    expect(
      refused({
        area: {
          desc: { zh: '线', en: 'line' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [122, 37],
                [122.1, 37],
              ],
            ],
          },
        },
      }),
    ).toBe('area.geometry');
    expect(
      refused({
        area: {
          desc: { zh: '错', en: 'swapped' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [37, 122],
                [37, 123],
                [38, 123],
                [37, 122],
              ],
            ],
          },
        },
      }),
    ).toBe('area.geometry');
  });

  it('writes times in Beijing time with the offset, whole seconds', () => {
    expect(capTime(at('2026-12-31T16:00:00.789Z'))).toBe('2027-01-01T00:00:00+08:00');
    expect(capTime(at('2026-07-12T13:31:38Z'), 0)).toBe('2026-07-12T13:31:38+00:00');
    expect(capTime(at('2026-07-12T13:31:38Z'), -330)).toBe('2026-07-12T08:01:38-05:30');
  });
});

describe('writeAtomFeed', () => {
  it('writes an index feed whose entries link to the alerts, read back by the reader', () => {
    const feed = writeAtomFeed(
      [
        {
          id: 'https://anlan.example/public/cap/alerts/a1.xml',
          title: '威海市发布暴雨橙色预警 & 提示',
          updated: at('2026-07-12T13:31:38Z'),
          published: at('2026-07-12T13:31:38Z'),
          summary: '环翠区',
          alertUrl: 'https://anlan.example/public/cap/alerts/a1.xml',
        },
        {
          id: 'https://anlan.example/public/cap/alerts/a2.xml',
          title: '威海市解除暴雨预警',
          updated: at('2026-07-12T15:00:00Z'),
          alertUrl: 'https://anlan.example/public/cap/alerts/a2.xml',
        },
      ],
      {
        id: 'https://anlan.example/public/cap/feed.atom',
        title: '威海市预警信息 Weihai warnings',
        selfUrl: 'https://anlan.example/public/cap/feed.atom',
        pageUrl: 'https://anlan.example/public/warnings',
        author: '威海市应急管理局',
      },
    );
    const r = readCap(Buffer.from(feed, 'utf8'));
    expect(r).toMatchObject({ kind: 'atom', alerts: [], warnings: [] });
    expect(r.links).toEqual([
      'https://anlan.example/public/cap/alerts/a1.xml',
      'https://anlan.example/public/cap/alerts/a2.xml',
    ]);
    // the feed's time is its newest entry's
    expect(feed).toContain('<updated>2026-07-12T23:00:00+08:00</updated>\n  <author>');
    expect(feed).toContain('威海市发布暴雨橙色预警 &amp; 提示');
    const empty = readCap(
      Buffer.from(
        writeAtomFeed([], {
          id: 'urn:x',
          title: 't',
          selfUrl: 'https://a/f',
          author: 'a',
          updated: at('2026-01-01T00:00:00Z'),
        }),
      ),
    );
    expect(empty).toMatchObject({ kind: 'atom', alerts: [], links: [] });
  });
});
