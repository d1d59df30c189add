import type { ServerResponse } from 'node:http';
import { AppError } from '../../errors.ts';

/**
 * Aborted when the client leaves before its answer was sent: heavy work done for it is dropped (waiting) or
 * stopped (running) rather than finished for nobody.
 */
export function whenClientGone(reply: { raw: ServerResponse }): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    // a client's doing, not a server fault: logged as a refused request, not as a 500
    if (!reply.raw.writableFinished) {
      ac.abort(new AppError('BAD_REQUEST', { reason: 'the client left before the answer' }));
    }
  });
  return ac.signal;
}
