// Every element a person could name on the screen: controls, headings, labels, each with
// the role a scenario would use for it (link, button, textbox …), not its HTML tag, and its
// box in the screenshot's CSS px (js/screen_space.js): [role, name, x, y, width, height].
() => {
  const INPUT_ROLES = {checkbox: 'checkbox', radio: 'radio', search: 'searchbox',
                       submit: 'button', button: 'button', reset: 'button'};
  const roleOf = (el) => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a') return 'link';
    if (tag === 'input') return INPUT_ROLES[el.type] || 'textbox';
    if (tag === 'select') return 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    return tag;  // button, summary, label
  };
  const seen = new Set();
  const out = [];
  const sel = 'a,button,input,select,textarea,summary,label,[role],h1,h2,h3,h4,h5,h6';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const name = (el.getAttribute('aria-label') || el.innerText || el.value ||
                  el.getAttribute('placeholder') || '').trim().replace(/\s+/g, ' ');
    if (!name || name.length > 80 || seen.has(name)) continue;
    seen.add(name);
    out.push([roleOf(el), name, ...screenSpace.box(r.x, r.y, r.width, r.height)]);
  }
  return out;
}
