/** The monitoring module's door: what other modules may ask of monitoring. */
import type { DeadLetter, Device, DeviceInput, IngestReply, Metric } from '../../../contracts/monitoring.ts';
import type { RequestCtx } from '../../platform/core/context.ts';
import type { Observation } from '../warnings/index.ts';
import type { TopicRoute } from './mqtt/mqtt.types.ts';

export type { TopicRoute } from './mqtt/mqtt.types.ts';

export interface MonitoringApi {
  getDevice(ctx: RequestCtx, id: string): Promise<Device>;
  /** one message of a device (MQTT, HTTP, a CSV line, a replay): stored once, checked, rules evaluated */
  ingest(deviceId: string, payload: Buffer | string | unknown, via: string): Promise<IngestReply>;
  /** registers a device; its token is in the answer only */
  createDevice(ctx: RequestCtx, input: DeviceInput): Promise<{ device: Device; token: string }>;
  /** waits until what was ingested so far is stored and its rules evaluated */
  drain(): Promise<void>;
  /**
   * Another module's MQTT topic `{prefix}{id}{suffix}` on the embedded broker, published by users (MQTT username and
   * password as the route authenticates them); effective at once, whenever registered. An external broker
   * (MQTT_URL) authenticates its clients itself and carries device readings only.
   */
  registerTopicRoute(route: TopicRoute): void;
  /**
   * Drill mode (演练): the rules in force for the device over synthetic readings, nothing stored, no device's state
   * changed; the observations in time order for the warnings door (the caller marks them with its exercise).
   * The device must be in the caller's scope (monitoring.read).
   */
  evaluateSeries(
    ctx: RequestCtx,
    deviceId: string,
    readings: readonly { metric: Metric; ts: Date; value: number }[],
  ): Promise<Observation[]>;
  deadLetters(
    ctx: RequestCtx,
    q: { deviceId?: string; limit?: number; offset?: number },
  ): Promise<{ items: DeadLetter[]; total: number }>;
}
