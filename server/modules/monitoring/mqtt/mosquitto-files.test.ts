// The exported files work in a real Mosquitto 2 (Debian's package `mosquitto`, installed by .ci/run): a private
// broker on a free port, with Anlan's password and ACL files, authenticates devices by their tokens and keeps each
// to its own topic. Nothing is skipped: without /usr/sbin/mosquitto this test fails.
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDeviceToken, newDeviceToken } from '../device-token.ts';
import { mosquittoAclFile, mosquittoPasswordFile } from './mosquitto-files.ts';
import { readingsTopic, SHARED_READINGS_SUBSCRIPTION } from './mqtt.types.ts';
import { type PrivateMosquitto, startMosquitto } from './test-mosquitto.ts';

const A = '01900000-0000-7000-8000-0000000000a1';
const B = '01900000-0000-7000-8000-0000000000b2';
const OFF = '01900000-0000-7000-8000-0000000000c3';
const token = { [A]: newDeviceToken(), [B]: newDeviceToken(), [OFF]: newDeviceToken(), anlan: newDeviceToken() };
const devices = [
  { id: A, tokenHash: hashDeviceToken(token[A]), enabled: true },
  { id: B, tokenHash: hashDeviceToken(token[B]), enabled: true },
  { id: OFF, tokenHash: hashDeviceToken(token[OFF]), enabled: false },
];

describe('the exported Mosquitto files', () => {
  it('list enabled devices only: one hash line each, one write rule each, and Anlan reading them all', () => {
    const passwd = mosquittoPasswordFile(devices);
    expect(passwd.split('\n').filter(Boolean)).toEqual([
      `${A}:${devices[0].tokenHash}`,
      `${B}:${devices[1].tokenHash}`,
    ]);
    const acl = mosquittoAclFile(devices, 'anlan');
    expect(acl).toContain('user anlan\ntopic read anlan/v1/devices/+/readings\n');
    expect(acl).toContain(`user ${A}\ntopic write anlan/v1/devices/${A}/readings\n`);
    expect(acl).not.toContain(OFF);
  });

  it('refuse an id that would change the meaning of a line', () => {
    expect(() => mosquittoPasswordFile([{ id: 'a b', tokenHash: devices[0].tokenHash, enabled: true }])).toThrow(
      /cannot stand/,
    );
    expect(() => mosquittoAclFile([{ id: '+', tokenHash: devices[0].tokenHash, enabled: true }], 'anlan')).toThrow(
      /cannot stand/,
    );
  });
});

describe('a real Mosquitto with the exported files', () => {
  let mosquitto: PrivateMosquitto;
  const clients: mqtt.MqttClient[] = [];
  const connect = async (username: string, password: string) => {
    const c = await mqtt.connectAsync(mosquitto.url, { username, password, reconnectPeriod: 0 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto({
      files: {
        passwd: `${mosquittoPasswordFile(devices)}anlan:${hashDeviceToken(token.anlan)}\n`,
        acl: mosquittoAclFile(devices, 'anlan'),
      },
      conf: (dir) => ['allow_anonymous false', `password_file ${join(dir, 'passwd')}`, `acl_file ${join(dir, 'acl')}`],
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await mosquitto?.stop();
  });

  it('lets a device publish to its own topic, which Anlan’s shared subscription receives', async () => {
    const anlan = await connect('anlan', token.anlan);
    const granted = await anlan.subscribeAsync(SHARED_READINGS_SUBSCRIPTION, { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
    const got: { topic: string; payload: string }[] = [];
    let marker: () => void = () => undefined;
    const markerSeen = new Promise<void>((resolve) => {
      marker = resolve;
    });
    anlan.on('message', (topic, payload) => {
      got.push({ topic, payload: payload.toString() });
      if (payload.toString() === 'marker') marker();
    });

    const a = await connect(A, token[A]);
    await a.publishAsync(readingsTopic(A), '{"ts":"2026-07-01T08:00:00Z","values":{"rain_mm":1}}', { qos: 1 });
    // the same connection publishes on B's topic, then a marker on its own: Mosquitto keeps the order, so once the
    // marker is in, the foreign message would have come before it
    await a.publishAsync(readingsTopic(B), 'forged', { qos: 1 });
    await a.publishAsync(readingsTopic(A), 'marker', { qos: 1 });
    await markerSeen;
    expect(got).toEqual([
      { topic: readingsTopic(A), payload: '{"ts":"2026-07-01T08:00:00Z","values":{"rain_mm":1}}' },
      { topic: readingsTopic(A), payload: 'marker' },
    ]);
  });

  it('refuses a wrong token and a disabled device', async () => {
    await expect(connect(A, token[B])).rejects.toThrow(/Not authorized|Bad username or password/);
    await expect(connect(OFF, token[OFF])).rejects.toThrow(/Not authorized|Bad username or password/);
  });
});
