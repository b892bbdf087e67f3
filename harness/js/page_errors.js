// What the page itself says went wrong, for a failed `expect`: visible alerts and live
// regions, error lists and error-like messages (Django's .errorlist, .error, .invalid-feedback,
// .alert-danger …), and the descriptions of fields marked aria-invalid. Innermost first,
// each text once, at most `limit`.
(limit) => {
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const found = [];
  const sel = '[role=alert],[aria-live=assertive],[aria-live=polite],.errorlist,.errornote,' +
    '.error,.errors,.error-message,.invalid-feedback,.alert-danger,.alert-error,.field-error';
  for (const el of document.querySelectorAll(sel)) found.push(el);
  for (const field of document.querySelectorAll('[aria-invalid=true]')) {
    const ids = clean(field.getAttribute('aria-errormessage') + ' ' +
                      field.getAttribute('aria-describedby')).split(' ');
    for (const id of ids) {
      const ref = id && id !== 'null' ? document.getElementById(id) : null;
      if (ref) found.push(ref);
    }
  }
  const texts = [];
  for (const el of found) {
    if (!shown(el)) continue;
    const text = clean(el.innerText);
    if (!text || texts.some((t) => t.includes(text) || text.includes(t))) continue;
    texts.push(text.length > 200 ? text.slice(0, 199) + '…' : text);
    if (texts.length >= limit) break;
  }
  return texts;
}
