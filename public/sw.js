// Groundwork's service worker: the doorstep pages keep working with no signal.
// Served by the app at /sw.js with __BUILD__ and the asset list filled in (server/src/offline.rs).
//  - walk lists and door pages: network first, the cached copy when there is no network;
//  - /pkg (wasm, JS, CSS) and the outbox script: cache first, from this build's cache;
//  - anything but GET (entries, sign-in) always goes to the network and is never cached.
'use strict';
const VERSION = '__BUILD__';
const CACHE = 'groundwork-' + VERSION;
const ASSETS = [/*ASSETS*/];
// Set when the server says a newer build is live: stop serving this build's cached code.
let newer = false;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('groundwork-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const isPage = (path) => path === '/' || path.startsWith('/walk/');
const isAsset = (path) => path.startsWith('/pkg/') || ASSETS.includes(path);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isAsset(url.pathname)) event.respondWith(cacheFirst(request));
  else if (isPage(url.pathname)) event.respondWith(networkFirst(request, url));
});

async function cacheFirst(request) {
  if (!newer) {
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
    if (hit) return hit;
  }
  const response = await fetch(request);
  if (response.ok && !newer) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

function stale(response) {
  const build = response.headers.get('x-groundwork-build');
  if (build && build !== VERSION) {
    newer = true;
    self.registration.update();
    return true;
  }
  return false;
}

async function networkFirst(request, url) {
  try {
    const response = await fetch(request);
    // Only a page as such (not a redirect to sign in, not an error) and only from this build.
    if (!stale(response) && response.ok && !response.redirected && url.search === '') {
      (await caches.open(CACHE)).put(request, response.clone());
    }
    return response;
  } catch (offline) {
    const hit = await caches.match(url.origin + url.pathname, { cacheName: CACHE });
    if (hit) return hit;
    return new Response(
      '<!doctype html><html lang="en-GB"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
        '<title>Offline · Groundwork</title><body style="font-family:system-ui;padding:1rem">' +
        '<h1>No signal</h1><p>This page was not saved on this phone. Open your walk list while you have signal ' +
        'and its doors are kept for offline use. Entries you have made are safe and will be sent later.</p>' +
        '<p><a href="/">My walk lists</a></p></body></html>',
      { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );
  }
}

// The outbox script asks for a walk list's pages to be kept on the phone.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type !== 'cache' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    cachePages(data.urls).then((count) => event.source && event.source.postMessage({ type: 'cached', count, total: data.urls.length })),
  );
});

async function cachePages(urls) {
  const cache = await caches.open(CACHE);
  let count = 0;
  const queue = urls.filter((u) => typeof u === 'string' && u.startsWith('/'));
  // A few at a time: gentle on the phone and the server.
  const worker = async () => {
    for (let u = queue.shift(); u !== undefined; u = queue.shift()) {
      try {
        const response = await fetch(u, { credentials: 'same-origin' });
        if (response.ok && !response.redirected && !stale(response)) {
          await cache.put(u, response);
          count += 1;
        }
      } catch (e) {
        // No signal: whatever was kept is kept.
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return count;
}
