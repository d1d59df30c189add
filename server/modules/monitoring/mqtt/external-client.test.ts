// The external-broker client against a private Mosquitto (anonymous, like the machine's): it ignores unknown devices,
// and comes back by itself after the broker restarts. The split between instances on the machine's Mosquitto is in
// external-client.pg-test.ts (npm run test:pg).
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExternalClient, redactUrl, startExternalClient } from './external-client.ts';
import { readingsTopic } from './mqtt.types.ts';
import { type PrivateMosquitto, startMosquitto } from './test-mosquitto.ts';
import { ArraySink, testLog } from './test-sink.ts';

const KNOWN = '01900000-0000-7000-8000-0000000000e1';
const UNKNOWN = '01900000-0000-7000-8000-0000000000e2';

describe('the external-broker client', () => {
  let mosquitto: PrivateMosquitto;
  let anlan: ExternalClient;
  const sink = new ArraySink({ [KNOWN]: 'unused: the broker authenticates' });
  const log = testLog();
  const anonymous = { conf: () => ['allow_anonymous true'] };
  const publish = async (url: string, topic: string, payload: string) => {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    await c.publishAsync(topic, payload, { qos: 1 });
    await c.endAsync();
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto(anonymous);
    anlan = startExternalClient({ url: mosquitto.url, sink, log, reconnectPeriod: 200 });
    await anlan.subscribed();
  }, 20_000);
  afterAll(async () => {
    await anlan?.close();
    await mosquitto?.stop();
  });

  it('hands known devices’ messages to the sink and ignores (counts) those of unknown devices', async () => {
    expect(anlan.status()).toEqual({ mode: 'external', url: `${mosquitto.url}`, connected: true });
    await publish(mosquitto.url, readingsTopic(UNKNOWN), '{"unknown":1}');
    await publish(mosquitto.url, readingsTopic(KNOWN), '{"known":1}');
    await sink.received(1);
    // the count moves when the sink's promise resolves, a microtask after the arrival
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.arrivals.map((a) => [a.deviceId, a.payload.toString()])).toEqual([[KNOWN, '{"known":1}']]);
    expect(anlan.stats()).toMatchObject({ received: 1, ignored: 1 });
  });

  it('reconnects and subscribes again after the broker restarts', async () => {
    const port = mosquitto.port;
    await mosquitto.stop();
    mosquitto = await startMosquitto({ ...anonymous, port });
    await anlan.subscribed(2);
    expect(anlan.status().connected).toBe(true);
    await publish(mosquitto.url, readingsTopic(KNOWN), '{"after":"restart"}');
    await sink.received(2);
    expect(sink.arrivals[1].payload.toString()).toBe('{"after":"restart"}');
    expect(log.warnings().some((w) => w.includes('lost the connection'))).toBe(true);
  });

  it('shows the broker without its password', () => {
    expect(redactUrl('mqtt://anlan:s3cret@broker.example:1883')).toBe('mqtt://anlan:***@broker.example:1883');
  });
});
