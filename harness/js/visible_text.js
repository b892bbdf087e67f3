// Text of the nodes that intersect the viewport, one line per block: what a person sees now.
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
    const visible = Array.from(range.getClientRects()).some(
      r => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < vh && r.left < vw);
    if (!visible) continue;
    let block = el;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    if (block === currentBlock && current !== null) { current += text; lines[lines.length - 1] = current; }
    else { current = text; currentBlock = block; lines.push(text); }
  }
  return lines.join('\n');
}
