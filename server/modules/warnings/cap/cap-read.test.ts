// Every file of the CAP corpus (../shared/data/cap/MANIFEST.csv) read as its label says, and the rules of the CAP
// specification beyond the schema on small alerts built here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/template.ts';
import { CapRefused } from './cap.errors.ts';
import { readCap } from './cap-read.ts';
import type { CapReadResult } from './cap-types.ts';

const CAP = join(SHARED_DATA, 'cap');
const corpus = (path: string) => readFileSync(join(CAP, path));

interface Row {
  path: string;
  label: string;
}
const manifest = parse(readFileSync(join(CAP, 'MANIFEST.csv')), { columns: true }) as Row[];
const inputs = manifest.filter((r) => r.label !== 'schema');

type Outcome = { accepted: CapReadResult } | { refused: CapRefused };
function outcome(bytes: Buffer | Uint8Array): Outcome {
  try {
    return { accepted: readCap(bytes) };
  } catch (e) {
    if (e instanceof CapRefused) return { refused: e };
    throw e;
  }
}
function refusal(bytes: Buffer | Uint8Array | string): CapRefused {
  const o = outcome(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  if ('accepted' in o) throw new Error(`accepted: ${JSON.stringify(o.accepted.warnings)}`);
  return o.refused;
}
function accepted(bytes: Buffer | Uint8Array | string): CapReadResult {
  const o = outcome(typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  if ('refused' in o) throw new Error(`refused: ${o.refused.reasons.join(' | ')}`);
  return o.accepted;
}

const REFUSED = new Set(['invalid', 'invalid-schema', 'invalid-by-name', 'must-reject']);

describe('the CAP corpus, one outcome per label', () => {
  it('has 100 files, 10 of them schemas, which are not inputs', () => {
    expect(manifest).toHaveLength(100);
    expect(manifest.length - inputs.length).toBe(10);
    expect(manifest.filter((r) => r.label === 'schema').every((r) => /\.(xsd|rng)$/.test(r.path))).toBe(true);
  });

  it('reads all 90 inputs as labelled (counted per outcome)', () => {
    const seen = { accepted: 0, refused: 0, empty: 0, unsigned: 0, signedBad: 0 };
    const wrong: string[] = [];
    for (const r of inputs) {
      const o = outcome(corpus(r.path));
      if (REFUSED.has(r.label)) {
        if ('refused' in o && o.refused.reasons.length > 0) seen.refused++;
        else wrong.push(`${r.path} (${r.label}) was accepted`);
      } else if ('refused' in o) {
        wrong.push(`${r.path} (${r.label}) was refused: ${o.refused.reasons.join(' | ')}`);
      } else if (r.label === 'valid') {
        if (o.accepted.alerts.length + o.accepted.links.length > 0) seen.accepted++;
        else wrong.push(`${r.path} holds no alert`);
      } else if (r.label === 'feed-empty') {
        if (o.accepted.alerts.length === 0 && o.accepted.links.length === 0) seen.empty++;
        else wrong.push(`${r.path} is not empty`);
      } else if (r.label === 'unsigned') {
        if (o.accepted.signature === 'none') seen.unsigned++;
        else wrong.push(`${r.path} has a signature`);
      } else if (r.label.startsWith('invalid-signature')) {
        // accepted, and flagged: the signature is there (it is not checked)
        if (o.accepted.signature === 'present') seen.signedBad++;
        else wrong.push(`${r.path} has no signature`);
      } else wrong.push(`${r.path}: unknown label ${r.label}`);
    }
    expect(wrong).toEqual([]);
    expect(seen).toEqual({ accepted: 53, refused: 18, empty: 1, unsigned: 4, signedBad: 14 });
  });

  it('gives every refusal its reasons with line numbers', () => {
    for (const r of inputs.filter((r) => REFUSED.has(r.label))) {
      const e = refusal(corpus(r.path));
      expect(e.status, r.path).toBe(400);
      expect(e.field, r.path).toBe('body');
      for (const reason of e.reasons) expect(reason, r.path).toMatch(/^line \d+: /);
    }
  });

  it('opens an EDXL-DE envelope to its seven alerts, and refuses the broken one at lines 94 and 115', () => {
    const ok = accepted(corpus('google-cap-library/testdata/bushfire_valid.edxlde'));
    expect(ok.kind).toBe('edxl-de');
    expect(ok.alerts).toHaveLength(7);
    expect(ok.alerts.every((a) => a.sender === 'webmaster@rfs.nsw.gov.au')).toBe(true);
    const bad = refusal(corpus('google-cap-library/testdata/bushfire_invalid.edxlde'));
    // an alert emptied of its content, and an urgency "Foobar"
    expect(bad.reasons.map((r) => Number(/^line (\d+)/.exec(r)![1]))).toEqual([94, 115]);
    expect(bad.reasons[1]).toContain('Foobar');
  });

  it('keeps the good alerts of an envelope or feed when asked to skip the bad ones (polling)', () => {
    const r = readCap(corpus('google-cap-library/testdata/bushfire_invalid.edxlde'), { skipBadAlerts: true });
    expect(r.alerts).toHaveLength(5);
    expect(r.warnings).toEqual([
      expect.stringMatching(/^alert at line 94 skipped: line 94: CAP 1\.2 schema: /),
      expect.stringMatching(/^alert at line 104 skipped: line 115: .*Foobar/),
    ]);
    // a feed's own structure is still refused, and so is a lone alert
    expect(() => readCap(corpus('google-cap-library/testdata/no_id.atom'), { skipBadAlerts: true })).toThrow(
      CapRefused,
    );
    expect(() => readCap(corpus('google-cap-library/testdata/invalid.cap'), { skipBadAlerts: true })).toThrow(
      CapRefused,
    );
  });

  it('refuses an empty <references> (the schema allows it; the spec wants sender,identifier,sent triples)', () => {
    // schema-valid (references is an xs:string); the spec's text makes it invalid, as the corpus labels it
    const canada = refusal(corpus('google-cap-library/testdata/canada_errors.cap'));
    expect(canada.reasons).toEqual([expect.stringMatching(/^line 12: <references> is empty/)]);
    const noaa = refusal(corpus('google-cap-library/testdata/noaa_errors.cap'));
    expect(noaa.reasons.some((r) => r.includes("'urgency'"))).toBe(true);
  });

  it('refuses a feed whose alert has an identifier with a comma and a space (invalid by name)', () => {
    const e = refusal(corpus('google-cap-library/testdata/weather_invalid.atom'));
    expect(e.reasons).toEqual([
      expect.stringMatching(/^line 28: <identifier> "INVALID," must not contain spaces, commas/),
    ]);
  });

  it('reads feeds: inline alerts, index links, Atom rules, RSS', () => {
    const amber = accepted(corpus('google-cap-library/testdata/amber.atom'));
    expect(amber).toMatchObject({ kind: 'atom', links: [] });
    expect(amber.alerts[0]).toMatchObject({ version: '1.1', identifier: 'http://doj.dc.gov/amber12345' });
    const quake = accepted(corpus('google-cap-library/testdata/earthquake_index.atom'));
    // the entry's CAP link, not its HTML page
    expect(quake.links).toEqual(['http://earthquake.usgs.gov/earthquakes/catalogs/cap/us2010apcd']);
    const ny = accepted(corpus('google-cap-library/testdata/ny_index.rss'));
    expect(ny.kind).toBe('rss');
    expect(ny.links).toHaveLength(2);
    expect(ny.links[0]).toContain('NYAlert-ALLHAZALERT-3167113');
    expect(accepted(corpus('google-cap-library/testdata/empty_weather_index.atom'))).toMatchObject({
      kind: 'atom',
      alerts: [],
      links: [],
    });
    for (const [file, what] of [
      ['no_id.atom', /<entry> has no <id>/],
      ['no_title.atom', /<entry> has no <title>/],
      ['no_link.atom', /no <link>/],
      ['invalid_element.atom', /^line 5: <foo> is not an Atom element/],
      ['no_entries.atom', /^line 9: a CAP alert outside an <entry>/],
    ] as const)
      expect(refusal(corpus(`google-cap-library/testdata/${file}`)).reasons.join('\n'), file).toMatch(what);
    expect(refusal(corpus('google-cap-library/testdata/invalid.rss')).reasons).toEqual([
      'line 3: <channel> has no <title> (required by RSS 2.0)',
      'line 3: <channel> has no <description> (required by RSS 2.0)',
      'line 5: <item> has neither <title> nor <description> (RSS 2.0 requires one of them)',
      'line 5: <item> has no CAP alert and no <link> to one',
    ]);
  });

  it('gives a feed’s alert its own XML, which reads again alone', () => {
    const feed = accepted(corpus('google-cap-library/testdata/canada_signed.atom'));
    const again = accepted(feed.alerts[0]!.xml);
    expect(again.alerts[0]!.identifier).toBe(feed.alerts[0]!.identifier);
    expect(again.signature).toBe('present');
  });

  it('honours the declared encoding (ISO-8859-1)', () => {
    const bytes = corpus('google-cap-library/testdata/earthquake-iso8859-1.cap');
    expect(bytes.includes(Buffer.from('Usulután', 'latin1'))).toBe(true);
    const a = accepted(bytes).alerts[0]!;
    expect(a.infos[0]!.areas[0]!.areaDesc).toContain('SSW of Usulután, Usulután, El Salvador');
    expect(a.xml).toContain('Usulután');
  });

  it('reads the CMA’s bilingual alert: both languages, the reference, the geocode', () => {
    const a = accepted(corpus('wmo-capvalidator/cn/valid.xml')).alerts[0]!;
    expect(a).toMatchObject({
      version: '1.2',
      sender: 'Baoding_Meteorological_Observatory',
      sent: '2024-07-12T21:31:38+08:00',
      msgType: 'Update',
      references: [
        {
          sender: 'Baoding_Meteorological_Observatory',
          identifier: '13060041600000_20240712073642',
          sent: '2024-07-12T21:31:38+08:00',
        },
      ],
      signature: 'none',
    });
    expect(a.infos.map((i) => i.language)).toEqual(['en-US', 'zh-CN']);
    expect(a.infos[1]).toMatchObject({ event: '雷电', severity: 'Moderate', senderName: '于雷' });
    expect(a.infos[1]!.headline).toBe('保定市气象台更新雷电黄色预警[Ⅲ级/较重]');
    expect(a.infos[1]!.areas[0]!.geocodes).toEqual([{ valueName: 'CPEAS Geographic Code', value: '130602000000' }]);
  });

  it('turns CAP’s "lat,lon" pairs into [lng, lat] rings and reads circles', () => {
    const a = accepted(corpus('oasiscap-rs/v1dot2_appendix_adot2.xml')).alerts[0]!;
    expect(a.infos[0]!.areas[0]!.polygons).toEqual([
      [
        [-120.14, 38.47],
        [-119.95, 38.34],
        [-119.74, 38.52],
        [-119.89, 38.62],
        [-120.14, 38.47],
      ],
    ]);
    const c = accepted(corpus('oasiscap-rs/v1dot2_appendix_adot3.xml')).alerts[0]!;
    expect(c.infos[0]!.areas.flatMap((x) => x.circles)).toEqual([{ center: [-115.5527, 32.9525], radiusKm: 0 }]);
  });

  it('reads CAP 1.0 and a signed CAP 1.1 alert (the 1.1 schema has no place for the signature the spec allows)', () => {
    expect(accepted(corpus('oasiscap-rs/v1dot0_appendix_adot3.xml')).alerts[0]!.version).toBe('1.0');
    const signed = accepted(corpus('google-cap-library/testdata/earthquake_signed.cap'));
    expect(signed.alerts[0]).toMatchObject({ version: '1.1', signature: 'present' });
  });

  it('reads an empty NWS <polygon></polygon> as no polygon (labelled valid), with a warning', () => {
    const r = accepted(corpus('oasiscap-rs/nws-5c2cf27b1f56885d61654dc47fa411d5.xml'));
    expect(r.alerts[0]!.infos[0]!.areas[0]!.polygons).toEqual([]);
    expect(r.warnings).toContain('line 74: an empty <polygon> is read as no polygon');
  });

  it('accepts UTC written "+00:00" by national services, labelled valid, with a warning (CAP 1.2 says "-00:00")', () => {
    // Togo, Burkina Faso and Algeria write +00:00; the schema allows it and the WMO validator accepts them. The same
    // instant, so told rather than refused.
    const r = accepted(corpus('wmo-capvalidator/tg/valid.xml'));
    expect(r.warnings.length).toBeGreaterThan(0);
    expect(r.warnings[0]).toMatch(/CAP 1\.2 writes UTC as "-00:00"/);
  });

  it('reads the 880 KB Burkina Faso alert', () => {
    const r = accepted(corpus('wmo-capvalidator/bf/valid.xml'));
    const polygons = r.alerts[0]!.infos.flatMap((i) => i.areas.flatMap((a) => a.polygons));
    expect(polygons.length).toBeGreaterThan(0);
    expect(polygons.every((ring) => ring.length >= 4)).toBe(true);
  });
});

describe('what is never read', () => {
  it('refuses the XXE files before parsing, and an entity pointing at a local server is never fetched', async () => {
    for (const f of ['xee.cap', 'xee.atom']) {
      const e = refusal(corpus(`google-cap-library/testdata/${f}`));
      expect(e.code).toBe('CAP_DTD_REFUSED');
      expect(e.reasons).toEqual([expect.stringMatching(/^line 3: a DOCTYPE declaration/)]);
    }
    let connections = 0;
    const server = createServer((_req, res) => res.end('<!ENTITY x "pwned">')).on('connection', () => connections++);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}`;
      const attacks = [
        `<?xml version="1.0"?>\n<!DOCTYPE alert SYSTEM "${url}/a.dtd">\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>`,
        `<!-- a comment first -->\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "${url}/x">]>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>`,
        `\uFEFF<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY % p SYSTEM "${url}/p"> %p;]><x/>`,
      ];
      for (const a of attacks) expect(refusal(a).code).toBe('CAP_DTD_REFUSED');
      // an undeclared entity without a DTD is simply not XML
      expect(refusal('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&xxe;</alert>').code).toBe('CAP_NOT_XML');
      await new Promise((ok) => setTimeout(ok, 50));
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses what is not XML, and XML that is not CAP', () => {
    expect(refusal('').code).toBe('CAP_NOT_XML');
    expect(refusal('{"identifier": "x"}').code).toBe('CAP_NOT_XML');
    expect(refusal(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0xff, 0xfe])).code).toBe('CAP_NOT_XML');
    const schema = refusal(corpus('wmo-capvalidator/sc/invalid_schema.xml'));
    expect(schema.code).toBe('CAP_NOT_CAP');
    expect(schema.message_('en')).toContain('{http://www.w3.org/2001/XMLSchema}schema');
  });

  it('does not mistake a DOCTYPE quoted inside an element for one', () => {
    const xml = alert12({ note: '<note><![CDATA[<!DOCTYPE html> quoted]]></note>' });
    expect(accepted(xml).alerts[0]!.note).toBe('<!DOCTYPE html> quoted');
  });
});

/** A small valid CAP 1.2 alert; parts replaced by the tests. */
function alert12(
  p: Partial<Record<'ids' | 'msgType' | 'scope' | 'note' | 'references' | 'time' | 'area', string>> = {},
) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  ${p.ids ?? '<identifier>WH-1</identifier><sender>weihai@anlan</sender>'}
  <sent>${p.time ?? '2026-07-12T21:31:38+08:00'}</sent>
  <status>Actual</status>
  <msgType>${p.msgType ?? 'Alert'}</msgType>
  ${p.scope ?? '<scope>Public</scope>'}
  ${p.note ?? ''}
  ${p.references ?? ''}
  <info>
    <category>Met</category><event>暴雨</event>
    <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
    <area><areaDesc>环翠区</areaDesc>${p.area ?? ''}</area>
  </info>
</alert>`;
}

describe('the CAP specification beyond its schema', () => {
  const reasons = (xml: string) => refusal(xml).reasons.map((r) => r.replace(/^line \d+: /, ''));

  it('accepts the small alert these cases start from', () => {
    expect(accepted(alert12()).alerts[0]!.infos[0]!.event).toBe('暴雨');
  });

  it('identifier and sender: no spaces, commas, "<" or "&"', () => {
    expect(reasons(alert12({ ids: '<identifier>WH 1</identifier><sender>a,b</sender>' }))).toEqual([
      '<identifier> "WH 1" must not contain spaces, commas, "<" or "&" (CAP §3.2.1)',
      '<sender> "a,b" must not contain spaces, commas, "<" or "&" (CAP §3.2.1)',
    ]);
    expect(reasons(alert12({ ids: '<identifier>a&amp;b</identifier><sender>s</sender>' }))[0]).toContain('"a&b"');
  });

  it('references: sender,identifier,sent triples, needed by an Update or a Cancel', () => {
    const ref = (s: string) => `<references>${s}</references>`;
    expect(reasons(alert12({ msgType: 'Update' }))).toEqual([
      'msgType "Update" needs <references> naming the earlier message(s) it concerns (CAP §3.2.1)',
    ]);
    expect(reasons(alert12({ msgType: 'Cancel', references: ref('weihai@anlan,WH-0') }))[0]).toContain(
      'is not sender,identifier,sent',
    );
    expect(reasons(alert12({ msgType: 'Cancel', references: ref('a,b,yesterday') }))[0]).toContain('"yesterday"');
    const ok = accepted(
      alert12({
        msgType: 'Cancel',
        references: ref(
          '\n  weihai@anlan,WH-0,2026-07-12T20:00:00+08:00\n  weihai@anlan,WH-00,2026-07-12T20:30:00+08:00 ',
        ),
      }),
    );
    expect(ok.alerts[0]!.references).toEqual([
      { sender: 'weihai@anlan', identifier: 'WH-0', sent: '2026-07-12T20:00:00+08:00' },
      { sender: 'weihai@anlan', identifier: 'WH-00', sent: '2026-07-12T20:30:00+08:00' },
    ]);
  });

  it('scope Restricted needs a restriction, Private needs addresses', () => {
    expect(reasons(alert12({ scope: '<scope>Restricted</scope>' }))[0]).toContain('needs a <restriction>');
    expect(reasons(alert12({ scope: '<scope>Private</scope>' }))[0]).toContain('needs <addresses>');
    expect(
      accepted(alert12({ scope: '<scope>Private</scope><addresses>duty@weihai</addresses>' })).alerts,
    ).toHaveLength(1);
  });

  it('times carry a numeric offset, never "Z" (CAP 1.1 alike, whose schema would let it pass)', () => {
    expect(reasons(alert12({ time: '2026-07-12T13:31:38Z' }))[0]).toContain('CAP 1.2 schema');
    const v11 = alert12({ time: '2026-07-12T13:31:38Z' }).replace('cap:1.2', 'cap:1.1');
    expect(reasons(v11)).toEqual([
      '<sent> "2026-07-12T13:31:38Z": time zone designators such as "Z" must not be used (CAP §3.2.1: UTC is "-00:00")',
    ]);
    expect(accepted(alert12({ time: '2026-07-12T13:31:38-00:00' })).warnings).toEqual([]);
  });

  it('polygons: at least 4 pairs, closed, in range; circles: "lat,lon radius"', () => {
    const area = (s: string) => reasons(alert12({ area: s }));
    expect(area('<polygon>37.5,122.1 37.6,122.2 37.5,122.1</polygon>')[0]).toContain('3 coordinate pairs');
    expect(area('<polygon>37.5,122.1 37.6,122.2 37.7,122.1 37.5,122.0</polygon>')[0]).toContain('not closed');
    expect(area('<polygon>37.5,122.1 97.6,122.2 37.7,122.1 37.5,122.1</polygon>')[0]).toContain('outside latitude');
    expect(area('<polygon>37.5;122.1 37.6,122.2 37.7,122.1 37.5;122.1</polygon>')[0]).toContain(
      'not a latitude,longitude pair',
    );
    expect(area('<circle>37.5,122.1</circle>')[0]).toContain('is not "latitude,longitude radius-in-km"');
    expect(area('<altitude>100</altitude><ceiling>50</ceiling>')[0]).toContain('below <altitude>');
  });

  it('reads an alert written in UTF-16 (byte order mark)', () => {
    const xml = alert12().replace('UTF-8', 'UTF-16');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(accepted(bytes).alerts[0]!.infos[0]!.areas[0]!.areaDesc).toBe('环翠区');
    const attack = `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a/>`;
    expect(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(attack, 'utf16le')])).code).toBe(
      'CAP_DTD_REFUSED',
    );
  });

  it('reads an alert written in GB18030 (what a Chinese feed may declare)', () => {
    // 雷电 in GBK/GB18030: C0 D7 B5 E7
    const [head, tail] = alert12().replace('UTF-8', 'GB18030').split('暴雨');
    const bytes = Buffer.concat([
      Buffer.from(head!, 'latin1'),
      Buffer.from([0xc0, 0xd7, 0xb5, 0xe7]),
      Buffer.from(tail!.replace('环翠区', 'Huancui'), 'latin1'),
    ]);
    expect(accepted(bytes).alerts[0]!.infos[0]!.event).toBe('雷电');
  });
});
