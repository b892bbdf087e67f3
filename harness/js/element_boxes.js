// For Locator.evaluate_all: the matched elements' border boxes in the screenshot's CSS px
// (js/screen_space.js; null for an element with no layout box, as Playwright's boundingBox
// gives), and
// the first element's rendered text. One round trip instead of one per element.
//
// `visible` says whether the first element is visible as Playwright's wait_for(visible) and
// its visibility checks see it: rendered, `visibility: visible`, a box of some size.
// `pressable` says whether a tap on the first element would reach it now: it is in the top
// document, enabled, and the point Playwright taps (the middle of its first box fragment)
// lies in the part of the page the screen shows, on the element itself, not on something covering it. Read inside a
// stillness proof, this stands in for the checks Playwright would repeat before the tap.
(elements) => {
  const reachable = (el) => {
    if (window !== window.top || !(el instanceof Element)) return false;
    if (el.matches(":disabled") || el.closest('[aria-disabled="true"]')) return false;
    const part = Array.from(el.getClientRects()).find((r) => r.width * r.height > 0.99);
    if (part === undefined) return false;
    const x = part.x + part.width / 2;
    const y = part.y + part.height / 2;
    const [left, top, right, bottom] = screenSpace.seen;
    if (x < left || y < top || x >= right || y >= bottom) return false;
    let hit = document.elementFromPoint(x, y);
    while (hit && hit.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    // Up the composed tree (slots and shadow hosts included) to the element, or not.
    for (let node = hit; node; node = node.assignedSlot || node.parentNode || node.host) {
      if (node === el) return true;
    }
    return false;
  };
  const visible = (el) => {
    if (!(el instanceof Element) || !el.checkVisibility()) return false;
    if (getComputedStyle(el).visibility !== "visible") return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  return {
    boxes: elements.map((el) => {
      if (el.getClientRects().length === 0) return null;
      const r = el.getBoundingClientRect();
      const [x, y, width, height] = screenSpace.box(r.x, r.y, r.width, r.height);
      return {x, y, width, height};
    }),
    text: elements.length && elements[0] instanceof HTMLElement ? elements[0].innerText : null,
    visible: elements.length > 0 && visible(elements[0]),
    pressable: elements.length > 0 && reachable(elements[0]),
  };
}
