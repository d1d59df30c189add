import { canSee } from '../access/scope.ts';
import type { Db } from '../db/index.ts';
import type { Redactor, TypedApp } from '../module.ts';
import { type DomainEvent, type EventBus, readOutbox } from './events.ts';

const HEARTBEAT_MS = 25_000;
const REPLAY_LIMIT = 5_000;

/**
 * GET /api/v1/stream: Server-Sent Events of the domain events the user may see. A reconnect with
 * Last-Event-ID first replays what was missed from the outbox, then goes live, in order and without doubles.
 */
export function streamRoutes(
  app: TypedApp,
  deps: { db: Db; bus: EventBus; redactors: Record<string, Redactor> },
): void {
  app.get('/api/v1/stream', { schema: { tags: ['events'], hide: false } }, async (req, reply) => {
    const ctx = req.ctx;
    const lastIdRaw =
      (req.headers['last-event-id'] as string | undefined) ?? (req.query as { lastEventId?: string }).lastEventId;
    const lastId = lastIdRaw && /^\d+$/.test(lastIdRaw) ? Number(lastIdRaw) : null;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    let sent = lastId ?? deps.bus.lastSeq;
    let replaying = lastId !== null;
    const buffered: DomainEvent[] = [];
    const send = (e: DomainEvent) => {
      if (e.seq <= sent) return;
      sent = e.seq;
      if (!canSee(ctx.actor, e.visibility)) return;
      const redact = deps.redactors[e.entity];
      const data = {
        type: e.type,
        entity: e.entity,
        entityId: e.entityId,
        at: e.at,
        payload: redact ? redact(e.payload, ctx) : e.payload,
      };
      res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const off = deps.bus.listen((e) => (replaying ? buffered.push(e) : send(e)));
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(beat);
      off();
    };
    req.raw.on('close', close);
    if (replaying) {
      try {
        for (;;) {
          const batch = await readOutbox(deps.db, sent, 500);
          for (const e of batch) send(e);
          if (batch.length < 500 || sent - (lastId ?? 0) > REPLAY_LIMIT) break;
        }
      } catch (err) {
        req.log.error({ err }, 'stream replay failed');
      }
      replaying = false;
      for (const e of buffered.splice(0)) send(e);
    }
  });
}
