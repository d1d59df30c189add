/**
 * The two ends of a worker task. An entry file's default export is `workerTask(fn)`; an AppError thrown by fn
 * crosses the thread boundary (where only an Error's message survives) as its code and details, and becomes the
 * same AppError again in the main thread. A result that is `moved` (a Uint8Array of a reply) is transferred, not
 * copied.
 */
import { Piscina } from 'piscina';
import { AppError, type ErrorCode } from '../../errors.ts';

const MARK = 'anlan-app-error:';

export function workerTask<I, O>(fn: (input: I) => O | Promise<O>): (input: I) => Promise<O> {
  return async (input: I) => {
    try {
      return await fn(input);
    } catch (err) {
      if (err instanceof AppError) throw new Error(MARK + JSON.stringify({ code: err.code, details: err.details }));
      throw err;
    }
  };
}

/** Marks bytes to be transferred to the main thread with the result (the worker's copy is gone after). */
export function moved(bytes: Uint8Array): Uint8Array {
  return Piscina.move(bytes) as unknown as Uint8Array;
}

/** The main thread's view of a worker's failure: AppErrors as they were thrown, anything else as it came. */
export function fromWorkerError(err: unknown): unknown {
  const msg = err instanceof Error ? err.message : '';
  const at = msg.indexOf(MARK);
  if (at < 0) return err;
  try {
    const { code, details } = JSON.parse(msg.slice(at + MARK.length)) as {
      code: ErrorCode;
      details: Record<string, unknown>;
    };
    return new AppError(code, details);
  } catch {
    return err;
  }
}
