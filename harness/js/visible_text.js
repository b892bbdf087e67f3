// The screen's text as a person reads it: {lines: [[text, x, y, width, height], …],
// scroll: [x, y]}, each line with the box around its visible text, so the comparison can
// leave out lines inside masked or ignored regions (the scroll turns boxes of another capture
// into this one's). Boxes and scroll are in the screenshot's CSS px (js/screen_space.js);
// clipping and hit tests work in layout px.
// A text counts where it is painted and seen: not hidden, not fully transparent, not clipped
// to nothing by the viewport or an ancestor (overflow, `clip`, `clip-path: inset()`), and not
// covered by something painted over it (an open dialog, overlay or drawer). Texts are joined
// as laid out: a new line for another block or another line, a space where the page shows a
// gap or the DOM has whitespace, nothing otherwise (「<span>ねんきん</span>ネット」 is one word).
() => {
  const seen = screenSpace.seen;  // [left, top, right, bottom] of the layout the screen shows
  const styles = new Map();
  const style = (el) => {
    if (!styles.has(el)) styles.set(el, getComputedStyle(el));
    return styles.get(el);
  };
  const alpha = (color) => {
    const m = /rgba?\(([^)]*)\)/.exec(color);
    if (!m) return color === 'transparent' ? 0 : 1;
    const parts = m[1].split(/[,\s/]+/).filter(Boolean);
    return parts.length > 3 ? parseFloat(parts[3]) : 1;
  };
  const intersect = (a, b) => [Math.max(a[0], b[0]), Math.max(a[1], b[1]),
                               Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  const empty = (r) => r[2] - r[0] < 0.5 || r[3] - r[1] < 0.5;

  // `clip-path: inset(…)` as a rectangle inside the border box `r`; other shapes clip to r.
  const insetOf = (value, r) => {
    const m = /^inset\(([^)]*?)(?:\s+round\b[^)]*)?\)$/.exec(value);
    if (!m) return [r.left, r.top, r.right, r.bottom];
    const parts = m[1].trim().split(/\s+/);
    const [t, rt = t, b = t, l = rt] = parts;
    const length = (v, size) => v.endsWith('%') ? parseFloat(v) * size / 100 : parseFloat(v) || 0;
    return [r.left + length(l, r.width), r.top + length(t, r.height),
            r.right - length(rt, r.width), r.bottom - length(b, r.height)];
  };
  // `clip: rect(top, right, bottom, left)` of an absolutely positioned element.
  const clipRectOf = (value, r) => {
    const m = /^rect\(([^)]*)\)$/.exec(value);
    if (!m) return null;
    const [t, rt, b, l] = m[1].split(/[,\s]+/).filter(Boolean);
    const at = (v, fallback) => v === 'auto' ? fallback : parseFloat(v);
    return [r.left + at(l, 0), r.top + at(t, 0), r.left + at(rt, r.width), r.top + at(b, r.height)];
  };

  // The part of the viewport where `el`'s content can show. Overflow clips only what its
  // containing blocks lead through (a fixed drawer escapes a scrolling box); `clip` and
  // `clip-path` clip every descendant.
  const clips = new Map();
  const containingBlock = (el) => {
    const position = style(el).position;
    if (position === 'fixed') return null;
    let parent = el.parentElement;
    if (position === 'absolute') {
      while (parent && style(parent).position === 'static' && style(parent).transform === 'none') {
        parent = parent.parentElement;
      }
    }
    return parent;
  };
  const paintClipOf = (el) => {
    let clip = seen;
    for (let a = el; a; a = a.parentElement) {
      const s = style(a);
      if (s.clipPath === 'none' && s.clip === 'auto') continue;
      const r = a.getBoundingClientRect();
      if (s.clipPath !== 'none') clip = intersect(clip, insetOf(s.clipPath, r));
      if (s.clip !== 'auto' && (s.position === 'absolute' || s.position === 'fixed')) {
        const rect = clipRectOf(s.clip, r);
        if (rect) clip = intersect(clip, rect);
      }
    }
    return clip;
  };
  const overflowClipOf = (el) => {
    if (!el) return seen;
    if (clips.has(el)) return clips.get(el);
    let clip = overflowClipOf(containingBlock(el));
    const s = style(el);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      clip = intersect(clip, [r.left, r.top, r.right, r.bottom]);
    }
    clips.set(el, clip);
    return clip;
  };

  // Text painted in no colour: no fill, no stroke, no shadow, not a background clipped to it.
  const transparent = (el) => {
    const s = style(el);
    if (alpha(s.webkitTextFillColor) > 0 || s.textShadow !== 'none') return false;
    if (parseFloat(s.webkitTextStrokeWidth) > 0 && alpha(s.webkitTextStrokeColor) > 0) return false;
    for (let a = el; a; a = a.parentElement) {
      if (style(a).backgroundClip === 'text' || style(a).webkitBackgroundClip === 'text') return false;
    }
    return true;
  };

  // Whether `cover`, found above the text of `el` at a point, hides it there: it paints
  // (a background, a picture, a modal's backdrop) and lies in a raised layer (positioned,
  // transformed or in the top layer) that is not one holding the text.
  const paints = (cover) => {
    if (cover.matches(':modal')) return true;
    if (!cover.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    if (cover.matches('img, video, canvas, iframe')) return true;
    const s = style(cover);
    return alpha(s.backgroundColor) > 0 || s.backgroundImage !== 'none';
  };
  const raised = (cover, el) => {
    for (let a = cover; a && !a.contains(el); a = a.parentElement) {
      const s = style(a);
      if (s.position !== 'static' || s.transform !== 'none') return true;
      if (a.matches(':modal, :popover-open')) return true;
    }
    return false;
  };
  const seenAt = (el, x, y) => {
    for (const hit of document.elementsFromPoint(x, y)) {
      if (hit === el || hit.contains(el)) return true;
      if (paints(hit) && raised(hit, el)) return false;
    }
    return true;  // nothing painted over it (its own box is not hit-tested: display: contents)
  };
  const uncovered = (el, r) => {
    const y = Math.min(Math.max((r[1] + r[3]) / 2, seen[1]), seen[3] - 1);
    return [0.2, 0.5, 0.8].some(f => seenAt(el, Math.min(Math.max(r[0] + (r[2] - r[0]) * f,
                                                                    seen[0]), seen[2] - 1), y));
  };

  const blockOf = (el) => {
    let block = el;
    while (block && style(block).display.startsWith('inline')) block = block.parentElement;
    return block;
  };

  // Hit testing skips `pointer-events: none`, yet such an overlay still paints over the
  // text: while reading, every element is hit-tested (restored before the next frame).
  const everything = new CSSStyleSheet();
  everything.replaceSync('*, *::before, *::after { pointer-events: auto !important; }');
  const sheets = [...document.adoptedStyleSheets];  // a copy: the property is a live array
  document.adoptedStyleSheets = [...sheets, everything];
  const pieces = [];
  let spaceBefore = false;  // DOM whitespace since the last text that is shown
  try {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const raw = node.textContent;
      const text = raw.replace(/\s+/g, ' ').trim();
      if (!text) {
        // whitespace between shown inline boxes shows as a space
        if (raw && node.parentElement.checkVisibility()) spaceBefore = true;
        continue;
      }
      const el = node.parentElement;
      // checkVisibility: text in a closed <details> has boxes yet is not shown.
      const shown = el.checkVisibility({visibilityProperty: true, opacityProperty: true})
        && !el.closest('[aria-hidden="true"]') && !transparent(el);
      const range = document.createRange();
      range.selectNodeContents(node);
      const clip = shown ? intersect(overflowClipOf(el), paintClipOf(el)) : null;
      const rects = shown && !empty(clip) ? Array.from(range.getClientRects())
        .map(r => [intersect([r.left, r.top, r.right, r.bottom], clip), r.height])
        .filter(([r, height]) => !empty(r) && (r[3] - r[1]) * 2 >= height && uncovered(el, r))
        .map(([r]) => r) : [];  // a line with less than half its height showing is not read
      if (!rects.length) continue;  // its whitespace is not shown either
      pieces.push({text, rects, block: blockOf(el), spaceBefore: spaceBefore || /^\s/.test(raw)});
      spaceBefore = /\s$/.test(raw);
    }
  } finally {
    document.adoptedStyleSheets = sheets;
  }

  // On one line when they share most of their height.
  const sameLine = (a, b) => {
    const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    return overlap * 2 >= Math.min(a[3] - a[1], b[3] - b[1]);
  };
  const GAP = 1;  // px between two boxes on a line that shows as a space
  const lines = [];
  let current = null, previous = null;
  for (const piece of pieces) {
    const first = piece.rects[0];
    if (current !== null && piece.block === previous.block
        && sameLine(previous.rects[previous.rects.length - 1], first)) {
      const last = previous.rects[previous.rects.length - 1];
      const gap = first[0] - last[2];
      if (piece.spaceBefore || gap >= GAP || gap <= -GAP) current.text += ' ';
      current.text += piece.text;
    } else {
      current = {text: piece.text, box: [...first]};
      lines.push(current);
    }
    for (const r of piece.rects) {
      const b = current.box;
      b[0] = Math.min(b[0], r[0]); b[1] = Math.min(b[1], r[1]);
      b[2] = Math.max(b[2], r[2]); b[3] = Math.max(b[3], r[3]);
    }
    previous = piece;
  }
  return {
    lines: lines.map(({text, box}) => [text, ...screenSpace.box(box[0], box[1], box[2] - box[0],
                                                                box[3] - box[1])]),
    scroll: screenSpace.scroll(),
  };
}
