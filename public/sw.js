// Groundwork's service worker: the doorstep pages keep working with no signal.
// Served by the app at /sw.js with __BUILD__ and the asset list filled in (server/src/offline.rs).
//  - walk lists, door pages, knock-up rounds and telling pages: network first, the cached copy when there is no network;
//  - /pkg (wasm, JS, CSS) and the outbox scripts: cache first, from this build's cache;
//  - any other page: the network, and our own offline page when there is none;
//  - anything but GET (entries, sign-in) always goes to the network and is never cached.
// Cached pages belong to one account: they are dropped whenever someone signs in or out
// on this phone, or the server says the session has ended (sign-in page, 401).
'use strict';
const VERSION = '__BUILD__';
const CACHE = 'groundwork-' + VERSION;
// The signed-in account's pages (walk lists, doors), kept apart from the build's code.
const PAGES = CACHE + '-pages';
// Requests after which the phone's cached pages may belong to someone else.
const SESSION_CHANGES = ['/api/login', '/api/logout', '/api/sign_out_everywhere', '/api/accept_invitation', '/api/reset_password'];
const forgetPages = () => caches.delete(PAGES);
const ASSETS = [/*ASSETS*/];
// Set when the server says a newer build is live: stop serving this build's cached code.
let newer = false;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('groundwork-') && k !== CACHE && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A knock-up round (/poll/{gss}/knock-up), one page per district and walk, and a
// station's telling page (/poll/{gss}/telling), one per station: a knocker or teller who
// loses signal can still open the page they had.
const POLL_PAGES = { '/knock-up': ['district', 'walk'], '/telling': ['station'] };
const pollParams = (path) => (path.startsWith('/poll/') && Object.entries(POLL_PAGES).find(([end]) => path.endsWith(end)) || [])[1];
const isPage = (path) => path === '/' || path.startsWith('/walk/') || Boolean(pollParams(path));
// Where a page is kept: its path, and the parameters that name it (never a flash message).
function pageKey(url) {
  return url.origin + url.pathname + keptQuery(url.searchParams, pollParams(url.pathname) || []);
}
function keptQuery(params, names) {
  const kept = names.filter((n) => params.get(n)).map((n) => `${n}=${encodeURIComponent(params.get(n))}`);
  return kept.length ? `?${kept.join('&')}` : '';
}
const isAsset = (path) => path.startsWith('/pkg/') || ASSETS.includes(path);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    if (SESSION_CHANGES.includes(url.pathname)) event.waitUntil(forgetPages());
    return;
  }
  if (isAsset(url.pathname)) event.respondWith(cacheFirst(request));
  else if (isPage(url.pathname)) event.respondWith(networkFirst(request, url));
  else if (request.mode === 'navigate') event.respondWith(networkOnly(request));
});

// The server says nobody is signed in: what was kept was someone's, so it goes.
function endedSession(response) {
  const toSignIn = response.redirected && new URL(response.url).pathname === '/login';
  if (toSignIn || response.status === 401) forgetPages();
  return toSignIn || response.status === 401;
}

async function networkOnly(request) {
  try {
    return await fetch(request);
  } catch (offline) {
    return offlinePage('This page needs signal, and there is none just now.');
  }
}

function offlinePage(why) {
  return new Response(
    '<!doctype html><html lang="en-GB"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      '<title>Offline · Groundwork</title><body style="font-family:system-ui;padding:1rem">' +
      `<h1>No signal</h1><p>${why} Open your walk list while you have signal ` +
      'and its doors are kept for offline use. Entries you have made are safe and will be sent later.</p>' +
      '<p><a href="/">My walk lists</a></p></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
  );
}

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
    if (!endedSession(response) && !stale(response) && response.ok && !response.redirected && pageKey(url) === url.href) {
      (await caches.open(PAGES)).put(pageKey(url), response.clone());
    }
    return response;
  } catch (offline) {
    const hit = await caches.match(pageKey(url), { cacheName: PAGES });
    if (hit) return hit;
    return offlinePage('This page was not saved on this phone.');
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
  const cache = await caches.open(PAGES);
  let count = 0;
  let ended = false;
  const queue = urls.filter((u) => typeof u === 'string' && u.startsWith('/'));
  // The list's page comes first and alone: the server logs the list as cached once,
  // then takes its doors, fetched with the same header, as part of that (not as a view each).
  const headers = { 'x-groundwork-offline': '1' };
  const keep = async (u) => {
    try {
      const response = await fetch(u, { credentials: 'same-origin', headers });
      if (endedSession(response)) {
        ended = true;
        return;
      }
      if (response.ok && !response.redirected && !stale(response)) {
        await cache.put(u, response);
        count += 1;
      }
    } catch (e) {
      // No signal: whatever was kept is kept.
    }
  };
  const first = queue.shift();
  if (first !== undefined) await keep(first);
  // Then a few at a time: gentle on the phone and the server.
  const worker = async () => {
    for (let u = queue.shift(); u !== undefined && !ended; u = queue.shift()) await keep(u);
  };
  await Promise.all([worker(), worker(), worker()]);
  return count;
}
