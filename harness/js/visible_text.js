// Text of the nodes that intersect the viewport, one line per block: what a person sees now.
// Each line comes with the box around its visible text (viewport CSS px), so the comparison
// can leave out lines inside masked or ignored regions: {lines: [[text, x, y, width, height],
// …], scroll: [x, y]} (the scroll turns boxes of another capture into this one's).
() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const lines = [];
  let current = null, currentBlock = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const el = node.parentElement;
    // checkVisibility: text in a closed <details> has boxes yet is not shown.
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (el.closest('[aria-hidden="true"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(
      r => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw);
    if (!rects.length) continue;
    const box = {
      left: Math.min(...rects.map(r => r.left)), top: Math.min(...rects.map(r => r.top)),
      right: Math.max(...rects.map(r => r.right)), bottom: Math.max(...rects.map(r => r.bottom)),
    };
    let block = el;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (block === currentBlock && current !== null) {
      current.text += text;
      const b = current.box;
      b.left = Math.min(b.left, box.left); b.top = Math.min(b.top, box.top);
      b.right = Math.max(b.right, box.right); b.bottom = Math.max(b.bottom, box.bottom);
    } else {
      current = {text, box};
      currentBlock = block;
      lines.push(current);
    }
  }
  return {
    lines: lines.map(({text, box}) =>
      [text, box.left, box.top, box.right - box.left, box.bottom - box.top]),
    scroll: [window.scrollX, window.scrollY],
  };
}
