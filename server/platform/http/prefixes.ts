/**
 * Which module owns a URL: the one with the longest declared prefix it starts with (a sub-resource such as
 * `/api/v1/incidents/:id/activations` belongs to the module that declares it, not to incidents).
 */
export function routeOwner(declared: readonly { prefix: string; module: string }[], url: string): string | undefined {
  let best: { prefix: string; module: string } | undefined;
  for (const d of declared) {
    if (url.startsWith(d.prefix) && (!best || d.prefix.length > best.prefix.length)) best = d;
  }
  return best?.module;
}
