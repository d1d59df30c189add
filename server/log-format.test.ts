// One log format (issue 9 §6): start-up progress, requests and errors are all JSON lines of the one pino logger,
// not plain "[anlan] …" lines mixed with JSON request lines.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processLog } from './app.ts';
import { openTestApp, type TestApp } from './test/helpers.ts';
import { freshDatabase } from './test/template.ts';

const lines: string[] = [];
let t: TestApp;
beforeAll(async () => {
  let rest = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      const all = rest + String(chunk);
      const parts = all.split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  const { log, say } = processLog({ logLevel: 'info' }, sink);
  t = await openTestApp(await freshDatabase(), { LOG_LEVEL: 'info' }, { logger: log, say });
});
afterAll(() => t.stop());

describe('the log', () => {
  it('writes start-up lines and request lines in one JSON format', async () => {
    expect((await t.api('GET', '/healthz')).statusCode).toBe(200);
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string; time: number });
    expect(parsed.some((p) => /migrat|schema up to date/.test(p.msg))).toBe(true);
    expect(parsed.some((p) => p.msg === 'request completed')).toBe(true);
    for (const p of parsed) expect(p).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
  });
});
