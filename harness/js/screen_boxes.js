// Boxes of what a badge must not cover: every line of visible text and every control or
// picture, cut to the viewport, in CSS px. One [x, y, width, height] per box.
() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const boxes = [];
  const seen = new Set();
  const add = (r) => {
    const left = Math.max(r.left, 0), top = Math.max(r.top, 0);
    const right = Math.min(r.right, vw), bottom = Math.min(r.bottom, vh);
    if (right - left < 0.5 || bottom - top < 0.5) return;
    const box = [left, top, right - left, bottom - top].map(v => Math.round(v * 100) / 100);
    const key = box.join(',');
    if (!seen.has(key)) { seen.add(key); boxes.push(box); }
  };
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !shown(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) add(r);
  }
  const controls = 'input:not([type=hidden]), textarea, select, button, img, svg, video, canvas, '
    + '[role=button], [role=checkbox], [role=radio], [role=switch], [role=slider], '
    + '[role=textbox], [role=img]';
  for (const el of document.querySelectorAll(controls)) {
    if (el.closest('svg') !== el && el.closest('svg')) continue;  // inside a drawn picture
    if (shown(el)) add(el.getBoundingClientRect());
  }
  return boxes;
}
