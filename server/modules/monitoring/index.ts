/** The monitoring module's door: what other modules may ask of monitoring. */
import type { Device, IngestReply } from '../../../contracts/monitoring.ts';
import type { RequestCtx } from '../../platform/core/context.ts';

export interface MonitoringApi {
  getDevice(ctx: RequestCtx, id: string): Promise<Device>;
  /** one message of a device (MQTT, HTTP, a CSV line, a replay): stored once, checked, rules evaluated */
  ingest(deviceId: string, payload: Buffer | string | unknown, via: string): Promise<IngestReply>;
}
