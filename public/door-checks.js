// The door form's checks before anything is queued or posted, in the browser's own words
// where it has them. Listens on the window in the capture phase, so it runs before the
// outbox (public/doorstep.js, which listens on the document) and can stop the save.
(() => {
  'use strict';
  // --- An intention must belong to someone ---------------------------------------------
  // Saving "spoke" with an intention or firmness but nobody under "Who answered" would be
  // refused by the server (and once silently dropped the intention): say so here instead,
  // before anything is queued, and take the volunteer to the choice.
  function holderMissing(form, submitter) {
    if (!submitter || submitter.value !== 'spoke') return false;
    const said = form.querySelector('input[name="intention"]:checked, input[name="firmness"]:checked');
    const chosen = form.querySelector('input[name="elector_id"]:checked');
    return Boolean(said) && (!chosen || chosen.value === '');
  }
  function askForHolder(form) {
    const hint = form.querySelector('[data-holder-hint]');
    if (hint) hint.hidden = false;
    const holder = form.querySelector('[data-holder]');
    if (holder) holder.scrollIntoView({ block: 'center' });
    const first = form.querySelector('input[name="elector_id"]');
    if (first) first.focus({ preventScroll: true });
  }
  document.addEventListener('change', (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.name === 'elector_id' && input.form) {
      const hint = input.form.querySelector('[data-holder-hint]');
      if (hint) hint.hidden = true;
    }
    // The browser checks validity before the submit event: clear the consent message as
    // soon as anything it depends on changes, or it would block the next Save.
    if (input instanceof HTMLInputElement && input.name.startsWith('contact_') && input.form?.elements.contact_consent) {
      input.form.elements.contact_consent.setCustomValidity('');
    }
  });
  // A phone number or email is kept only with the person's consent (the server refuses
  // it too): the browser's own message on the consent box, before anything is queued.
  function consentMissing(form) {
    const given = ['contact_phone', 'contact_email'].some((n) => (form.elements[n]?.value || '').trim() !== '');
    const consent = form.elements.contact_consent;
    if (!consent) return false;
    consent.setCustomValidity(given && !consent.checked ? 'Tick that they agreed to be contacted, or clear the phone and email.' : '');
    if (!given || consent.checked) return false;
    form.querySelector('[data-contact]')?.setAttribute('open', '');
    consent.reportValidity();
    return true;
  }

  window.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-door-form')) return;
    const holder = holderMissing(form, event.submitter);
    if (holder || consentMissing(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (holder) askForHolder(form);
    }
  }, true);
})();
