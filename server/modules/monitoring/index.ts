/** The monitoring module's door: what other modules may ask of monitoring. */
import type { DeadLetter, Device, DeviceInput, IngestReply } from '../../../contracts/monitoring.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface MonitoringApi {
  getDevice(ctx: RequestCtx, id: string): Promise<Device>;
  /** one message of a device (MQTT, HTTP, a CSV line, a replay): stored once, checked, rules evaluated */
  ingest(deviceId: string, payload: Buffer | string | unknown, via: string): Promise<IngestReply>;
  /** registers a device; its token is in the answer only */
  createDevice(ctx: RequestCtx, input: DeviceInput): Promise<{ device: Device; token: string }>;
  /** waits until what was ingested so far is stored and its rules evaluated */
  drain(): Promise<void>;
  deadLetters(
    ctx: RequestCtx,
    q: { deviceId?: string; limit?: number; offset?: number },
  ): Promise<{ items: DeadLetter[]; total: number }>;
}
