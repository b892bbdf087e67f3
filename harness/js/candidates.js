// Everything on the page a target could mean, in one pass, for a failure message and for
// proposing targets: each element's role, accessible name and where the name comes from,
// whether it is visible, its box (the screenshot's CSS px, js/screen_space.js), the words a person could write for it
// (label, placeholder, title, text), a CSS selector for unnamed ones, and its nearest named
// container (for `within:`). `matched` are the elements the failing locator resolved to
// (evaluate_all hands them in); each result says which of them it is (-1: none).
(matched) => {
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const INPUT_ROLES = {checkbox: 'checkbox', radio: 'radio', search: 'searchbox',
                       submit: 'button', button: 'button', reset: 'button', image: 'button',
                       range: 'slider', number: 'spinbutton'};
  const TAG_ROLES = {button: 'button', textarea: 'textbox', img: 'img', li: 'listitem',
                     ul: 'list', ol: 'list', nav: 'navigation', form: 'form', dialog: 'dialog',
                     fieldset: 'group', table: 'table', main: 'main', article: 'article',
                     label: 'label', summary: 'summary'};
  // Roles whose accessible name is their text (ARIA "name from content").
  const FROM_CONTENT = new Set(['button', 'link', 'heading', 'tab', 'menuitem', 'option',
                                'cell', 'columnheader', 'rowheader', 'treeitem', 'checkbox',
                                'radio', 'switch', 'label', 'summary']);
  const CONTAINERS = new Set(['listitem', 'navigation', 'region', 'form', 'dialog', 'group',
                              'article', 'row', 'list', 'main', 'complementary', 'table',
                              'tabpanel', 'menu', 'banner', 'contentinfo', 'search']);
  const roleOf = (el) => {
    const explicit = clean(el.getAttribute('role')).split(' ')[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a') return el.hasAttribute('href') ? 'link' : 'generic';
    if (tag === 'input') return INPUT_ROLES[el.type] || 'textbox';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'section') return el.hasAttribute('aria-label') ||
      el.hasAttribute('aria-labelledby') ? 'region' : 'generic';
    return TAG_ROLES[tag] || 'generic';
  };
  const isField = (el) => ['input', 'select', 'textarea'].includes(el.tagName.toLowerCase());
  const labelsOf = (el) => (isField(el) && el.labels ? Array.from(el.labels) : [])
    .map((l) => clean(l.innerText || l.textContent)).filter(Boolean);
  // Text a name from content would include: the text, and alt text or labels of icons inside.
  const contentOf = (el) => clean(el.innerText || el.textContent) || clean(
    Array.from(el.querySelectorAll('img[alt],[aria-label]'))
      .map((e) => e.getAttribute('alt') || e.getAttribute('aria-label')).join(' '));
  // The accessible name, in the order assistive technology reads it (simplified accname).
  const nameOf = (el, role) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const text = clean(by.split(/\s+/).map((id) => {
        const ref = document.getElementById(id);
        return ref ? ref.innerText || ref.textContent : '';
      }).join(' '));
      if (text) return [text, 'aria-labelledby'];
    }
    const aria = clean(el.getAttribute('aria-label'));
    if (aria) return [aria, 'aria-label'];
    const labels = labelsOf(el).join(' ');
    if (labels) return [labels, 'label element'];
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' && ['submit', 'button', 'reset'].includes(el.type) && clean(el.value)) {
      return [clean(el.value), 'value'];
    }
    if ((tag === 'img' || (tag === 'input' && el.type === 'image')) && clean(el.alt)) {
      return [clean(el.alt), 'alt'];
    }
    if (tag === 'fieldset') {
      const legend = el.querySelector(':scope > legend');
      if (legend && clean(legend.innerText)) return [clean(legend.innerText), 'legend'];
    }
    if (FROM_CONTENT.has(role) && !isField(el)) {
      const text = contentOf(el);
      if (text) return [text, 'content'];
    }
    const title = clean(el.getAttribute('title'));
    if (title) return [title, 'title'];
    const placeholder = clean(el.getAttribute('placeholder'));
    if (placeholder && isField(el)) return [placeholder, 'placeholder'];
    return ['', ''];
  };
  const unique = (selector) => {
    try { return document.querySelectorAll(selector).length === 1; } catch { return false; }
  };
  // A selector for an element without a name: its id, its classes, a telling attribute,
  // or its place under a parent that has one.
  const cssOf = (el, depth) => {
    const tag = el.tagName.toLowerCase();
    if (el.id && unique('#' + CSS.escape(el.id))) return '#' + CSS.escape(el.id);
    const classes = Array.from(el.classList).map((c) => '.' + CSS.escape(c)).join('');
    if (classes && unique(tag + classes)) return tag + classes;
    for (const attr of ['aria-controls', 'data-toggle', 'data-bs-toggle', 'name', 'href',
                        'type']) {
      const value = el.getAttribute(attr);
      const selector = `${tag}${classes}[${attr}="${CSS.escape(value || '')}"]`;
      if (value && unique(selector)) return selector;
    }
    // A script-driven page's own hooks (data-testid, data-name, …) name what it is for.
    for (const {name, value} of Array.from(el.attributes)) {
      const selector = `${tag}[${name}="${CSS.escape(value)}"]`;
      if (name.startsWith('data-') && value && unique(selector)) return selector;
    }
    const parent = el.parentElement;
    if (!parent || depth >= 3) return '';
    const above = cssOf(parent, depth + 1);
    if (!above) return '';
    const same = Array.from(parent.children).filter((c) => c.tagName === el.tagName);
    return `${above} > ${tag}` + (same.length > 1 ? `:nth-of-type(${same.indexOf(el) + 1})`
                                                   : '');
  };
  // The words a person reads just before a field nothing names: a bare "Type:" above a
  // select, or a <label> whose `for` points at another id. At most a short line.
  const wordsBefore = (el) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = el;
    while (walker.previousNode()) {
      const node = walker.currentNode;
      const text = clean(node.textContent);
      const holder = node.parentElement;
      if (!text || !holder || holder.closest('select,script,style,template')) continue;
      if (!holder.checkVisibility({visibilityProperty: true})) continue;
      return text.length <= 40 ? text : '';
    }
    return '';
  };
  const containerOf = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const role = roleOf(up);
      if (!CONTAINERS.has(role)) continue;
      const explicit = up.hasAttribute('aria-label') || up.hasAttribute('aria-labelledby') ||
        role === 'group';
      const [name] = explicit ? nameOf(up, role) : [''];
      if (name) return [role, name];
    }
    return null;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const order = new Map(Array.from(document.querySelectorAll('*')).map((el, i) => [el, i]));
  const which = new Map(matched.map((el, i) => [el, i]));
  const sel = 'a[href],button,input:not([type=hidden]),select,textarea,summary,label,img,' +
    '[role],h1,h2,h3,h4,h5,h6,[aria-label],[aria-labelledby],[title],[placeholder],[tabindex]';
  const elements = new Set([...document.querySelectorAll(sel), ...matched]);
  const out = [];
  for (const el of elements) {
    const role = roleOf(el);
    const [name, source] = nameOf(el, role);
    const r = el.getBoundingClientRect();
    const [x, y, width, height] = screenSpace.box(r.x, r.y, r.width, r.height);
    const text = isField(el) ? '' : clean(el.innerText || el.textContent);
    out.push({
      index: order.get(el) ?? -1, match: which.has(el) ? which.get(el) : -1,
      role, name, source, visible: visible(el),
      x, y, width, height,
      // getByLabel matches each label alone, so a `label:` target is one label's words:
      // the first, which names the field (a later one is a hint: "You may use …").
      label: labelsOf(el)[0] || '', placeholder: clean(el.getAttribute('placeholder')),
      // The tooltip: an icon link's words for whoever read the page on a desktop browser.
      title: clean(el.getAttribute('title')),
      text: text.length <= 80 ? text : '',
      css: name ? '' : cssOf(el, 0), container: containerOf(el),
      before: isField(el) && !name ? wordsBefore(el) : '',
    });
  }
  return out.sort((a, b) => a.index - b.index);
}
