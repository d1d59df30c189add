/**
 * The MQTT transport's one dependency: where readings go. The monitoring module implements it (devices, storage,
 * dead letters); tests use a fake. The transport never parses payloads: the sink does, and records what it refuses.
 */
export interface IngestSink {
  /** one message published on anlan/v1/devices/{deviceId}/readings; resolves once it is stored or dead-lettered
   *  (never rejects for bad content: the sink records the reason). QoS 1 is acknowledged after it resolves. */
  ingest(deviceId: string, payload: Buffer, via: 'mqtt'): Promise<void>;
  /** embedded broker's CONNECT: MQTT username = device id, password = the device's API token */
  authenticate(deviceId: string, token: string): Promise<boolean>;
  /** external broker: a registered, enabled device (messages of others are ignored, counted) */
  knows(deviceId: string): boolean;
}

/**
 * Another module's topic on the embedded broker: `{prefix}{id}{suffix}` (the id one topic level), published by
 * users (not devices): CONNECT with a username and password that `authenticate` turns into a principal (the first
 * route that knows them), `authorize` says whether that principal may publish for the id (no: the connection is
 * closed, as for a device publishing elsewhere), `handle` takes the payload (bad content is the route's to record:
 * it resolves; a rejection means it could not be stored, and the message is not acknowledged).
 */
export interface TopicRoute<P = unknown> {
  name: string;
  prefix: string;
  suffix: string;
  authenticate(username: string, password: string): Promise<P | undefined>;
  authorize(principal: P, id: string): Promise<boolean>;
  handle(principal: P, id: string, payload: Buffer): Promise<void>;
}

/** The id in `{prefix}{id}{suffix}`, or undefined when the topic is not the route's. */
export function idOfRouteTopic(route: Pick<TopicRoute, 'prefix' | 'suffix'>, topic: string): string | undefined {
  if (!topic.startsWith(route.prefix) || !topic.endsWith(route.suffix)) return undefined;
  const id = topic.slice(route.prefix.length, topic.length - route.suffix.length);
  return isTopicSafeId(id) ? id : undefined;
}

/** What `/readyz` shows about MQTT ingestion. */
export interface MqttStatus {
  /** embedded: aedes listens on `port`; external: subscribed at `url`; off: no MQTT (HTTP ingestion only) */
  mode: 'embedded' | 'external' | 'off';
  port?: number;
  /** the external broker, without its password */
  url?: string;
  /** external: whether the connection is up now (it reconnects by itself) */
  connected?: boolean;
  /** why it is off, in words an operator acts on */
  reason?: string;
}

/** Counters of one transport since it started (for /metrics and the report of a replay). */
export interface MqttStats {
  /** messages handed to the sink */
  received: number;
  /** CONNECTs refused (unknown device, wrong token) */
  authRefused: number;
  /** publications refused: a topic other than the device's own (the connection is closed, MQTT 3.1.1 has no NACK) */
  publishRefused: number;
  /** external broker: messages on topics of unknown or disabled devices, ignored */
  ignored: number;
  /** sink failures (not bad content: the sink records that); the message is not acknowledged and comes again */
  sinkFailures: number;
}

export interface MqttTransport {
  /** publishes on the broker at QoS 1 (warning notifications on an MQTT topic); absent when no broker runs */
  publish?(topic: string, payload: string): Promise<void>;
  status(): MqttStatus;
  stats(): MqttStats;
  close(): Promise<void>;
}

/** The warnings an operator must see (pino's logger fits). */
export interface MqttLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export const TOPIC_PREFIX = 'anlan/v1/devices/';
export const READINGS_SUFFIX = '/readings';
/** Anlan's subscription on an external broker: instances sharing the group `anlan` split the messages. */
export const SHARED_READINGS_SUBSCRIPTION = `$share/anlan/${TOPIC_PREFIX}+${READINGS_SUFFIX}`;

/** A device id that can stand as one topic level, an MQTT username and a Mosquitto file entry. */
export function isTopicSafeId(id: string): boolean {
  return /^[A-Za-z0-9._-]{1,128}$/.test(id);
}

export function readingsTopic(deviceId: string): string {
  return `${TOPIC_PREFIX}${deviceId}${READINGS_SUFFIX}`;
}

/** The device of `anlan/v1/devices/{id}/readings`, or undefined for any other topic. */
export function deviceOfReadingsTopic(topic: string): string | undefined {
  if (!topic.startsWith(TOPIC_PREFIX) || !topic.endsWith(READINGS_SUFFIX)) return undefined;
  const id = topic.slice(TOPIC_PREFIX.length, topic.length - READINGS_SUFFIX.length);
  return isTopicSafeId(id) ? id : undefined;
}
