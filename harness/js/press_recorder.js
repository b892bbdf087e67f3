// An init script, so it runs first in every document, with two jobs around taps.
// 1. Keep the browser's tap highlight out of the pictures. Chromium draws it over a tapped
//    link or button and fades it out over a few hundred milliseconds with no DOM change, so
//    a capture right after a tap could show it or not. A constructed sheet (no DOM node a
//    page could notice) makes it transparent everywhere the page does not insist.
// 2. Count presses on elements whose highlight is still visible (the page insists with a
//    more specific !important rule, or replaced adoptedStyleSheets): the page watch leaves
//    the next capture on that page to the pixel probes.
(() => {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync("* { -webkit-tap-highlight-color: transparent !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // not an HTML document: every press below counts
  }
  window.__guideshotPresses = 0;
  // Computed colours read "rgba(r, g, b, a)", "rgb(r, g, b)" (opaque) or "color(… / a)".
  const invisible = (color) => {
    if (color === "transparent") return true;
    const rgba = /^rgba\(([^)]*)\)$/.exec(color);
    if (rgba) return Number(rgba[1].split(",")[3]) === 0;
    const slash = /\/\s*([\d.]+)%?\s*\)$/.exec(color);
    return slash !== null && Number(slash[1]) === 0;
  };
  const pressed = (event) => {
    for (const node of event.composedPath()) {
      if (node instanceof Element && !invisible(getComputedStyle(node).webkitTapHighlightColor)) {
        window.__guideshotPresses += 1;
        return;
      }
    }
  };
  for (const type of ["pointerdown", "touchstart", "mousedown"]) {
    window.addEventListener(type, pressed, {capture: true, passive: true});
  }
})();
