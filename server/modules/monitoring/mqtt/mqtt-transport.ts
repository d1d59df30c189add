/**
 * MQTT ingestion as the configuration asks: an external broker when MQTT_URL is set, else the embedded broker on
 * MQTT_PORT, or none when MQTT_PORT=0 (a deliberate choice: an ephemeral port nobody knows would serve no device).
 */
import type { Config } from '../../../config.ts';
import { startEmbeddedBroker } from './embedded-broker.ts';
import { startExternalClient } from './external-client.ts';
import type { IngestSink, MqttLog, MqttStats, MqttTransport, TopicRoute } from './mqtt.types.ts';

export async function startMqtt(
  config: Pick<Config, 'host' | 'mqttPort' | 'mqttUrl'>,
  sink: IngestSink,
  log: MqttLog,
  opts: { clientId?: string; routes?: readonly TopicRoute[] } = {},
): Promise<MqttTransport> {
  if (config.mqttUrl) return externalPool(config.mqttUrl, sink, log, opts.clientId);
  if (config.mqttPort === 0) {
    const counts: MqttStats = { received: 0, authRefused: 0, publishRefused: 0, ignored: 0, sinkFailures: 0 };
    log.info('MQTT ingestion is off (MQTT_PORT=0 and no MQTT_URL): devices report over HTTP');
    return {
      status: () => ({ mode: 'off', reason: 'MQTT_PORT=0 and MQTT_URL unset' }),
      stats: () => counts,
      close: async () => undefined,
    };
  }
  return startEmbeddedBroker({ port: config.mqttPort, host: config.host, sink, log, routes: opts.routes });
}

/**
 * Connections to an external broker in one shared-subscription group. mqtt.js hands a connection's messages over one
 * at a time and acknowledges each (PUBACK) only once it is stored, so one connection carries one message per batch
 * written; several carry several, and the broker spreads the group's messages over them. The acknowledgement still
 * follows the storage: a reading acknowledged is a reading kept.
 */
export const EXTERNAL_CONNECTIONS = 32;

function externalPool(url: string, sink: IngestSink, log: MqttLog, clientId?: string): MqttTransport {
  const clients = Array.from({ length: EXTERNAL_CONNECTIONS }, (_, i) =>
    startExternalClient({
      url,
      sink,
      // one connection says what goes wrong; the others would say it 31 times more
      log: i === 0 ? log : { info: () => undefined, warn: () => undefined },
      ...(clientId ? { clientId: `${clientId}-${i}` } : {}),
    }),
  );
  return {
    publish: async (topic, payload) => {
      const first = clients[0];
      if (!first?.publish) throw new Error('no connection to the broker');
      await first.publish(topic, payload);
    },
    status: () => {
      const all = clients.map((c) => c.status());
      return { ...all[0]!, connected: all.some((x) => x.connected) };
    },
    stats: () => {
      const sum: MqttStats = { received: 0, authRefused: 0, publishRefused: 0, ignored: 0, sinkFailures: 0 };
      for (const c of clients) for (const [k, v] of Object.entries(c.stats())) sum[k as keyof MqttStats] += v;
      return sum;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}
