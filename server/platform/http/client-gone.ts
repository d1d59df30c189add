import type { ServerResponse } from 'node:http';

/**
 * Aborted when the client leaves before its answer was sent: heavy work done for it is dropped (waiting) or
 * stopped (running) rather than finished for nobody.
 */
export function whenClientGone(reply: { raw: ServerResponse }): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort(new Error('the client left before the answer'));
  });
  return ac.signal;
}
