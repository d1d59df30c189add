/*
 * Anlan's service worker (hand-written, no CDN, no library): keeps the app's shell so that the field app opens and
 * queues reports without a connection. Browsers run it only over HTTPS or on localhost (see the README).
 *
 * - install: every built file listed in /sw-precache.json (written by vite.config.ts at build time) and the page;
 * - the page (navigations): network first, else the kept index.html (the SPA routes itself);
 * - /assets/* (names carry their hash): cache first;
 * - the offline map (style, glyphs, tiles, the district basemap): the kept copy at once, refreshed behind;
 * - who I am (/api/v1/auth/me, /api/v1/system/info): network first, else the last answer, so the shell starts offline;
 * - every other /api request and every write: straight to the network (writes are queued by the page's outbox, with
 *   their Idempotency-Key, never by this worker).
 */
const SHELL = 'anlan-shell-';
const MAP = 'anlan-map-v1';
const ME = 'anlan-me-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('/sw-precache.json', { cache: 'no-store' });
      const manifest = res.ok ? await res.json() : { version: 'dev', files: [] };
      const cache = await caches.open(SHELL + manifest.version);
      await cache.addAll(['/', ...manifest.files.map((f) => `/${f}`)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('/sw-precache.json', { cache: 'no-store' }).catch(() => null);
      const current = res?.ok ? SHELL + (await res.json()).version : null;
      if (current) {
        for (const key of await caches.keys()) if (key.startsWith(SHELL) && key !== current) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

async function fromShell(request) {
  const keys = (await caches.keys()).filter((k) => k.startsWith(SHELL));
  for (const k of keys.reverse()) {
    const hit = await (await caches.open(k)).match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  return undefined;
}

async function networkFirst(request, cacheName, fallback) {
  try {
    const res = await fetch(request);
    if (res.ok && cacheName) (await caches.open(cacheName)).put(request, res.clone());
    return res;
  } catch (err) {
    const kept = cacheName ? await (await caches.open(cacheName)).match(request) : await fallback();
    if (kept) return kept;
    throw err;
  }
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(MAP);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then((res) => {
      if (res.ok) cache.put(request, res.clone());
      return res;
    })
    .catch(() => kept);
  return kept ?? fresh;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, null, () => fromShell('/')));
  } else if (path.startsWith('/assets/')) {
    event.respondWith(fromShell(request).then((hit) => hit ?? fetch(request)));
  } else if (
    path === '/map/style.json' ||
    path.startsWith('/map/glyphs/') ||
    path.startsWith('/tiles/') ||
    path === '/api/v1/geo/basemap'
  ) {
    event.respondWith(staleWhileRevalidate(request));
  } else if (path === '/api/v1/auth/me' || path === '/api/v1/system/info') {
    event.respondWith(networkFirst(request, ME));
  }
});
