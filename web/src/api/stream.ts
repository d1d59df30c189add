import { useEffect, useRef, useSyncExternalStore } from 'react';

/** What the server sends on `/api/v1/stream` (the payload already masked for this user). */
export interface StreamEvent<P = unknown> {
  type: string;
  entity: string;
  entityId: string;
  at: string;
  payload: P;
}

export type StreamState = 'off' | 'connecting' | 'open' | 'error';

let state: StreamState = 'off';
const listeners = new Set<() => void>();
function setState(s: StreamState) {
  if (s === state) return;
  state = s;
  for (const l of listeners) l();
}

/** Whether the live stream is connected, for a small indicator. */
export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => state,
  );
}

/**
 * Server-Sent Events from `/api/v1/stream` (cookie-authenticated): one connection, each event of `types` parsed
 * and handed to `onEvent`. EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed across
 * short outages; after a longer one (or on another server instance) the server says `reset`: `onReset` reads
 * everything again.
 */
export function useEventStream(
  types: readonly string[],
  onEvent: (event: StreamEvent) => void,
  enabled: boolean,
  onReset?: () => void,
  /** changes with each sign-in: a stream refused when the session ended (EventSource gives up on 401) opens again */
  session?: string | null,
): void {
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const onResetRef = useRef(onReset);
  onResetRef.current = onReset;
  // the effect depends on the set of types, not on the array's identity
  const key = [...types].sort().join(' ');

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new session opens a new stream
  useEffect(() => {
    if (!enabled || !key || typeof EventSource === 'undefined') return;
    setState('connecting');
    const es = new EventSource('/api/v1/stream', { withCredentials: true });
    const listener = (ev: Event) => {
      let event: StreamEvent;
      try {
        event = JSON.parse((ev as MessageEvent<string>).data) as StreamEvent;
      } catch {
        return;
      }
      onEventRef.current({ ...event, type: ev.type });
    };
    const all = key.split(' ');
    for (const type of all) es.addEventListener(type, listener);
    const reset = () => onResetRef.current?.();
    es.addEventListener('reset', reset);
    es.onopen = () => setState('open');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'error' : 'connecting');
    return () => {
      for (const type of all) es.removeEventListener(type, listener);
      es.removeEventListener('reset', reset);
      es.close();
      setState('off');
    };
  }, [enabled, key, session]);
}
