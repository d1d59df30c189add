import { useEffect, useRef, useState } from 'react';
import { errorMessage } from './errors.tsx';

/**
 * Search as the user types: waits `delayMs` after the last key, cancels a search the next key makes stale, and says
 * what failed in words. `search` may change every render (it is read when the search runs).
 */
export function useSearchAsYouType<T>(
  q: string,
  search: (q: string, signal: AbortSignal) => Promise<{ items: T[] }>,
  delayMs: number,
): { hits: T[]; loading: boolean; error: string | null } {
  const [hits, setHits] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    if (!q) {
      setHits([]);
      setLoading(false);
      setError(null);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      searchRef
        .current(q, ctl.signal)
        .then((r) => {
          setHits(r.items);
          setError(null);
        })
        .catch((err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          setHits([]);
          setError(errorMessage(err));
        })
        .finally(() => {
          if (!ctl.signal.aborted) setLoading(false);
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [q, delayMs]);

  return { hits, loading, error };
}
