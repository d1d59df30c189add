// npm run test:pg: two Anlan instances on the machine's Mosquitto (mqtt://127.0.0.1:1883, anonymous allowed there)
// split the readings through the shared subscription; each message reaches exactly one of them.
// A group of its own per run keeps other subscribers of the machine's broker out of the count.
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExternalClient, startExternalClient } from './external-client.ts';
import { readingsTopic } from './mqtt.types.ts';
import { ArraySink, testLog } from './test-sink.ts';

const URL = 'mqtt://127.0.0.1:1883';

describe('the shared subscription on the machine’s Mosquitto', () => {
  const devices = Array.from({ length: 4 }, () => randomUUID());
  const tokens = Object.fromEntries(devices.map((d) => [d, 'unused']));
  const group = `anlan-test-${randomUUID().slice(0, 8)}`;
  const instances: { client: ExternalClient; sink: ArraySink }[] = [];
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.client.close()));
  });

  it('gives each message to exactly one of two instances, and both get a share', async () => {
    for (let i = 0; i < 2; i++) {
      const sink = new ArraySink(tokens);
      instances.push({ sink, client: startExternalClient({ url: URL, sink, log: testLog(), shareGroup: group }) });
    }
    await Promise.all(instances.map((i) => i.client.subscribed()));
    const publisher = await mqtt.connectAsync(URL, { reconnectPeriod: 0 });
    const sent: string[] = [];
    for (let n = 0; n < 200; n++) {
      const device = devices[n % devices.length];
      const payload = JSON.stringify({
        ts: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        values: { rain_mm: n },
      });
      sent.push(`${device} ${payload}`);
      await publisher.publishAsync(readingsTopic(device), payload, { qos: 1 });
    }
    await publisher.endAsync();
    const [a, b] = instances.map((i) => i.sink);
    await waitFor(() => a.arrivals.length + b.arrivals.length >= sent.length);
    const got = [...a.arrivals, ...b.arrivals].map((x) => `${x.deviceId} ${x.payload.toString()}`);
    expect(got.sort()).toEqual([...sent].sort());
    expect(a.arrivals.length).toBeGreaterThan(0);
    expect(b.arrivals.length).toBeGreaterThan(0);
  });
});

async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}
