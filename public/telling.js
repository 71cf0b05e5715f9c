// Groundwork's telling outbox: poll numbers typed at a station are kept on the phone
// (IndexedDB) and sent when there is signal, each with an id made here, so none is lost
// and none is stored twice. Without this script the form posts as plain HTML.
// Loaded by the telling page only, with its CSP nonce. A database of its own, apart from
// the doorstep's (public/doorstep.js), so neither can disturb the other.
(() => {
  'use strict';
  const form = document.querySelector('[data-telling-form]');
  if (!form || !window.indexedDB) return;
  const OUTBOX = 'outbox'; // {id, gss, payload, created, label[, refused]}
  const BATCH = 200;
  const gss = form.dataset.gss;
  const local = document.querySelector('[data-telling-local]');
  const status = document.querySelector('[data-telling-outbox]');
  const sent = []; // {label, note}: sent from this page, newest first

  let opened;
  const db = () => (opened ||= new Promise((resolve, reject) => {
    const r = indexedDB.open('groundwork-telling', 1);
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

  // Time-ordered UUIDs (version 7), as the doorstep makes them.
  const uuid = () => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    let t = Date.now();
    for (let i = 5; i >= 0; i -= 1) { b[i] = t % 256; t = Math.floor(t / 256); }
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  function item(text, undoId) {
    const li = document.createElement('li');
    li.textContent = text;
    if (undoId) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'button small';
      b.textContent = 'Undo';
      b.addEventListener('click', async () => { await remove([undoId]); await show(); });
      li.append(' ', b);
    }
    return li;
  }

  async function show() {
    const items = (await all().catch(() => [])).filter((i) => i.gss === gss)
      .sort((a, b) => (a.created < b.created ? 1 : -1));
    const waiting = items.filter((i) => !i.refused).length;
    const refused = items.length - waiting;
    const parts = [];
    if (waiting) parts.push(`${waiting} waiting to send`);
    if (refused) parts.push(`${refused} refused by the server`);
    if (status) {
      status.textContent = parts.join(' · ');
      status.dataset.waiting = String(waiting);
    }
    if (!local) return;
    local.replaceChildren(
      ...items.map((i) => item(i.refused ? `${i.label} · refused: ${i.refused}` : `${i.label} · waiting to send`, i.id)),
      ...sent.slice(0, 10).map((s) => item(`${s.label} · ${s.note}`)),
    );
  }

  async function send(entries) {
    try {
      const r = await fetch('/api/polling-day/telling', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ gss_code: gss, entries }),
      });
      if (r.ok) return { outcome: 'ok', body: await r.json() };
      if ([400, 403, 404].includes(r.status)) {
        const text = await r.text();
        let message = text;
        try { message = Object.values(JSON.parse(text))[0] || text; } catch (e) { /* plain text */ }
        return { outcome: 'refused', message: String(message) };
      }
      return { outcome: 'later' };
    } catch (e) {
      return { outcome: 'later' }; // no signal
    }
  }

  const note = (body) => (body.unknown ? 'matches nobody: kept for correction' : body.stored ? 'sent' : 'already told');

  let flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = (async () => {
      try {
        const items = (await all()).filter((i) => i.gss === gss && !i.refused)
          .sort((a, b) => (a.created < b.created ? -1 : 1));
        for (let i = 0; i < items.length; i += BATCH) {
          const batch = items.slice(i, i + BATCH);
          const r = await send(batch.map((b) => b.payload));
          if (r.outcome === 'later') return;
          if (r.outcome === 'ok') {
            await remove(batch.map((b) => b.id));
            const one = batch.length === 1;
            batch.forEach((b) => sent.unshift({ label: b.label, note: one ? note(r.body) : 'sent' }));
            continue;
          }
          // One entry the server will not take refuses its batch: one by one, keeping
          // the refused ones aside with the reason, so the rest still go.
          for (const b of batch) {
            const one = await send([b.payload]);
            if (one.outcome === 'later') return;
            if (one.outcome === 'ok') {
              await remove([b.id]);
              sent.unshift({ label: b.label, note: note(one.body) });
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

  form.addEventListener('submit', async (event) => {
    const input = form.querySelector('[name=typed]');
    const typed = input.value.trim();
    if (!typed) return;
    event.preventDefault();
    // Cleared at once, not after the outbox write: a teller already typing the next
    // number must never have it wiped when this one is stored.
    input.value = '';
    const id = uuid();
    const payload = {
      id,
      station_id: Number(form.querySelector('[name=station_id]').value),
      typed,
      made_at: new Date().toISOString(),
    };
    try {
      await put({ id, gss, payload, created: payload.made_at, label: typed });
    } catch (e) {
      input.value = typed;
      form.submit(); // no IndexedDB: post it as a plain form
      return;
    }
    input.focus();
    await show();
    flush();
  });

  window.addEventListener('online', flush);
  setInterval(flush, 10000);
  show();
  flush();
})();
