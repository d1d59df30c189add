/**
 * Ingestion through an external broker (Mosquitto, EMQX) at MQTT_URL: the broker authenticates devices (with the
 * files of mosquitto-files.ts); Anlan subscribes with the shared subscription `$share/anlan/…` at QoS 1, so that
 * several instances split the messages, and reconnects by itself. A message is acknowledged after the sink resolves
 * (mqtt.js's `handleMessage` hook, one message at a time: the broker holds the rest, within its in-flight window).
 * Topics of unknown or disabled devices are ignored and counted; they are acknowledged, since sending them again
 * would not make them known.
 */
import { hostname } from 'node:os';
import mqtt from 'mqtt';
import {
  deviceOfReadingsTopic,
  type IngestSink,
  type MqttLog,
  type MqttStats,
  type MqttTransport,
  READINGS_SUFFIX,
  TOPIC_PREFIX,
} from './mqtt.types.ts';

export interface ExternalClientOptions {
  /** mqtt://user:password@host:port (or mqtts://) */
  url: string;
  sink: IngestSink;
  log: MqttLog;
  /**
   * a stable id of this instance: then the session is kept (clean = false) and the broker keeps this instance's
   * share of messages while it restarts; without it each start is a new clean session
   */
  clientId?: string;
  /** the shared-subscription group (default `anlan`): instances of one installation share one group */
  shareGroup?: string;
  /** milliseconds between reconnection attempts (default 2,000) */
  reconnectPeriod?: number;
}

export interface ExternalClient extends MqttTransport {
  /** resolves once the broker has granted the subscription `n` times (1: the first connection; tests of reconnecting) */
  subscribed(n?: number): Promise<void>;
}

/** The URL as shown in /readyz and logs: without its password. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function startExternalClient(opts: ExternalClientOptions): ExternalClient {
  const { sink, log } = opts;
  const counts: MqttStats = { received: 0, authRefused: 0, publishRefused: 0, ignored: 0, sinkFailures: 0 };
  const shownUrl = redactUrl(opts.url);
  const persistent = opts.clientId !== undefined;
  const subscription = `$share/${opts.shareGroup ?? 'anlan'}/${TOPIC_PREFIX}+${READINGS_SUFFIX}`;
  const client = mqtt.connect(opts.url, {
    clientId: opts.clientId ?? `anlan-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean: !persistent,
    reconnectPeriod: opts.reconnectPeriod ?? 2000,
    connectTimeout: 10_000,
    // the subscription is made on every connect (below); mqtt.js must not make it a second time
    resubscribe: false,
  });
  let wasConnected = false;
  let lastError = '';
  let grants = 0;
  let waiting: { n: number; resolve: () => void }[] = [];
  const onGranted = () => {
    grants++;
    for (const w of waiting) if (grants >= w.n) w.resolve();
    waiting = waiting.filter((w) => grants < w.n);
  };

  client.on('connect', (connack) => {
    wasConnected = true;
    lastError = '';
    log.info(`MQTT: connected to ${shownUrl}`);
    if (persistent && connack.sessionPresent) return onGranted();
    client.subscribe(subscription, { qos: 1 }, (err, granted) => {
      const refused = err ?? (granted?.some((g) => g.qos === 128) ? new Error('the broker refused it') : undefined);
      if (refused) {
        log.warn(`MQTT: cannot subscribe to ${subscription} at ${shownUrl}: ${refused.message}`);
        return;
      }
      onGranted();
    });
  });
  client.on('error', (err) => {
    // mqtt.js reconnects by itself; say each different problem once, not every two seconds
    if (err.message !== lastError) {
      lastError = err.message;
      log.warn(`MQTT: ${shownUrl}: ${err.message} (retrying)`);
    }
  });
  client.on('offline', () => {
    if (wasConnected) log.warn(`MQTT: lost the connection to ${shownUrl} (reconnecting)`);
    wasConnected = false;
  });

  client.handleMessage = (packet, done) => {
    const deviceId = deviceOfReadingsTopic(packet.topic);
    if (!deviceId || !sink.knows(deviceId)) {
      counts.ignored++;
      return done();
    }
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    sink.ingest(deviceId, payload, 'mqtt').then(
      () => {
        counts.received++;
        done();
      },
      (err: unknown) => {
        // the sink failing (not bad content): no PUBACK; a kept session gets the message again after a reconnect
        counts.sinkFailures++;
        log.warn(`MQTT: storing a reading of ${deviceId} failed: ${String(err)}`);
        done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  };

  return {
    subscribed: (n = 1) =>
      grants >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve })),
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 1 });
    },
    status: () => ({ mode: 'external', url: shownUrl, connected: client.connected }),
    stats: () => ({ ...counts }),
    async close() {
      await client.endAsync();
    },
  };
}
