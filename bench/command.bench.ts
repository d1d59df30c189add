// Issue #9 (command and response): from `POST /api/v1/incidents/{id}/activations` to the departments' tasks on their
// live streams, with 500 streams connected (100 users × 5: department staff of the plan's five units, who see their
// own unit's tasks, and city duty officers, who see all). A digital plan of ten actions for five departments is
// activated on 30 incidents, one after another; for every stream that should see an activation's tasks, the time from
// sending the POST until the last of them arrived on that stream.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.ts';
import { MODULES } from '../server/modules.ts';
import type { Platform } from '../server/platform/module.ts';
import { bringUp, createPlatform } from '../server/platform/platform.ts';
import { makeUser, USER_PASSWORD } from '../server/test/factories.ts';
import { ADMIN_PASSWORD, type AnlanServer, reportIncident, startAnlan } from './lib/anlan.ts';
import { sleep } from './lib/proc.ts';
import { fmt, log, median, type Report, verdict } from './lib/report.ts';
import { openStream, p99, type StreamClient } from './lib/stream-clients.ts';

const UNITS = ['xfzd', 'sthjj', 'wjw', 'jtj', 'swj'] as const;
const DEPT_USERS_PER_UNIT = 10;
const CITY_USERS = 50;
const STREAMS_PER_USER = 5;
const ACTIVATIONS = 30;
const TARGET_MS = 300;

async function prepare(workDir: string) {
  const dataDir = mkdtempSync(join(workDir, 'command-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    ANLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ANLAN_DEMO: '0',
    LOG_LEVEL: 'silent',
  });
  const booted = await createPlatform(config, MODULES);
  await bringUp(booted);
  const p: Platform = booted.platform;
  const users: { username: string; unit: string | null }[] = [];
  for (const unit of UNITS)
    for (let i = 0; i < DEPT_USERS_PER_UNIT; i++)
      users.push({ username: (await makeUser(p, 'department_staff', unit, 'department')).username, unit });
  for (let i = 0; i < CITY_USERS; i++)
    users.push({ username: (await makeUser(p, 'duty_officer', 'yjj', 'city')).username, unit: null });
  const commander = (await makeUser(p, 'commander', 'yjj', 'city')).username;
  await booted.bus.stop();
  await p.db.close();
  return { dataDir, users, commander };
}

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function loginAs(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: USER_PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

export async function commandBench(report: Report, workDir: string): Promise<void> {
  log(
    `command: a PGlite server, ${UNITS.length * DEPT_USERS_PER_UNIT + CITY_USERS} users × ${STREAMS_PER_USER} streams…`,
  );
  const { dataDir, users, commander } = await prepare(workDir);
  let server: AnlanServer | undefined;
  const clients: StreamClient[] = [];
  try {
    server = await startAnlan({ dataDir, demo: false });
    const url = server.url;
    const cmd = await loginAs(url, commander);
    const plan = await call<{ id: string; version: number }>(url, cmd, 'POST', '/api/v1/plans', {
      name: '基准测试专项预案',
      kind: 'special',
      hazardCodes: ['12H02'],
      activation: { minLevel: 'IV' },
      levels: [
        {
          level: 'IV',
          actions: UNITS.flatMap((unit) => [
            { unit, title: `${unit} 先期处置`, dueMinutes: 30 },
            { unit, title: `${unit} 情况报告`, dueMinutes: 60 },
          ]),
        },
      ],
    });
    await call(url, cmd, 'PATCH', `/api/v1/plans/${plan.id}`, { version: plan.version, status: 'approved' });

    /** per activation (incident id): when its POST was sent */
    const sentAt = new Map<string, number>();
    /** per stream and incident: tasks seen so far and when the last came */
    const seen: Map<string, { n: number; last: number }>[] = [];
    const expectPerStream: number[] = [];
    let si = 0;
    for (const u of users) {
      const token = await loginAs(url, u.username);
      for (let k = 0; k < STREAMS_PER_USER; k++) {
        const mine = new Map<string, { n: number; last: number }>();
        seen.push(mine);
        expectPerStream.push(0);
        si++;
        clients.push(
          openStream(url, token, {
            onEvent: (event, data) => {
              if (event !== 'task.created') return;
              const inc = /"incidentId":"([^"]+)"/.exec(data)?.[1];
              if (!inc || !sentAt.has(inc)) return;
              const s = mine.get(inc) ?? { n: 0, last: 0 };
              s.n++;
              s.last = performance.now();
              mine.set(inc, s);
            },
          }),
        );
      }
    }
    const open = (await Promise.all(clients.map((c) => c.status))).filter((s) => s === 200).length;
    log(`  ${open} of ${si} streams open; ${ACTIVATIONS} activations of ten tasks for five departments…`);
    // a warm-up activation also tells what each stream sees (its unit's tasks, or all for the city)
    const warm = await reportIncident(url, cmd, '预案启动基准 预热');
    sentAt.set(warm.id, performance.now());
    await call(url, cmd, 'POST', `/api/v1/incidents/${warm.id}/activations`, { planId: plan.id, level: 'IV' });
    await sleep(3_000);
    seen.forEach((m, k) => {
      expectPerStream[k] = m.get(warm.id)?.n ?? 0;
    });
    sentAt.delete(warm.id);
    const blind = expectPerStream.filter((n) => n === 0).length;
    if (blind) log(`  ${blind} streams saw none of the warm-up's tasks`);
    const replies: number[] = [];
    for (let i = 0; i < ACTIVATIONS; i++) {
      const { id } = await reportIncident(url, cmd, `预案启动基准 ${i}`);
      await sleep(200);
      const t0 = performance.now();
      sentAt.set(id, t0);
      await call(url, cmd, 'POST', `/api/v1/incidents/${id}/activations`, { planId: plan.id, level: 'IV' });
      replies.push(performance.now() - t0);
      await sleep(300);
    }
    for (let waited = 0; waited < 20_000; waited += 100) {
      const complete = seen.every((m, k) =>
        [...sentAt.keys()].every((inc) => (m.get(inc)?.n ?? 0) >= expectPerStream[k]!),
      );
      if (complete) break;
      await sleep(100);
    }
    const lat: number[] = [];
    let missing = 0;
    seen.forEach((m, k) => {
      if (!expectPerStream[k]) return;
      for (const [inc, t0] of sentAt) {
        const s = m.get(inc);
        if (!s || s.n < expectPerStream[k]!) missing++;
        else lat.push(s.last - t0);
      }
    });
    const p = p99(lat);
    log(
      `  ${lat.length} stream-activations complete, ${missing} incomplete; POST → all of a stream's tasks on it ` +
        `p50 ${fmt.ms(median(lat))}, p99 ${fmt.ms(p)}; the POST's own answer p50 ${fmt.ms(median(replies))}, p99 ${fmt.ms(p99(replies))}`,
    );
    report.row(
      'command activation',
      `${open} streams: POST activation → department tasks on their streams p99`,
      fmt.ms(p),
      `≤ ${TARGET_MS} ms`,
      verdict(p <= TARGET_MS && missing === 0 && blind === 0),
    );
    report.data.command = { open, complete: lat.length, missing, p50: median(lat), p99: p, postP50: median(replies) };
  } finally {
    for (const c of clients) c.close();
    await server?.stop();
  }
}
