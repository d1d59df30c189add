/** A fake IngestSink for the transport's tests: an array of what arrived, and devices with their tokens. */
import type { IngestSink } from './mqtt.types.ts';

export interface Arrival {
  deviceId: string;
  payload: Buffer;
}

export class ArraySink implements IngestSink {
  readonly arrivals: Arrival[] = [];
  /** when set, each ingest waits for it (a slow or stalled store) */
  hold: Promise<void> | undefined;
  running = 0;
  maxRunning = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(private readonly tokens: Record<string, string>) {}

  async ingest(deviceId: string, payload: Buffer): Promise<void> {
    this.arrivals.push({ deviceId, payload });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    for (const w of this.waiters.filter((w) => this.arrivals.length >= w.n)) w.resolve();
    try {
      if (this.hold) await this.hold;
    } finally {
      this.running--;
    }
  }

  async authenticate(deviceId: string, token: string): Promise<boolean> {
    return Object.hasOwn(this.tokens, deviceId) && this.tokens[deviceId] === token;
  }

  knows(deviceId: string): boolean {
    return Object.hasOwn(this.tokens, deviceId);
  }

  /** resolves once `n` messages have arrived */
  received(n: number): Promise<void> {
    if (this.arrivals.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

/** Collects log lines by level. */
export function testLog() {
  const lines: { level: 'info' | 'warn'; msg: string }[] = [];
  return {
    lines,
    warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.msg),
    info: (msg: string) => lines.push({ level: 'info', msg }),
    warn: (msg: string) => lines.push({ level: 'warn', msg }),
  };
}
