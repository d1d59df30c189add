import { describe, expect, it } from 'vitest';
import { startMqtt } from './mqtt-transport.ts';
import { freePort } from './test-mosquitto.ts';
import { ArraySink, testLog } from './test-sink.ts';

describe('MQTT ingestion as configured', () => {
  it('is off with MQTT_PORT=0 and no MQTT_URL, saying so without a warning', async () => {
    const log = testLog();
    const t = await startMqtt({ host: '127.0.0.1', mqttPort: 0, mqttUrl: undefined }, new ArraySink({}), log);
    expect(t.status()).toEqual({ mode: 'off', reason: 'MQTT_PORT=0 and MQTT_URL unset' });
    expect(log.warnings()).toEqual([]);
    await t.close();
  });

  it('runs the embedded broker on MQTT_PORT', async () => {
    const port = await freePort();
    const t = await startMqtt({ host: '127.0.0.1', mqttPort: port, mqttUrl: undefined }, new ArraySink({}), testLog());
    expect(t.status()).toEqual({ mode: 'embedded', port });
    await t.close();
  });
});
