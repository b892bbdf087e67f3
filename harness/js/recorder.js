// `guideshot record`'s eyes, an init script in every document: real DOM events (a person's or
// Playwright's, both trusted) are reported one at a time through the exposed binding
// __guideshotRecord. The element a report is about carries data-guideshot-recording while
// Python reads the page, so proposals are verified against the screen the person saw.
// A trusted click is held (default prevented) until its report is answered, then replayed
// with el.click(): a link or a submit button would otherwise leave the page before Python
// could check which target finds the element.
(() => {
  if (window.__guideshotRecorder) return;
  const MARK = 'data-guideshot-recording';
  const PRESSED = 'data-guideshot-pressed';
  const SENT = 'guideshot-recorder-reports';
  const TEXT_TYPES = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'password',
                              'number']);
  const ACTIONABLE = 'a[href],button,input,select,textarea,label,summary,[role=button],' +
    '[role=link],[role=tab],[role=menuitem],[role=option],[role=checkbox],[role=radio],' +
    '[role=switch],[onclick]';
  const SECRET_NAME = /pass|token|secret|otp|pin(code)?$|暗証|パスワード/i;
  const PERSONAL = /^(cc-.*|email|tel(-.*)?|name|given-name|family-name|additional-name|nickname|honorific-.*|bday(-.*)?)$/;
  const clean = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const isTextField = (el) => el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && TEXT_TYPES.has(el.type)) || el.isContentEditable;
  // Why a field's value must not be published: a password, or personal data.
  const sensitivity = (el) => {
    if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return '';
    if (el.type === 'password' || SECRET_NAME.test(el.name) || SECRET_NAME.test(el.id)) {
      return 'password';
    }
    const tokens = clean(el.getAttribute('autocomplete')).split(' ');
    if (el.type === 'email' || el.type === 'tel' || tokens.some((t) => PERSONAL.test(t))) {
      return 'personal';
    }
    return '';
  };
  const serials = new WeakMap();
  let nextSerial = 1;
  const serialOf = (el) => {
    if (!serials.has(el)) serials.set(el, nextSerial++);
    return serials.get(el);
  };
  let queue = Promise.resolve();
  let pending = 0;
  // Reports go in order, one at a time: each may read the page while its element is marked.
  // `pressed`, the innermost element a click landed on, is marked too: when nothing finds
  // the link or button around it (a link without a name), its words may find it.
  const send = (report, el, then, pressed) => {
    pending += 1;
    try {
      // Counted at once, where a navigation keeps it (Enter may submit a form before the
      // report is answered), so a script knows its action was seen; idle() says answered.
      sessionStorage.setItem(SENT, String(Number(sessionStorage.getItem(SENT) || 0) + 1));
    } catch {
      // no storage for this document (an opaque origin): a script waits for idle alone
    }
    queue = queue.then(async () => {
      if (el) el.setAttribute(MARK, '');
      if (pressed && pressed !== el) pressed.setAttribute(PRESSED, '');
      try {
        await window.__guideshotRecord(report);
      } catch {
        // the recorder is gone (recording ended): the page goes on as it would
      } finally {
        if (el) el.removeAttribute(MARK);
        if (pressed) pressed.removeAttribute(PRESSED);
      }
      if (then) then();
    }).finally(() => { pending -= 1; });
  };
  // A replayed link or submit button is leaving for another document: not idle until it has.
  let leaving = false;
  if (window.navigation) {
    window.navigation.addEventListener('navigate', (event) => {
      if (!event.destination.sameDocument) leaving = true;
    });
  }
  // A submitted form starts its navigation a task later than the click: leaving from the
  // submit on, once no handler prevented it (a microtask runs after every listener).
  window.addEventListener('submit', (event) => {
    const form = event.target;
    queueMicrotask(() => {
      const here = !(form instanceof HTMLFormElement) || ['', '_self'].includes(form.target);
      if (!event.defaultPrevented && here) leaving = true;
    });
  }, true);
  window.__guideshotRecorder = {idle: () => pending === 0 && !leaving};

  // The browser's Back or Forward brought this page: the recorder takes the steps since it
  // was shown back (a scenario only goes forward).
  const arrival = performance.getEntriesByType('navigation')[0];
  if (window === window.top && arrival && arrival.type === 'back_forward') {
    send({kind: 'traverse', url: location.href}, null);
  }

  // The held click again, untrusted, so the listener below lets it through; an icon's
  // <svg> has no click(), but a dispatched click still activates the link or label around it.
  const replay = (pressed) => {
    if (pressed instanceof HTMLElement) {
      pressed.click();
    } else {
      pressed.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true,
                                                     view: window}));
    }
  };
  window.addEventListener('click', (event) => {
    if (!event.isTrusted) return;  // the page's own clicks, and the replay below
    const pressed = event.target instanceof Element ? event.target : null;
    if (!pressed) return;
    let el = pressed.closest(ACTIONABLE) || pressed;
    if (isTextField(el) || el instanceof HTMLSelectElement) return;  // focus: the entry is the step
    let kind = 'tap';
    const control = el instanceof HTMLLabelElement ? el.control : el;
    if (control instanceof HTMLInputElement && ['checkbox', 'radio'].includes(control.type) &&
        control.checkVisibility()) {
      // A label forwards to its box; the box itself is already toggled when click is seen.
      const ticks = control === el ? control.checked : !control.checked;
      if (ticks) kind = 'check';
      el = control;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    const words = clean(pressed.innerText || pressed.textContent).slice(0, 80);
    send({kind, words}, el, () => replay(pressed), pressed);
  }, true);

  document.addEventListener('input', (event) => {
    const el = event.target;
    if (!event.isTrusted || !(el instanceof Element) || !isTextField(el)) return;
    const value = el.isContentEditable ? el.innerText : el.value;
    send({kind: 'fill', serial: serialOf(el), value, sensitive: sensitivity(el)}, el);
  }, true);

  // Untrusted too: a phone's picker, and Playwright's select_option, set the choice from
  // script and dispatch the change themselves.
  document.addEventListener('change', (event) => {
    const el = event.target;
    if (!(el instanceof HTMLSelectElement)) return;
    const chosen = el.selectedOptions[0];
    send({kind: 'select', value: chosen ? clean(chosen.label || chosen.text) : ''}, el);
  }, true);

  document.addEventListener('keydown', (event) => {
    const el = event.target;
    if (!event.isTrusted || event.key !== 'Enter' || !(el instanceof Element)) return;
    if (el instanceof HTMLTextAreaElement || el.isContentEditable) return;  // a new line
    send({kind: 'press', key: 'Enter'}, null);
  }, true);

  // Only scrolls a person made (wheel, finger, keys) count: the page's own and Playwright's
  // scrolling an element into view before a tap are not steps.
  let gesture = false;
  let from = window.scrollY;
  const SCROLL_KEYS = new Set(['PageDown', 'PageUp', 'ArrowDown', 'ArrowUp', ' ', 'Home',
                               'End']);
  for (const type of ['wheel', 'touchmove', 'keydown']) {
    window.addEventListener(type, (event) => {
      if (event.isTrusted && (type !== 'keydown' || SCROLL_KEYS.has(event.key))) gesture = true;
    }, {capture: true, passive: true});
  }
  window.addEventListener('scrollend', () => {
    const to = window.scrollY;
    if (gesture && to !== from) send({kind: 'scroll', from, to}, null);
    gesture = false;
    from = to;
  }, true);
})();
