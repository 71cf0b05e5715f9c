// Groundwork's knock-up outbox: what a knocker hears at each door ("voted", "not in", …)
// is kept on the phone (IndexedDB) and sent when there is signal, each result with an id
// made here, so none is lost and none is stored twice. The door shows the result at once.
// Without this script each result button posts as a plain HTML form.
// Loaded by the knock-up page only, after public/outbox.js (the outbox it shares with the
// teller's script), with its CSP nonce. As on the doorstep
// (public/doorstep.js), each result is kept with the account signed in when it was made
// and only sent while that account is signed in.
(() => {
  'use strict';
  const list = document.querySelector('[data-knock-up]');
  if (!list || !window.indexedDB || !window.groundworkOutbox) return;
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

  const outbox = window.groundworkOutbox('groundwork-knock-up', '/api/polling-day/knock-up', (results) => ({ gss_code: gss, results }));
  const { all, put, uuid } = outbox;

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

  const flush = () => outbox.flush(mine, (b) => mark(b.payload.elector_id, b.payload.result, 'sent')).finally(show);

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
