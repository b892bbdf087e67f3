// For Locator.evaluate_all: the matched elements' border boxes in CSS px relative to the
// viewport (null for an element with no layout box, as Playwright's boundingBox gives), and
// the first element's rendered text. One round trip instead of one per element.
(elements) => ({
  boxes: elements.map((el) => {
    if (el.getClientRects().length === 0) return null;
    const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  }),
  text: elements.length && elements[0] instanceof HTMLElement ? elements[0].innerText : null,
})
