// Shared by the page scripts that name `screenSpace` (harness/scripts.py puts it in front).
// getBoundingClientRect and getClientRects answer in the layout viewport's CSS px, but the
// screenshot is of the visual viewport: a phone showing a page without
// <meta name=viewport> lays it out 980 px wide and zooms out to fit (scale ≈ 0.42 on a
// 412-px phone), and a pinch moves the visual viewport inside the layout one. Every box a
// record or a decision uses goes through `box` (screen = (layout - offset) * scale); hit
// tests and clipping stay in layout px against `seen`. At scale 1 and no offset every value
// is left exactly as it was.
const screenSpace = (() => {
  const view = window.visualViewport;
  const scale = view ? view.scale : 1;
  const left = view ? view.offsetLeft : 0;
  const top = view ? view.offsetTop : 0;
  const zoomed = scale !== 1 || left !== 0 || top !== 0;
  return {
    // The part of the layout viewport the screenshot shows: [left, top, right, bottom].
    seen: zoomed ? [left, top, left + view.width, top + view.height] : [0, 0, innerWidth, innerHeight],
    // A layout box [x, y, width, height] as the screenshot shows it.
    box: (x, y, width, height) => [(x - left) * scale, (y - top) * scale, width * scale, height * scale],
    // Where the screenshot's top left corner is on the page, in screenshot px: a box plus
    // its capture's scroll is where it stands on the page, comparable across captures.
    scroll: () => [(window.scrollX + left) * scale, (window.scrollY + top) * scale],
  };
})();
