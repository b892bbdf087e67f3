// Which elements a locator resolves to, as [document index, visible] pairs: the same index
// and visibility rule as candidates.js, so a proposal is checked against the element it was
// made for.
(matched) => {
  const order = new Map(Array.from(document.querySelectorAll('*')).map((el, i) => [el, i]));
  return matched.map((el) => {
    const r = el.getBoundingClientRect();
    const shown = r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true});
    return [order.get(el) ?? -1, shown];
  });
}
