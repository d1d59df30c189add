/**
 * MQTT ingestion as the configuration asks: an external broker when MQTT_URL is set, else the embedded broker on
 * MQTT_PORT, or none when MQTT_PORT=0 (a deliberate choice: an ephemeral port nobody knows would serve no device).
 */
import type { Config } from '../../../config.ts';
import { startEmbeddedBroker } from './embedded-broker.ts';
import { startExternalClient } from './external-client.ts';
import type { IngestSink, MqttLog, MqttStats, MqttTransport } from './mqtt.types.ts';

export async function startMqtt(
  config: Pick<Config, 'host' | 'mqttPort' | 'mqttUrl'>,
  sink: IngestSink,
  log: MqttLog,
  opts: { clientId?: string } = {},
): Promise<MqttTransport> {
  if (config.mqttUrl) return startExternalClient({ url: config.mqttUrl, sink, log, clientId: opts.clientId });
  if (config.mqttPort === 0) {
    const counts: MqttStats = { received: 0, authRefused: 0, publishRefused: 0, ignored: 0, sinkFailures: 0 };
    log.info('MQTT ingestion is off (MQTT_PORT=0 and no MQTT_URL): devices report over HTTP');
    return {
      status: () => ({ mode: 'off', reason: 'MQTT_PORT=0 and MQTT_URL unset' }),
      stats: () => counts,
      close: async () => undefined,
    };
  }
  return startEmbeddedBroker({ port: config.mqttPort, host: config.host, sink, log });
}
