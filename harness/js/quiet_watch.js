// A cheap proof that the screen did not change across a capture: watch everything the pixels
// are made of (DOM, style sheets, form state, scroll, focus, hover, loaded images and fonts,
// running animations) from just before the screenshot to just after it.
// Both phases answer null, or why the watch cannot vouch for the screen: 'begin' waits for
// the fonts and starts the watch, 'end' stops it and names what it saw. Whatever the watch
// cannot see (a canvas, a video, a frame, SVG animation, an animated image, a shadow root it
// cannot enter) is such a reason, and the caller proves stillness with pixels instead.
async (phase) => {
  const KEY = "__guideshotQuietWatch";
  const EVENTS = [
    "load", "error", "resize", "focusin", "focusout", "input", "change",
    "mouseover", "mouseout", "selectionchange", "animationstart", "transitionrun",
  ];
  const OPTIONS = {
    subtree: true, childList: true, attributes: true, characterData: true,
    attributeOldValue: true,
  };
  // Playwright's caret hiding sets `caret-color` on editable elements for the screenshot and
  // puts the old value back: a style attribute that ends as it began is not a change.
  const EDITABLE = "input,textarea,[contenteditable]";

  const roots = () => {
    const found = [document];
    for (let i = 0; i < found.length; i += 1) {
      const walker = document.createTreeWalker(found[i], NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.shadowRoot) found.push(node.shadowRoot);
      }
    }
    return found;
  };

  const hazard = (all) => {
    if (document.fonts.status !== "loaded") return "fonts still loading";
    for (const root of all) {
      const opaque = root.querySelector(
        "canvas, video, iframe, frame, embed, object, animate, animateMotion, " +
        "animateTransform, set, img[src$='.gif' i], img[src$='.webp' i]");
      if (opaque) return `a <${opaque.localName}> the watch cannot see into`;
      for (const img of root.querySelectorAll("img")) {
        if (!img.complete) return "an image still loading";
      }
      for (const el of root.querySelectorAll("*")) {
        // A custom element without an open shadow root may hold a closed one.
        if (el.localName.includes("-") && !el.shadowRoot && customElements.get(el.localName)) {
          return `<${el.localName}> may render inside a closed shadow root`;
        }
      }
    }
    return null;
  };

  const sheets = (all) => {
    let rules = 0;
    let count = 0;
    for (const root of all) {
      for (const sheet of [...root.styleSheets, ...(root.adoptedStyleSheets || [])]) {
        count += 1;
        try {
          rules += sheet.cssRules.length;
        } catch {
          // a cross-origin sheet: the page cannot change it either
        }
      }
    }
    return `${count}:${rules}`;
  };

  // Scrolling is read as positions, not as events: a scroll event can arrive a frame after
  // a scroll that happened before the watch began.
  const state = (all) => {
    const controls = [];
    const scrolled = [];
    for (const root of all) {
      for (const el of root.querySelectorAll("input, textarea, select")) {
        controls.push(`${el.value}\u0000${el.checked}\u0000${el.selectedIndex}`);
      }
      root.querySelectorAll("*").forEach((el, index) => {
        if (el.scrollTop || el.scrollLeft) scrolled.push([index, el.scrollTop, el.scrollLeft]);
      });
    }
    const view = window.visualViewport;
    return JSON.stringify([
      window.scrollX, window.scrollY, view ? [view.offsetLeft, view.offsetTop, view.scale] : 0,
      window.innerWidth, window.innerHeight, all.length, sheets(all), controls, scrolled,
    ]);
  };

  if (phase === "begin") {
    await document.fonts.ready;
    window[KEY]?.stop();
    const presses = window.__guideshotPresses; // js/press_recorder.js
    if (presses === undefined) return "no press recorder on this page";
    window.__guideshotPresses = 0;
    if (presses > 0) return "a tap highlight the page keeps visible, since the last capture";
    const all = roots();
    // Chromium keeps a tapped element :active for a moment after the tap and then clears it
    // on a timer: no DOM change, yet :active styles change pixels.
    if (all.some((root) => root.querySelector(":active"))) return "an element still :active";
    const early = hazard(all);
    if (early) return early;
    const watch = {
      records: [],
      events: [],
      focused: document.activeElement,
      animations: new Set(document.getAnimations()),
      state: state(all),
    };
    const observer = new MutationObserver((records) => watch.records.push(...records));
    for (const root of all) observer.observe(root, OPTIONS);
    const seen = (event) => watch.events.push(event.type);
    for (const type of EVENTS) {
      window.addEventListener(type, seen, true);
      document.addEventListener(type, seen, true);
    }
    document.fonts.addEventListener("loading", seen);
    watch.takeRecords = () => {
      watch.records.push(...observer.takeRecords());
      return watch.records;
    };
    watch.stop = () => {
      observer.disconnect();
      for (const type of EVENTS) {
        window.removeEventListener(type, seen, true);
        document.removeEventListener(type, seen, true);
      }
      document.fonts.removeEventListener("loading", seen);
      delete window[KEY];
    };
    window[KEY] = watch;
    return null;
  }

  const watch = window[KEY];
  if (!watch) return "the page was replaced during the capture";
  const records = watch.takeRecords();
  watch.stop();
  if (watch.events.length) return `a ${watch.events[0]} event`;
  const normal = (style) => {
    const probe = document.createElement("div");
    probe.setAttribute("style", style ?? "");
    return probe.style.cssText;
  };
  const firstStyle = new Map();
  for (const record of records) {
    const caret = record.type === "attributes" && record.attributeName === "style" &&
      record.target.matches(EDITABLE);
    if (!caret) return `a DOM change (${record.type})`;
    if (!firstStyle.has(record.target)) firstStyle.set(record.target, record.oldValue);
  }
  for (const [el, before] of firstStyle) {
    if (normal(before) !== el.style.cssText) return "a style change";
  }
  if (document.activeElement !== watch.focused) return "focus moved";
  for (const animation of document.getAnimations()) {
    if (!watch.animations.has(animation)) return "a new animation";
  }
  const all = roots();
  const late = hazard(all);
  if (late) return late;
  if (state(all) !== watch.state) {
    return "scroll, form, shadow roots or style sheets";
  }
  return null;
}
