// The outbox the teller's and the knocker's scripts share (public/telling.js,
// public/knock-up.js): entries kept on the phone (IndexedDB, a database per script, so
// neither can disturb the other or the doorstep's) and sent when there is signal, each
// with an id made on the phone, so none is lost and none is stored twice. An entry the
// server refuses is kept aside with the reason; the rest still go.
// Loaded before either script, with the page's CSP nonce.
window.groundworkOutbox = (database, endpoint, wrap) => {
  'use strict';
  const OUTBOX = 'outbox'; // {id, gss, payload, created, label[, user][, refused]}
  const BATCH = 200;

  let opened;
  const db = () => (opened ||= new Promise((resolve, reject) => {
    const r = indexedDB.open(database, 1);
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

  async function send(payloads) {
    try {
      const r = await fetch(endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(wrap(payloads)),
      });
      if (r.ok) return { outcome: 'ok', body: await r.json().catch(() => ({})) };
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

  // Sends the waiting entries `mine` picks, oldest first, in batches. `sent(entry, body,
  // alone)` hears of each one stored: `body` is the server's answer to its batch, and
  // `alone` says the batch held only it. One at a time: a second call while one runs
  // gets the first's promise.
  let flushing = null;
  function flush(mine, sent) {
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
            batch.forEach((b) => sent(b, r.body, batch.length === 1));
            continue;
          }
          // One entry the server will not take refuses its batch: one by one, keeping
          // the refused ones aside with the reason, so the rest still go.
          for (const b of batch) {
            const one = await send([b.payload]);
            if (one.outcome === 'later') return;
            if (one.outcome === 'ok') {
              await remove([b.id]);
              sent(b, one.body, true);
            } else {
              await put({ ...b, refused: one.message });
            }
          }
        }
      } catch (e) {
        // IndexedDB unavailable: the plain form is the fallback.
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  return { all, put, remove, uuid, flush };
};
