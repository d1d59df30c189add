// The replay of a real series: 48 hours of the KNMI Vlissingen rainfall (converted by scripts/convert-knmi.mjs,
// around the wettest hour of 2019–2022) published into the embedded broker as the device, each reading arriving
// once and in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/template.ts';
import { newDeviceToken } from '../device-token.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from './embedded-broker.ts';
import { replay, replayCommand } from './replay.ts';
import { freePort } from './test-mosquitto.ts';
import { ArraySink, testLog } from './test-sink.ts';

const KNMI = join(SHARED_DATA, 'tabular', 'knmi_vlissingen_precip_hourly_2019-2022.csv');
const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const GAUGE = '01900000-0000-7000-8000-0000000000f1';
const token = newDeviceToken();

describe('replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anlan-replay-'));
  const slice = join(dir, 'slice.csv');
  let expected: { ts: string; values: { rain_mm: number } }[];
  let sink: ArraySink;
  let broker: EmbeddedBroker;
  let url: string;

  beforeAll(async () => {
    const converted = join(dir, 'knmi.csv');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'convert-knmi.mjs'), KNMI, converted]);
    const lines = readFileSync(converted, 'utf8').trim().split('\n');
    const wettest = lines.findIndex((l) => l.startsWith('2020-06-17T15:00:00Z,'));
    const part = lines.slice(wettest - 24, wettest + 24);
    writeFileSync(slice, `${lines[0]}\n${part.join('\n')}\n`);
    expected = part.map((l) => {
      const [ts, mm] = l.split(',');
      return { ts: new Date(ts).toISOString(), values: { rain_mm: Number(mm) } };
    });
    sink = new ArraySink({ [GAUGE]: token });
    broker = await startEmbeddedBroker({ port: 0, sink, log: testLog() });
    url = `mqtt://127.0.0.1:${broker.port}`;
  });
  afterAll(async () => {
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes 48 hours of real rainfall, every reading arriving once and in order', async () => {
    expect(expected).toHaveLength(48);
    expect(expected.some((r) => r.values.rain_mm === 51.3)).toBe(true);
    const progress: number[] = [];
    const n = sink.arrivals.length;
    const { published } = await replay(slice, {
      deviceId: GAUGE,
      token,
      url,
      speed: 0,
      inFlight: 8,
      onProgress: (done) => progress.push(done),
    });
    expect(published).toBe(48);
    expect(progress).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    const got = sink.arrivals.slice(n);
    expect(got.every((a) => a.deviceId === GAUGE)).toBe(true);
    expect(got.map((a) => JSON.parse(a.payload.toString()))).toEqual(expected);
  });

  it('keeps the order at a speed of 1,000,000× real time (an hour in 3.6 ms)', async () => {
    const n = sink.arrivals.length;
    await replay(slice, { deviceId: GAUGE, token, url, speed: 1_000_000 });
    expect(sink.arrivals.slice(n).map((a) => JSON.parse(a.payload.toString()))).toEqual(expected);
  });

  it('runs as `npx anlan replay` and says what it did', async () => {
    const printed: string[] = [];
    const n = sink.arrivals.length;
    const code = await replayCommand.run({
      args: [slice],
      values: { device: GAUGE, token, url },
      server: undefined,
      local: () => Promise.reject(new Error('replay needs no database')),
      print: (line) => printed.push(line),
    });
    expect(code).toBe(0);
    expect(sink.arrivals.length - n).toBe(48);
    expect(printed.at(-1)).toBe(`published 48 message(s) to anlan/v1/devices/${GAUGE}/readings at ${url}`);
  });

  it('publishes nothing from a file with a bad line, naming it; refuses a wrong token and a broker that is not there', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'ts,rain_mm\n2020-06-17T15:00:00Z,1\n2020-06-17 16:00:00,2\n');
    const n = sink.arrivals.length;
    await expect(replay(bad, { deviceId: GAUGE, token, url, speed: 0 })).rejects.toThrow(
      /1 bad line\(s\), nothing published:\n {2}line 3: ts has no UTC offset/,
    );
    await expect(replay(slice, { deviceId: GAUGE, token: newDeviceToken(), url, speed: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/,
    );
    const closed = await freePortUrl();
    await expect(replay(slice, { deviceId: GAUGE, token, url: closed, speed: 0 })).rejects.toThrow(
      /ECONNREFUSED|Couldn't connect/,
    );
    expect(sink.arrivals.length).toBe(n);
  });
});

async function freePortUrl(): Promise<string> {
  return `mqtt://127.0.0.1:${await freePort()}`;
}
