// Every element a person could name on the screen: controls, headings, labels.
() => {
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
    const role = el.getAttribute('role') || el.tagName.toLowerCase();
    out.push(role + ' 「' + name + '」');
  }
  return out;
}
