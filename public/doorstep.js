// Groundwork's doorstep outbox: entries are kept on the phone (IndexedDB) and sent when
// there is signal, so none is lost and none is stored twice (each has an id made here,
// and the server stores an id once). Without this script the forms post as plain HTML.
// Loaded with the page's CSP nonce; registers the service worker (public/sw.js).
(() => {
  'use strict';
  const OUTBOX = 'outbox'; // {id, payload, created, user[, refused]}
  const DONE = 'done'; // {key: "list:household", label, at}: doors recorded on this phone
  const BATCH = 100;

  // --- IndexedDB, in a few lines ---------------------------------------------------
  let opened;
  const db = () => (opened ||= new Promise((resolve, reject) => {
    const r = indexedDB.open('groundwork', 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(OUTBOX, { keyPath: 'id' });
      r.result.createObjectStore(DONE, { keyPath: 'key' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  }));
  const run = async (store, mode, fn) => {
    const t = (await db()).transaction(store, mode);
    const req = fn(t.objectStore(store));
    return new Promise((resolve, reject) => {
      t.oncomplete = () => resolve(req && req.result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  };
  const all = (store) => run(store, 'readonly', (s) => s.getAll());
  const put = (store, value) => run(store, 'readwrite', (s) => s.put(value));
  const remove = (store, keys) => run(store, 'readwrite', (s) => { keys.forEach((k) => s.delete(k)); });

  // Time-ordered ids (UUID version 7): each new entry's id lands at the end of the
  // database's index rather than on a random page, which is most of what a busy
  // polling day spends writing.
  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    let t = Date.now();
    for (let i = 5; i >= 0; i -= 1) {
      b[i] = t % 256;
      t = Math.floor(t / 256);
    }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Changes a server-rendered text in place (the node itself is kept, so hydration is undisturbed).
  const setText = (el, text) => {
    if (!el) return;
    const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
    if (node) node.nodeValue = text; else el.appendChild(document.createTextNode(text));
  };

  // --- Whose entries these are ------------------------------------------------------
  // Each entry is kept with the account signed in when it was made (the page says who,
  // on its navigation bar), and only ever sent while that account is signed in: on a
  // shared phone, one canvasser's doors are never sent as another's.
  const signedInAs = () => {
    const nav = document.querySelector('nav[data-user]');
    return nav ? nav.dataset.user : null;
  };
  // Entries from before entries carried their account belong to whoever is signed in.
  const mine = (item, me) => !item.user || item.user === me;
  // Set when the server answered 401: this phone's session has ended.
  let signedOut = false;

  // --- The count of unsent entries -------------------------------------------------
  let lastShown = '';
  const plural = (n) => (n === 1 ? '1 entry' : `${n} entries`);
  async function show() {
    const items = await all(OUTBOX).catch(() => []);
    const me = signedInAs();
    const aside = me ? items.filter((i) => !mine(i, me)).length : 0;
    const ours = items.filter((i) => !me || mine(i, me));
    const waiting = ours.filter((i) => !i.refused).length;
    const refused = ours.length - waiting;
    const parts = [];
    // Nobody signed in (the sign-in page), or a session that has ended: say so, and how.
    const askToSignIn = waiting > 0 && (signedOut || !me);
    if (askToSignIn) parts.push(`You are signed out, so ${plural(waiting)} cannot be sent yet. They are kept on this phone: sign in to send them.`);
    else if (waiting) parts.push(`${waiting} waiting to send`);
    if (refused) parts.push(`${refused} refused by the server (ask your organiser)`);
    if (aside) parts.push(`${plural(aside)} made by another account on this phone ${aside === 1 ? 'is' : 'are'} kept aside, to be sent when that account signs in here`);
    const text = parts.join(' · ');
    if (text === lastShown) return;
    lastShown = text;
    document.querySelectorAll('[data-outbox]').forEach((el) => {
      setText(el, text);
      el.dataset.waiting = String(waiting);
      showSignInLink(el, askToSignIn && !location.pathname.startsWith('/login'));
    });
  }

  function showSignInLink(el, wanted) {
    let link = el.querySelector('a.outbox-sign-in');
    if (!wanted) {
      if (link) link.remove();
      return;
    }
    if (link) return;
    link = document.createElement('a');
    link.className = 'outbox-sign-in button primary';
    link.href = '/login';
    link.rel = 'external';
    link.textContent = 'Sign in';
    el.appendChild(link);
  }

  // --- Sending ---------------------------------------------------------------------
  async function send(entries) {
    try {
      const r = await fetch('/api/doorstep/batch', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ entries }),
      });
      if (r.ok) return 'ok';
      if (r.status === 401) return 'signed-out'; // kept, and the volunteer is asked to sign in
      if ([400, 403, 404].includes(r.status)) return 'refused';
      return 'later'; // signed out, or the server is having a moment
    } catch (e) {
      return 'later'; // no signal
    }
  }

  let flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        const me = signedInAs();
        if (!me) return; // nobody to send them as
        const items = (await all(OUTBOX)).filter((i) => !i.refused && mine(i, me)).sort((a, b) => (a.created < b.created ? -1 : 1));
        for (let i = 0; i < items.length; i += BATCH) {
          const batch = items.slice(i, i + BATCH);
          const outcome = await send(batch.map((b) => b.payload));
          signedOut = outcome === 'signed-out';
          if (outcome === 'later' || signedOut) return;
          if (outcome === 'ok') {
            await remove(OUTBOX, batch.map((b) => b.id));
            continue;
          }
          // One entry the server will not take refuses its batch: send them one by one
          // and keep the refused ones aside (shown), so the rest still go.
          for (const b of batch) {
            const one = await send([b.payload]);
            signedOut = one === 'signed-out';
            if (one === 'later' || signedOut) return;
            if (one === 'ok') await remove(OUTBOX, [b.id]);
            else await put(OUTBOX, { ...b, refused: true });
          }
        }
      } catch (e) {
        // IndexedDB unavailable: the plain form is the fallback.
      } finally {
        await show();
      }
    })().finally(() => {
      // Cleared only once the send is over (set here, not in the body, which may finish
      // before the assignment above when there is nothing to send).
      flushing = null;
    });
    return flushing;
  }

  // --- Where the phone is (only when the browser gives it) ---------------------------
  let position = null;
  function locate() {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(
      (p) => { position = { lat: p.coords.latitude, lon: p.coords.longitude }; },
      () => {},
      { maximumAge: 60000, timeout: 10000 },
    );
  }

  // --- The door form ---------------------------------------------------------------
  function payloadOf(form, submitter) {
    const fd = new FormData(form);
    if (submitter && submitter.name) fd.set(submitter.name, submitter.value);
    const one = (k) => {
      const v = (fd.get(k) || '').toString().trim();
      return v === '' ? null : v;
    };
    const result = one('result');
    const spoke = result === 'spoke';
    const intention = spoke ? one('intention') : null;
    const num = (k) => (one(k) === null ? null : Number(one(k)));
    return {
      id: one('id'),
      walk_list_id: num('walk_list_id'),
      household_id: num('household_id'),
      result,
      elector_id: spoke ? num('elector_id') : null,
      intention,
      intention_source: intention ? one('intention_source') : null,
      firmness: spoke ? num('firmness') : null,
      notes: one('notes'),
      issues: spoke ? fd.getAll('issues').map(String) : [],
      follow_ups: fd.getAll('follow_ups').map(String),
      answers: spoke ? [...fd.entries()].filter(([k, v]) => k.startsWith('q_') && v !== '').map(([k, v]) => [k.slice(2), String(v)]) : [],
      contact_phone: one('contact_phone'),
      contact_email: one('contact_email'),
      contact_consent: one('contact_consent') !== null,
      replaces: one('replaces'),
      lat: position ? position.lat : null,
      lon: position ? position.lon : null,
      made_at: new Date().toISOString(),
    };
  }

  async function doneHere(list) {
    const done = await all(DONE).catch(() => []);
    return new Map(done.filter((d) => d.key.startsWith(`${list}:`)).map((d) => [d.key.split(':')[1], d.label]));
  }

  async function record(form, submitter) {
    const payload = payloadOf(form, submitter);
    if (!payload.result) return;
    const list = form.dataset.list;
    const label = (submitter && submitter.dataset.label) || payload.result;
    await put(OUTBOX, { id: payload.id, payload, created: payload.made_at, user: signedInAs() });
    // A correction's earlier entry, if it never left the phone, need not go at all.
    if (payload.replaces) await remove(OUTBOX, [payload.replaces]);
    await put(DONE, { key: `${list}:${payload.household_id}`, label, at: Date.now(), id: payload.id });
    await show();
    // With signal, send before moving on (briefly: a weak signal must not hold the volunteer
    // up). A send already under way may have started before this entry was queued.
    const sendNow = async () => { if (flushing) await flushing; await flush(); };
    if (navigator.onLine) await Promise.race([sendNow(), sleep(4000)]);
    // Signed out: stay on this door, which now says so and offers to sign in (the next
    // page would only be the sign-in page, without a word about the entries kept).
    if (signedOut) {
      delete form.dataset.sending;
      return;
    }
    const done = await doneHere(list);
    const next = (form.dataset.next || '').split(',').filter((h) => h && !done.has(h))[0];
    location.assign(next ? `/walk/${list}/door/${next}` : `/walk/${list}?done=1`);
  }

  function setUpDoor(form) {
    // Each showing of the page is a new entry (a cached page is shown many times).
    const id = form.querySelector('input[name="id"]');
    if (id) id.value = uuid();
    delete form.dataset.sending;
    locate();
    showRecordedHere(form).catch(() => {});
  }

  // --- Undo and Change ---------------------------------------------------------------
  // A door this phone has recorded says so, with Undo and Change: a mis-tap then Back
  // corrects the entry (the new one names it in `replaces`, and the server swaps them in
  // one transaction) instead of storing a second conversation. Works offline: the undo
  // or correction waits in the outbox like any entry.
  async function showRecordedHere(form) {
    const panel = form.querySelector('[data-recorded]');
    if (!panel) return;
    const key = `${form.dataset.list}:${form.dataset.household}`;
    const mine = (await all(DONE)).find((d) => d.key === key && d.id);
    const replaces = form.querySelector('input[name="replaces"]');
    if (replaces) replaces.value = '';
    panel.hidden = !mine;
    if (!mine) return;
    const text = panel.querySelector('[data-recorded-text]');
    panel.querySelector('.recorded-actions').hidden = false;
    text.textContent = `✓ Already recorded on this phone: ${mine.label}.`;
    panel.querySelector('[data-change]').onclick = () => {
      if (replaces) replaces.value = mine.id;
      text.textContent = `Changing “${mine.label}”: choose what really happened. It replaces the earlier entry.`;
    };
    panel.querySelector('[data-undo]').onclick = async () => {
      const payload = {
        id: uuid(), walk_list_id: Number(form.dataset.list), household_id: Number(form.dataset.household),
        result: 'undo', replaces: mine.id, made_at: new Date().toISOString(),
      };
      await put(OUTBOX, { id: payload.id, payload, created: payload.made_at });
      await remove(OUTBOX, [mine.id]);
      await remove(DONE, [key]);
      if (replaces) replaces.value = '';
      text.textContent = `Undone: “${mine.label}” is taken back. Record the door again when you are ready.`;
      panel.querySelector('.recorded-actions').hidden = true;
      await show();
      if (navigator.onLine) flush();
    };
  }

  document.addEventListener('submit', (event) => {
    // public/door-checks.js has already stopped a form that is not ready to save.
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-door-form') || !window.indexedDB) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.dataset.sending) return;
    form.dataset.sending = '1';
    record(form, event.submitter).catch(() => {
      // The outbox failed (private mode, storage full): post the plain form instead.
      form.submit();
    });
  }, true);

  // --- The walk list ---------------------------------------------------------------
  async function setUpList(section) {
    const list = section.dataset.walkList;
    const done = await doneHere(list);
    const rows = [...document.querySelectorAll('li.door[data-household]')];
    for (const row of rows) {
      const label = done.get(row.dataset.household);
      if (label && row.dataset.knocked !== 'true') {
        row.dataset.knocked = 'true';
        setText(row.querySelector('.door-status'), `✓ ${label}`);
      }
    }
    const knocked = rows.filter((r) => r.dataset.knocked === 'true').length;
    setText(section.querySelector('[data-stat="knocked"]'), String(knocked));
    const bar = section.querySelector('progress');
    if (bar) bar.value = knocked;
    const next = rows.find((r) => r.dataset.knocked !== 'true' && r.dataset.skip !== 'true');
    const link = section.querySelector('a.next-door');
    if (link && next) {
      link.href = next.querySelector('a').getAttribute('href');
      setText(link.querySelector('.next-addr'), next.querySelector('.door-addr strong').textContent);
    }
    // Keep this list and all its doors on the phone, for when the signal goes.
    const ready = section.querySelector('[data-offline-ready]');
    if ('serviceWorker' in navigator && navigator.serviceWorker) {
      const urls = [location.pathname, ...rows.map((r) => r.querySelector('a').getAttribute('href'))];
      navigator.serviceWorker.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'cached' && ready && e.data.count > 0) {
          ready.textContent = `Saved on this phone for use without signal (${e.data.count} of ${e.data.total} pages).`;
          ready.dataset.ready = 'true';
        }
      });
      navigator.serviceWorker.startMessages();
      if (navigator.onLine) {
        navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: 'cache', urls })).catch(() => {});
      }
    }
  }

  // Signing in on a hydrated page changes the page without loading it again: notice the
  // account appearing on the navigation bar, and send what is now that account's to send.
  function watchAccount() {
    let seen = signedInAs();
    new MutationObserver(() => {
      const now = signedInAs();
      if (now === seen) return;
      seen = now;
      signedOut = false;
      show().then(() => navigator.onLine && flush());
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-user'] });
  }

  // A page marked for keeping (a station's telling page, a knock-up walk) is kept on the
  // phone as it was opened, under the query parameters that name it (public/sw.js keys
  // it the same way).
  function keepOffline() {
    const mark = document.querySelector('[data-keep-offline]');
    if (!mark || !navigator.serviceWorker || !navigator.onLine) return;
    const params = new URLSearchParams(location.search);
    const kept = mark.dataset.keepOffline.split(' ').filter((n) => params.get(n))
      .map((n) => `${n}=${encodeURIComponent(params.get(n))}`);
    const url = location.pathname + (kept.length ? `?${kept.join('&')}` : '');
    navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: 'cache', urls: [url] })).catch(() => {});
  }

  function start() {
    if (navigator.serviceWorker) navigator.serviceWorker.register('/sw.js').catch(() => {});
    keepOffline();
    if (!window.indexedDB) return;
    document.querySelectorAll('form[data-door-form]').forEach(setUpDoor);
    const section = document.querySelector('[data-walk-list]');
    if (section) setUpList(section).catch(() => {});
    show().then(() => navigator.onLine && flush());
    watchAccount();
    window.addEventListener('online', () => flush());
    window.addEventListener('pageshow', (e) => {
      if (e.persisted) document.querySelectorAll('form[data-door-form]').forEach(setUpDoor);
      show();
    });
    setInterval(() => { if (navigator.onLine) flush(); }, 30000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
