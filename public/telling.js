// Groundwork's telling outbox: poll numbers typed at a station are kept on the phone
// (IndexedDB) and sent when there is signal, each with an id made here, so none is lost
// and none is stored twice. Without this script the form posts as plain HTML.
// Loaded by the telling page only, after public/outbox.js (the outbox it shares with the
// knocker's script), with its CSP nonce.
(() => {
  'use strict';
  const form = document.querySelector('[data-telling-form]');
  if (!form || !window.indexedDB || !window.groundworkOutbox) return;
  const gss = form.dataset.gss;
  const local = document.querySelector('[data-telling-local]');
  const status = document.querySelector('[data-telling-outbox]');
  const sent = []; // {label, note}: sent from this page, newest first

  const outbox = window.groundworkOutbox('groundwork-telling', '/api/polling-day/telling', (entries) => ({ gss_code: gss, entries }));
  const { all, put, remove, uuid } = outbox;

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

  const note = (body) => (body.unknown ? 'matches nobody: kept for correction' : body.stored ? 'sent' : 'already told');
  const flush = () => outbox.flush((i) => i.gss === gss, (b, body, alone) => {
    sent.unshift({ label: b.label, note: alone ? note(body) : 'sent' });
  }).finally(show);

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
