// An init script, so it runs first in every document: counts presses (taps, clicks) since
// the last capture. After a press on the same page the browser may still be drawing a tap
// highlight or an :active style, which changes pixels without any DOM change, so the page
// watch leaves that capture to the pixel probes.
(() => {
  window.__guideshotPresses = 0;
  const pressed = () => {
    window.__guideshotPresses += 1;
  };
  for (const type of ["pointerdown", "touchstart", "mousedown"]) {
    window.addEventListener(type, pressed, {capture: true, passive: true});
  }
})();
