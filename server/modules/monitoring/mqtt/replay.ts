/**
 * `npx anlan replay FILE --device ID --token T [--url mqtt://…] [--speed N]`: publishes a readings CSV (either
 * layout of readings-csv.ts) over MQTT as the device would, one message `{"ts", "values"}` per time, at QoS 1 to
 * the device's own topic. Speed N: N× real time between consecutive times; 0: as fast as the broker acknowledges,
 * with several messages in flight. Readings are stored once per (device, metric, ts), so replaying twice is harmless.
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { loadConfig } from '../../../config.ts';
import type { CliCommand } from '../../../platform/module.ts';
import { parseReadingsCsv } from '../readings-csv.ts';
import { readingsTopic } from './mqtt.types.ts';

export interface ReplayOptions {
  deviceId: string;
  token: string;
  /** mqtt://host:port of the broker (embedded or external); the device's id and token are the credentials */
  url: string;
  /** N× real time; 0 = as fast as acknowledged */
  speed: number;
  /** messages awaiting their PUBACK at once (default 32) */
  inFlight?: number;
  onProgress?(acknowledged: number, total: number): void;
}

/** Publishes every row of `file`; resolves once the broker has acknowledged them all. */
export async function replay(file: string, opts: ReplayOptions): Promise<{ published: number }> {
  if (!(opts.speed >= 0) || !Number.isFinite(opts.speed)) throw new Error('speed must be a number ≥ 0');
  const { rows, errors } = parseReadingsCsv(readFileSync(file, 'utf8'));
  if (errors.length) {
    const shown = errors.slice(0, 5).map((e) => `  line ${e.line}: ${e.reason}`);
    const more = errors.length > 5 ? `\n  … and ${errors.length - 5} more` : '';
    throw new Error(`${file}: ${errors.length} bad line(s), nothing published:\n${shown.join('\n')}${more}`);
  }
  const topic = readingsTopic(opts.deviceId);
  const window = Math.max(1, opts.inFlight ?? 32);
  const client = await mqtt.connectAsync(
    opts.url,
    {
      username: opts.deviceId,
      password: opts.token,
      // a lost connection comes back; the messages not yet acknowledged are sent again (stored once on arrival)
      reconnectPeriod: 1000,
      clean: true,
    },
    false,
  ); // no retries before the first CONNACK: a broker that is down or a wrong token is said at once
  try {
    let inFlight = 0;
    let acked = 0;
    let failure: Error | undefined;
    let wake: () => void = () => undefined;
    const changed = () => new Promise<void>((resolve) => (wake = resolve));
    const start = Date.now();
    const t0 = rows.length ? Date.parse(rows[0].ts) : 0;
    for (const row of rows) {
      if (opts.speed > 0) {
        const due = start + (Date.parse(row.ts) - t0) / opts.speed;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      while (inFlight >= window && !failure) await changed();
      if (failure) break;
      inFlight++;
      client.publish(topic, JSON.stringify({ ts: row.ts, values: row.values }), { qos: 1 }, (err) => {
        inFlight--;
        if (err) failure ??= err;
        else {
          acked++;
          opts.onProgress?.(acked, rows.length);
        }
        wake();
      });
    }
    while (inFlight > 0 && !failure) await changed();
    if (failure) throw new Error(`publishing to ${topic} failed after ${acked} message(s): ${failure.message}`);
    return { published: acked };
  } finally {
    await client.endAsync();
  }
}

/** The broker a device on this machine would use: the external one's host (without Anlan's credentials) or ours. */
function defaultUrl(): string {
  const config = loadConfig();
  if (config.mqttUrl) {
    const u = new URL(config.mqttUrl);
    return `${u.protocol}//${u.host}`;
  }
  if (config.mqttPort === 0) throw new Error('replay: MQTT_PORT=0 (no embedded broker) and MQTT_URL unset: give --url');
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  return `mqtt://${host.includes(':') ? `[${host}]` : host}:${config.mqttPort}`;
}

export const replayCommand: CliCommand<unknown> = {
  name: 'replay',
  usage: 'replay FILE --device ID --token T [--url mqtt://…] [--speed N]',
  help: `Publish a readings CSV (ts,metric,value or ts,<metric>,…) over MQTT as the device ID with its token, at QoS 1.
--speed N: N× real time between readings (default 0: as fast as the broker acknowledges). Default --url: the
embedded broker (127.0.0.1:MQTT_PORT) or the host of MQTT_URL. Readings already stored are not stored again.`,
  options: {
    device: { type: 'string' },
    token: { type: 'string' },
    url: { type: 'string' },
    speed: { type: 'string' },
  },
  async run(c) {
    const file = c.args[0];
    if (!file) throw new Error('replay: FILE is required');
    const deviceId = c.values.device;
    const token = c.values.token;
    if (typeof deviceId !== 'string' || !deviceId) throw new Error('replay: --device ID is required');
    if (typeof token !== 'string' || !token) throw new Error('replay: --token T is required (the device’s API token)');
    const rawSpeed = typeof c.values.speed === 'string' ? c.values.speed : '0';
    const speed = Number(rawSpeed);
    if (!/^\d+(\.\d+)?$/.test(rawSpeed) || !Number.isFinite(speed)) {
      throw new Error(`replay: --speed must be a number ≥ 0, got "${rawSpeed}"`);
    }
    const url = typeof c.values.url === 'string' ? c.values.url : defaultUrl();
    let shown = 0;
    const { published } = await replay(file, {
      deviceId,
      token,
      url,
      speed,
      onProgress(done, total) {
        const tenth = Math.floor((done * 10) / total);
        if (tenth > shown) {
          shown = tenth;
          c.print(`${done} / ${total} acknowledged`);
        }
      },
    });
    c.print(`published ${published} message(s) to ${readingsTopic(deviceId)} at ${url}`);
    return 0;
  },
};
