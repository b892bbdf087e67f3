// Boxes of what a badge must not cover: every line of visible text and every control or
// picture, cut to the viewport and to their scrolling boxes (text scrolled out of a terms
// box is not on the screen), in CSS px. One [x, y, width, height] per box.
() => {
  const boxes = [];
  const seen = new Set();
  const clips = new Map();
  // The part of the viewport where `el`'s content can show: inside every ancestor (and
  // `el` itself) that clips its overflow.
  const clipOf = (el) => {
    if (!el) return screenSpace.seen;
    if (clips.has(el)) return clips.get(el);
    let clip = clipOf(el.parentElement);
    const style = getComputedStyle(el);
    if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      clip = [Math.max(clip[0], r.left), Math.max(clip[1], r.top),
              Math.min(clip[2], r.right), Math.min(clip[3], r.bottom)];
    }
    clips.set(el, clip);
    return clip;
  };
  const add = (r, clip) => {
    const left = Math.max(r.left, clip[0]), top = Math.max(r.top, clip[1]);
    const right = Math.min(r.right, clip[2]), bottom = Math.min(r.bottom, clip[3]);
    const onScreen = screenSpace.box(left, top, right - left, bottom - top);
    if (onScreen[2] < 0.5 || onScreen[3] < 0.5) return;
    const box = onScreen.map(v => Math.round(v * 100) / 100);
    const key = box.join(',');
    if (!seen.has(key)) { seen.add(key); boxes.push(box); }
  };
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) add(r, clipOf(el));
  }
  const controls = 'input:not([type=hidden]), textarea, select, button, img, svg, video, canvas, '
    + '[role=button], [role=checkbox], [role=radio], [role=switch], [role=slider], '
    + '[role=textbox], [role=img]';
  for (const el of document.querySelectorAll(controls)) {
    if (el.parentElement && el.parentElement.closest('svg')) continue;  // part of a picture
    if (shown(el)) add(el.getBoundingClientRect(), clipOf(el.parentElement));
  }
  return boxes;
}
