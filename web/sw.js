// The service worker: keeps the page, the app, ONNX Runtime and the models
// in this browser so that Radiolens opens and classifies offline after one
// visit. It only ever handles requests to this origin; it never contacts
// another. The build (scripts/site.mjs) fills in the version and file list.
'use strict';
const kVersion = '__VERSION__';
const kPrecache = __PRECACHE__;
const kCache = `radiolens-${kVersion}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(kCache).then((cache) => cache.addAll(kPrecache)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('radiolens-') && n !== kCache).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

// Cache first (the cache is replaced as a whole when any file changes);
// same-origin files not kept yet (the WebGPU backend) are kept when fetched.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(caches.open(kCache).then(async (cache) => {
    const hit = await cache.match(event.request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(event.request);
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  }));
});
