// Run as a child of the abuse benchmark (its own event loop, so that reading the streams does not slow the
// measuring client): CLIENTS loops, each asking GET /api/v1/stream with Last-Event-ID: 0 (replay everything) and
// leaving after HOLD_MS, again and again until DURATION_MS is over. Prints one JSON line with what happened.
const url = process.env.URL ?? '';
const token = process.env.TOKEN ?? '';
const clients = Number(process.env.CLIENTS ?? 100);
const holdMs = Number(process.env.HOLD_MS ?? 1000);
const durationMs = Number(process.env.DURATION_MS ?? 20_000);

let connections = 0;
let refused = 0;
let errors = 0;
let bytes = 0;
const end = Date.now() + durationMs;

async function loop(): Promise<void> {
  while (Date.now() < end) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), holdMs);
    try {
      const res = await fetch(`${url}/api/v1/stream`, {
        headers: { authorization: `Bearer ${token}`, 'last-event-id': '0' },
        signal: ac.signal,
      });
      if (res.status !== 200) {
        refused++;
        await res.arrayBuffer().catch(() => undefined);
        // a refusal (429) comes at once: wait out the hold before asking again, as a client would
        await new Promise((r) => setTimeout(r, holdMs));
        continue;
      }
      connections++;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
    } catch {
      if (!ac.signal.aborted) errors++;
    } finally {
      clearTimeout(timer);
    }
  }
}

await Promise.all(Array.from({ length: clients }, loop));
console.log(JSON.stringify({ connections, refused, errors, bytes }));
process.exit(0);

export {};
