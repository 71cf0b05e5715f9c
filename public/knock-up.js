// Groundwork's knock-up outbox: what a knocker hears at each door ("voted", "not in", …)
// is kept on the phone (IndexedDB) and sent when there is signal, each result with an id
// made here, so none is lost and none is stored twice. The door shows the result at once.
// Without this script each result button posts as a plain HTML form.
// Loaded by the knock-up page only, with its CSP nonce. A database of its own, apart from
// the doorstep's and the teller's, so none can disturb the others. As on the doorstep
// (public/doorstep.js), each result is kept with the account signed in when it was made
// and only sent while that account is signed in.
(() => {
  'use strict';
  const list = document.querySelector('[data-knock-up]');
  if (!list || !window.indexedDB) return;
  const OUTBOX = 'outbox'; // {id, gss, user, payload, created, label[, refused]}
  const BATCH = 200;
  const gss = list.dataset.gss;
  const status = document.querySelector('[data-knock-up-outbox]');
  const LABELS = {
    voted: 'Voted', will_vote: 'Will vote', needs_lift: 'Needs a lift', not_in: 'Not in', do_not_return: 'Do not return',
  };
  const signedInAs = () => {
    const nav = document.querySelector('nav[data-user]');
    return nav ? nav.dataset.user : null;
  };
  const mine = (item) => item.gss === gss && item.user === signedInAs();

  let opened;
  const db = () => (opened ||= new Promise((resolve, reject) => {
    const r = indexedDB.open('groundwork-knock-up', 1);
    r.onupgradeneeded = () => r.result.createObjectStore(OUTBOX, { keyPath: 'id' });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  }));
  const run = async (mode, fn) => {
    const t = (await db()).transaction(OUTBOX, mode);
    const req = fn(t.objectStore(OUTBOX));
    return new Promise((resolve, reject) => {
      t.oncomplete = () => resolve(req && req.result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  };
  const all = () => run('readonly', (s) => s.getAll());
  const put = (v) => run('readwrite', (s) => s.put(v));
  const remove = (ids) => run('readwrite', (s) => { ids.forEach((k) => s.delete(k)); });

  // Time-ordered UUIDs (version 7), as the doorstep and the teller make them.
  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    let t = Date.now();
    for (let i = 5; i >= 0; i -= 1) { b[i] = t % 256; t = Math.floor(t / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const formOf = (elector) => list.querySelector(`form.knock-up-promise[data-elector="${elector}"]`);

  // The promise shows what was heard, and its buttons rest, until the page is made afresh.
  function mark(elector, result, note) {
    const form = formOf(elector);
    if (!form) return;
    form.dataset.done = result;
    form.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    let p = form.querySelector('.knock-up-done');
    if (!p) {
      p = document.createElement('p');
      p.className = 'knock-up-done';
      form.append(p);
    }
    p.textContent = `✓ ${LABELS[result] || 'Recorded'} · ${note}`;
  }

  // The header's count: promises on this page still to knock this round.
  function count() {
    const left = [...list.querySelectorAll('form.knock-up-promise')].filter((f) => !f.dataset.done).length;
    const stat = document.querySelector('[data-stat="to-knock"]');
    if (stat) stat.textContent = String(left);
  }

  async function show() {
    const items = (await all().catch(() => [])).filter(mine);
    const waiting = items.filter((i) => !i.refused);
    const refused = items.length - waiting.length;
    items.forEach((i) => mark(i.payload.elector_id, i.payload.result, i.refused ? `refused: ${i.refused}` : 'waiting to send'));
    const parts = [];
    if (waiting.length) parts.push(`${waiting.length} waiting to send`);
    if (refused) parts.push(`${refused} refused by the server`);
    if (status) {
      status.textContent = parts.join(' · ');
      status.dataset.waiting = String(waiting.length);
    }
    count();
  }

  async function send(results) {
    try {
      const r = await fetch('/api/polling-day/knock-up', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ gss_code: gss, results }),
      });
      if (r.ok) return { outcome: 'ok' };
      if ([400, 403, 404].includes(r.status)) {
        const text = await r.text();
        let message = text;
        try { message = Object.values(JSON.parse(text))[0] || text; } catch (e) { /* plain text */ }
        return { outcome: 'refused', message: String(message) };
      }
      return { outcome: 'later' }; // signed out (401) or the server is unwell: keep it
    } catch (e) {
      return { outcome: 'later' }; // no signal
    }
  }

  let flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        const items = (await all()).filter((i) => mine(i) && !i.refused)
          .sort((a, b) => (a.created < b.created ? -1 : 1));
        for (let i = 0; i < items.length; i += BATCH) {
          const batch = items.slice(i, i + BATCH);
          const r = await send(batch.map((b) => b.payload));
          if (r.outcome === 'later') return;
          if (r.outcome === 'ok') {
            await remove(batch.map((b) => b.id));
            batch.forEach((b) => mark(b.payload.elector_id, b.payload.result, 'sent'));
            continue;
          }
          // One result the server will not take refuses its batch: one by one, so the
          // rest still go and the refused one stays on the phone with the reason.
          for (const b of batch) {
            const one = await send([b.payload]);
            if (one.outcome === 'later') return;
            if (one.outcome === 'ok') {
              await remove([b.id]);
              mark(b.payload.elector_id, b.payload.result, 'sent');
            } else {
              await put({ ...b, refused: one.message });
            }
          }
        }
      } catch (e) {
        // IndexedDB unavailable: the plain form is the fallback.
      } finally {
        flushing = null;
        await show();
      }
    })();
    return flushing;
  }

  list.addEventListener('submit', async (event) => {
    const form = event.target.closest('form.knock-up-promise');
    const button = event.submitter;
    if (!form || !button || button.name !== 'result') return;
    event.preventDefault();
    const payload = {
      id: uuid(),
      elector_id: Number(form.dataset.elector),
      result: button.value,
      made_at: new Date().toISOString(),
    };
    const label = (form.querySelector('strong') || {}).textContent || '';
    try {
      await put({ id: payload.id, gss, user: signedInAs(), payload, created: payload.made_at, label });
    } catch (e) {
      // No IndexedDB (a private window on some phones): post it as a plain form.
      const hidden = document.createElement('input');
      Object.assign(hidden, { type: 'hidden', name: 'result', value: button.value });
      form.append(hidden);
      form.submit();
      return;
    }
    mark(payload.elector_id, payload.result, 'waiting to send');
    await show();
    flush();
  });

  window.addEventListener('online', flush);
  setInterval(flush, 10000);
  show();
  flush();
})();
