// A login flood against a running server, and what a real user sees meanwhile (issue #7): 100 parallel wrong
// passwords from one address, then from 100 addresses (X-Forwarded-For: start the server with TRUST_PROXY=true),
// while one correct sign-in (from an address of its own) and /healthz are timed. It prints; it never fails.
//
//   PORT=3111 DATA_DIR=/tmp/anlan-flood TRUST_PROXY=true npm start        # a demo installation
//   node --import tsx bench/login-flood.ts http://127.0.0.1:3111 duty Anlan-demo-2026
//
// Loopback only: the X-Forwarded-For addresses are documentation ranges written in a header, never contacted.

export {};

const base = process.argv[2] ?? 'http://127.0.0.1:3111';
const user = process.argv[3] ?? 'duty';
const password = process.argv[4] ?? 'Anlan-demo-2026';
const FLOOD = 100;

async function login(username: string, pw: string, from?: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify({ username, password: pw }),
  });
  await r.arrayBuffer();
  return { status: r.status, ms: performance.now() - t0 };
}

async function healthzWhile(done: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!done()) {
    const t0 = performance.now();
    await (await fetch(`${base}/healthz`)).arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function round(label: string, fromOf: (k: number) => string | undefined, nameOf: (k: number) => string) {
  let finished = false;
  const t0 = performance.now();
  const health = healthzWhile(() => finished);
  const flood = Promise.all(
    Array.from({ length: FLOOD }, (_, k) => login(nameOf(k), `wrong-${k}-pass`, fromOf(k)).catch(() => null)),
  );
  // The real user starts a moment after the flood, from an address of their own.
  await new Promise((r) => setTimeout(r, 20));
  const real = await login(user, password, '192.0.2.200');
  const results = await flood;
  const floodMs = performance.now() - t0;
  finished = true;
  const h = await health;
  const statuses = new Map<number | string, number>();
  for (const r of results) statuses.set(r?.status ?? 'error', (statuses.get(r?.status ?? 'error') ?? 0) + 1);
  const answered = results.filter((r) => r !== null).map((r) => r.ms);
  console.log(`\n${label}`);
  console.log(
    `  flood: ${FLOOD} wrong logins in ${(floodMs / 1000).toFixed(2)} s; replies ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`,
  );
  console.log(`  flood reply time: median ${pct(answered, 50).toFixed(0)} ms, max ${pct(answered, 100).toFixed(0)} ms`);
  console.log(`  correct login of ${user} meanwhile: ${real.status} in ${real.ms.toFixed(0)} ms`);
  console.log(
    `  /healthz meanwhile: ${h.length} calls, median ${pct(h, 50).toFixed(0)} ms, max ${pct(h, 100).toFixed(0)} ms`,
  );
}

const quiet = await login(user, password, '192.0.2.201');
console.log(`quiet: correct login of ${user}: ${quiet.status} in ${quiet.ms.toFixed(0)} ms`);
await round(
  `1) one address (198.51.100.1), ${FLOOD} unknown usernames`,
  () => '198.51.100.1',
  (k) => `nobody-${k}`,
);
await round(
  `2) ${FLOOD} addresses (198.51.100.x, 203.0.113.x), ${FLOOD} unknown usernames`,
  (k) => (k < 50 ? `198.51.100.${k + 10}` : `203.0.113.${k}`),
  (k) => `ghost-${k}`,
);
await round(
  `3) ${FLOOD} addresses, all at one existing user (viewer)`,
  (k) => `203.0.113.${(k % 200) + 1}`,
  () => 'viewer',
);
