import { once } from 'node:events';
import { connect as connectTcp, createServer } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeviceToken } from '../device-token.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker.ts';
import { readingsTopic } from './mqtt.types.ts';
import { ArraySink, testLog } from './test-sink.ts';

const A = '01900000-0000-7000-8000-00000000000a';
const B = '01900000-0000-7000-8000-00000000000b';
const tokens: Record<string, string> = { [A]: newDeviceToken(), [B]: newDeviceToken() };

describe('the embedded MQTT broker', () => {
  const sink = new ArraySink(tokens);
  const log = testLog();
  let broker: EmbeddedBroker;
  let url: string;
  const clients: mqtt.MqttClient[] = [];
  const device = async (id: string, token = tokens[id]) => {
    const c = await mqtt.connectAsync(url, { username: id, password: token, reconnectPeriod: 0 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0, sink, log, maxInFlight: 4 });
    url = `mqtt://127.0.0.1:${broker.port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker.close();
  });

  it('says it is embedded, on its port', () => {
    expect(broker.status()).toEqual({ mode: 'embedded', port: broker.port });
    expect(broker.port).toBeGreaterThan(0);
  });

  it('hands a device’s readings, object and array forms, byte for byte to the sink', async () => {
    const c = await device(A);
    const one = Buffer.from('{"ts":"2026-07-01T08:00:00+08:00","values":{"rain_mm":1.2}}');
    const many = Buffer.from(
      '[{"ts":"2026-07-01T09:00:00+08:00","values":{"rain_mm":0.4}},{"ts":"2026-07-01T10:00:00+08:00","values":{"rain_mm":12.25}}]',
    );
    const before = sink.arrivals.length;
    await c.publishAsync(readingsTopic(A), one, { qos: 1 });
    await c.publishAsync(readingsTopic(A), many, { qos: 1 });
    const got = sink.arrivals.slice(before);
    expect(got.map((a) => a.deviceId)).toEqual([A, A]);
    expect(got[0].payload.equals(one)).toBe(true);
    expect(got[1].payload.equals(many)).toBe(true);
  });

  it('acknowledges a QoS 1 message only once the sink has stored it', async () => {
    const c = await device(B);
    let release: () => void = () => undefined;
    sink.hold = new Promise((resolve) => {
      release = resolve;
    });
    const n = sink.arrivals.length;
    let acked = false;
    const published = c.publishAsync(readingsTopic(B), Buffer.from('{}'), { qos: 1 }).then(() => {
      acked = true;
    });
    await sink.received(n + 1);
    // the sink holds the message: after another client's whole CONNECT round trip the device has still no PUBACK
    await device(A);
    expect(acked).toBe(false);
    sink.hold = undefined;
    release();
    await published;
    expect(acked).toBe(true);
  });

  it('refuses a wrong token and an unknown device at CONNECT', async () => {
    const refused = log.lines.length;
    await expect(
      mqtt.connectAsync(url, { username: A, password: newDeviceToken(), reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password|Not authorized/);
    await expect(
      mqtt.connectAsync(url, { username: 'no-such-device', password: tokens[A], reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password|Not authorized/);
    await expect(mqtt.connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/,
    );
    expect(broker.stats().authRefused).toBe(3);
    expect(log.lines.length).toBe(refused);
  });

  it('refuses a device taking over the client id another device holds; the holder stays connected', async () => {
    const a = await mqtt.connectAsync(url, {
      username: A,
      password: tokens[A],
      clientId: 'gauge-1',
      reconnectPeriod: 0,
    });
    clients.push(a);
    await expect(
      mqtt.connectAsync(url, { username: B, password: tokens[B], clientId: 'gauge-1', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Identifier rejected/);
    await a.publishAsync(readingsTopic(A), Buffer.from('{"still":"here"}'), { qos: 1 });
    expect(sink.arrivals.at(-1)?.payload.toString()).toBe('{"still":"here"}');
    // the same device may take its id over (a reconnect after a half-open connection)
    const again = await mqtt.connectAsync(url, {
      username: A,
      password: tokens[A],
      clientId: 'gauge-1',
      reconnectPeriod: 0,
    });
    clients.push(again);
    expect(again.connected).toBe(true);
  });

  it('closes the connection of a device that publishes on another device’s topic; nothing reaches the sink', async () => {
    const c = await device(A);
    const n = sink.arrivals.length;
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    c.publish(readingsTopic(B), Buffer.from('{"ts":"2026-07-01T08:00:00Z","values":{"rain_mm":99}}'), { qos: 1 });
    await closed;
    expect(sink.arrivals.length).toBe(n);
    expect(broker.stats().publishRefused).toBeGreaterThanOrEqual(1);
  });

  it('refuses a device’s subscription to another device’s topic or to all of them, grants its own', async () => {
    const c = await device(A);
    for (const topic of [readingsTopic(B), 'anlan/v1/devices/+/readings', '#']) {
      // SUBACK 128 (failure): mqtt.js rejects
      await expect(c.subscribeAsync(topic, { qos: 1 }), topic).rejects.toThrow(/Subscribe error/);
    }
    const own = await c.subscribeAsync(`anlan/v1/devices/${A}/commands`, { qos: 1 });
    expect(own.map((g) => g.qos)).toEqual([1]);
  });

  it('keeps serving others when a client connects and vanishes, or leaves half a packet', async () => {
    for (const bytes of [
      // CONNECT (MQTT 3.1.1, client id "x", no credentials) then gone
      Buffer.from([0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x01, 0x78]),
      // the first bytes of a CONNECT only
      Buffer.from([0x10, 0x20, 0x00, 0x04, 0x4d]),
    ]) {
      const s = connectTcp(broker.port, '127.0.0.1');
      await once(s, 'connect');
      s.write(bytes);
      s.destroy();
    }
    const c = await device(B);
    const n = sink.arrivals.length;
    await c.publishAsync(readingsTopic(B), Buffer.from('{"after":"vanishing"}'), { qos: 1 });
    expect(sink.arrivals.length).toBe(n + 1);
    expect(sink.arrivals[n].payload.toString()).toBe('{"after":"vanishing"}');
  });

  it('runs no more sink calls at once than allowed while the sink is slow; every message arrives once, in order', async () => {
    const c = await device(A);
    let release: () => void = () => undefined;
    sink.hold = new Promise((resolve) => {
      release = resolve;
    });
    sink.maxRunning = 0;
    const n = sink.arrivals.length;
    const sent = Array.from({ length: 200 }, (_, i) =>
      c.publishAsync(readingsTopic(A), Buffer.from(String(i)), { qos: 1 }),
    );
    await sink.received(n + 4);
    await new Promise((resolve) => setImmediate(resolve));
    // the gate lets 4 in; the others wait (in aedes's socket read or the gate), not in the sink
    expect(sink.running).toBe(4);
    sink.hold = undefined;
    release();
    await Promise.all(sent);
    expect(sink.maxRunning).toBe(4);
    expect(sink.arrivals.slice(n).map((a) => a.payload.toString())).toEqual(sent.map((_, i) => String(i)));
  });
});

describe('the embedded MQTT broker on a taken port', () => {
  it('is off with the reason, says so in one warning, and Anlan goes on', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const port = (squatter.address() as { port: number }).port;
    const log = testLog();
    try {
      const broker = await startEmbeddedBroker({ port, sink: new ArraySink({}), log });
      expect(broker.status()).toEqual({
        mode: 'off',
        reason: `port ${port} on 127.0.0.1 is taken (another MQTT broker?)`,
      });
      expect(log.warnings()).toHaveLength(1);
      expect(log.warnings()[0]).toMatch(/embedded MQTT broker is off.*MQTT_PORT.*MQTT_URL.*HTTP/);
      await broker.close();
    } finally {
      squatter.close();
    }
  });
});
