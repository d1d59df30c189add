import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  paths: string[];
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** Drives `connections` keep-alive connections for `durationS`; each connection cycles through `paths`. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    headers: o.headers,
    requests: o.paths.map((path) => ({ method: 'GET' as const, path })),
  });
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
    timeouts: r.timeouts,
  };
}
