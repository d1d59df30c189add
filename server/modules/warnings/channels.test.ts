import { once } from 'node:events';
import { createServer as createHttp, type IncomingMessage } from 'node:http';
import { type AddressInfo, createServer as createTcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelSenders } from './channels.ts';
import type { Message } from './escalation.ts';
import type { WarningRow } from './warnings.repository.ts';

// Each channel against a real counterpart on loopback: an SMTP server that keeps what it is sent (the SMTP dialogue
// written here, a few lines), an SMS gateway (HTTP), an MQTT publisher; and the outcome in words when one is missing.
const mails: string[] = [];
let smtpPort = 0;
const smtp = createTcp((s: Socket) => {
  let data = false;
  let body = '';
  s.write('220 test ESMTP\r\n');
  s.setEncoding('utf8');
  let buf = '';
  s.on('data', (chunk: string) => {
    buf += chunk;
    let i = buf.indexOf('\r\n');
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (data) {
        if (line === '.') {
          data = false;
          mails.push(body);
          body = '';
          s.write('250 2.0.0 queued as T1\r\n');
        } else body += `${line}\n`;
      } else if (/^(EHLO|HELO)/i.test(line)) s.write('250-test\r\n250 8BITMIME\r\n');
      else if (/^DATA/i.test(line)) {
        data = true;
        s.write('354 go ahead\r\n');
      } else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
      else s.write('250 ok\r\n');
      i = buf.indexOf('\r\n');
    }
  });
});
const sms: { auth: string | undefined; body: unknown }[] = [];
const gateway = createHttp((req: IncomingMessage, res) => {
  let d = '';
  req.on('data', (c) => {
    d += c;
  });
  req.on('end', () => {
    sms.push({ auth: req.headers.authorization, body: JSON.parse(d) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"sms-1"}');
  });
});
let gatewayUrl = '';

beforeAll(async () => {
  smtp.listen(0, '127.0.0.1');
  await once(smtp, 'listening');
  smtpPort = (smtp.address() as AddressInfo).port;
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
});
afterAll(() => {
  smtp.close();
  gateway.close();
});

const warning = {
  id: 'w1',
  number: 'YJ-2026-000001',
  hazard_code: '11B03',
  colour: 'red',
  status: 'raised',
  title: '环翠区 暴雨红色预警',
  title_en: 'Rainstorm red warning',
  district_code: '371002',
  device_id: null,
  raised_at: new Date('2026-07-01T00:00:00Z'),
} as unknown as WarningRow;
const message: Message = {
  subject: '【红色预警】环翠区 暴雨红色预警 / Red warning: Rainstorm red warning',
  text: 'YJ-2026-000001',
  warning,
  link: 'http://anlan.local/warnings?id=w1',
};

describe('notification channels', () => {
  it('email goes through SMTP; SMS through the gateway with its token; MQTT on the broker', async () => {
    const published: { topic: string; payload: string }[] = [];
    const senders = channelSenders({
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      smtpFrom: 'anlan@weihai.example',
      smsGatewayUrl: gatewayUrl,
      smsGatewayToken: 'gw-secret',
      mqttPublish: () => async (topic, payload) => {
        published.push({ topic, payload });
      },
    });
    const mail = await senders.email({ channels: ['email'], email: 'duty@weihai.example' }, message);
    expect(mail).toMatchObject({ recipient: 'duty@weihai.example', ok: true });
    expect(mail.detail).toContain('queued as T1');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('To: duty@weihai.example');
    expect(mails[0]).toMatch(/Subject: .+/);
    const text = await senders.sms({ channels: ['sms'], phone: '13900000000' }, message);
    expect(text).toMatchObject({ recipient: '13900000000', ok: true, detail: 'HTTP 200 {"id":"sms-1"}' });
    expect(sms).toEqual([{ auth: 'Bearer gw-secret', body: { to: '13900000000', text: message.subject } }]);
    const topic = await senders.mqtt({ channels: ['mqtt'], mqttTopic: 'weihai/warnings' }, message);
    expect(topic.ok).toBe(true);
    expect(JSON.parse(published[0]!.payload)).toMatchObject({ id: 'w1', colour: 'red', link: message.link });
  });

  it('says why when a channel is not set up or its counterpart fails', async () => {
    const senders = channelSenders({
      smtpUrl: undefined,
      smtpFrom: 'x@y',
      smsGatewayUrl: 'http://127.0.0.1:9/none',
      smsGatewayToken: undefined,
      mqttPublish: () => undefined,
    });
    expect(await senders.email({ channels: ['email'], email: 'a@b' }, message)).toMatchObject({
      ok: false,
      detail: 'SMTP_URL is not set',
    });
    expect(await senders.mqtt({ channels: ['mqtt'], mqttTopic: 't' }, message)).toMatchObject({
      ok: false,
      detail: 'no MQTT broker is running',
    });
    const refused = await senders.sms({ channels: ['sms'], phone: '1' }, message);
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/fetch failed|ECONNREFUSED/);
  });
});
