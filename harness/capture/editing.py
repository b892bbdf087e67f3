"""Typing into fields as a person does: `fill` replaces what a field holds, `type` adds to it.

Native text fields are cleared and then typed into key by key, so the page gets keydown,
keypress, input and keyup for every character as typing gives it: widgets that react only
to key presses (a filter box that filters on keyup, a search overlay) react, where setting
the value would change the text and nothing else. Fields that are not typed into (date,
colour, range pickers) are set as Playwright sets them. Rich and code editors (contenteditable:
CodeMirror, ProseMirror …) keep their text in their own model and only notice real key
presses, so there the field is touched, its text selected with the platform's select-all
key (Meta+A where the page is on an Apple device, Control+A elsewhere) and the value typed
key by key; afterwards the editor must hold exactly the value, or the step fails saying
what it holds.
"""

from __future__ import annotations

import contextlib
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from harness.scripts import read_script

_KIND_JS = read_script("editable.js")
_STATE_JS = read_script("editor_state.js")
_EDITOR = "[data-guideshot-editor]"
_APPLE = "() => /iPhone|iPad|Macintosh/.test(navigator.userAgent)"
# Put the caret after the last character, as a person's tap at the end of the text does.
_CARET_TO_END_JS = """el => {
  if ('setSelectionRange' in el && typeof el.value === 'string') {
    el.setSelectionRange(el.value.length, el.value.length);
  } else {
    const selection = getSelection(); selection.selectAllChildren(el); selection.collapseToEnd();
  }
  // Editors read the DOM selection on its change event: let one frame pass.
  return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
# True when the caret is collapsed with nothing but whitespace after it in the field.
_CARET_AT_END_JS = """el => {
  if ('setSelectionRange' in el && typeof el.value === 'string') {
    return el.selectionStart === el.selectionEnd && el.selectionEnd === el.value.length;
  }
  const selection = getSelection();
  if (!selection.rangeCount || !selection.isCollapsed || !el.contains(selection.anchorNode)) {
    return false;
  }
  const rest = document.createRange();
  rest.setStart(selection.anchorNode, selection.anchorOffset);
  rest.setEnd(el, el.childNodes.length);
  const after = rest.cloneContents();
  after.querySelectorAll('[contenteditable="false"]').forEach(e => e.remove());
  return after.textContent.trim() === '';
}"""
_SELECT_ALL_JS = "el => getSelection().selectAllChildren(el)"
# Fields a person types into; pickers (date, time, colour, range) take their value whole.
_TYPED_INTO_JS = """el => el.tagName === 'TEXTAREA' ||
  (el.tagName === 'INPUT' && /^(text|search|email|url|tel|password|number)$/.test(el.type))"""
# Keys that would leave the field instead of writing into it (Tab moves on, Enter submits
# a one-line field): such values are set whole.
_LEAVING_KEYS = ("\t", "\r")

_READ_TIMEOUT_MS = 1000  # the field was there a moment ago: it answers at once or not at all

Kind = Literal["native", "editor", "other"]

# A page often answers typing or a choice later, not at once: a preview or a search sent a
# moment after the last key (Trac renders its new ticket 2 s after the last change). A
# capture taken before that shows a screen the next run may not, so an entry waits for
# what the page scheduled in answer: the timers its key, input and change handlers set
# (up to REACTION_DELAY_MS ahead), what those timers start in turn (timers, XHR, fetch),
# and what the answers of those requests start (reading a fetched body, the code awaiting
# it, its timers), until all have run. Timers set any other way (a clock), or by
# themselves again (a poll), are not waited for.
REACTION_DELAY_MS = 3000
REACTION_LIMIT_MS = 6000  # a page that keeps answering is captured as it is by then
_WATCH_JS = """(longest) => {
  if (!window.__guideshotReaction) {
    const state = {armed: false, depth: 0, timers: new Set(), requests: 0, running: null};
    const EVENTS = new Set(['keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'change',
      'compositionend', 'cut', 'paste', 'focus', 'blur', 'focusin', 'focusout']);
    const answering = () => state.depth > 0 ||
      (state.armed && window.event instanceof Event && EVENTS.has(window.event.type));
    const within = (fn) => function (...args) {
      state.depth++;
      try { return fn.apply(this, args); } finally { state.depth--; }
    };
    const setTimer = window.setTimeout, clearTimer = window.clearTimeout;
    window.setTimeout = function (fn, delay, ...args) {
      // A timer setting itself again is a poll (CodeMirror 5 reads its textarea so while
      // focused), not an answer: it is not waited for.
      const poll = fn === state.running;
      if (typeof fn !== 'function' || poll || !answering() || !(Number(delay || 0) <= longest)) {
        return setTimer.call(window, fn, delay, ...args);
      }
      const run = within(fn);
      const id = setTimer.call(window, function (...a) {
        state.timers.delete(id);
        const outer = state.running;
        state.running = fn;
        try { return run.apply(this, a); } finally { state.running = outer; }
      }, delay, ...args);
      state.timers.add(id);
      return id;
    };
    window.clearTimeout = function (id) { state.timers.delete(id); return clearTimer(id); };
    const done = () => setTimer(() => { state.requests--; }, 0);  // after its own handlers
    // A fetch's answer is handled by the promise code the page chained or awaited, which
    // runs before the next task: until then that code is answering too (its timers, its
    // body reads). Handlers written for XHR are wrapped instead (below).
    const answered = () => {
      state.depth++;
      setTimer(() => { state.depth--; state.requests--; }, 0);
    };
    const counted = (promise) => {
      state.requests++;
      promise.then(answered, answered);
      return promise;
    };
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
      if (answering()) {
        state.requests++;
        for (const key of ['onload', 'onreadystatechange', 'onerror']) {
          if (typeof this[key] === 'function') this[key] = within(this[key]);
        }
        this.addEventListener('loadend', done, {once: true});
      }
      return send.apply(this, args);
    };
    if (window.fetch) {
      const fetch = window.fetch;
      window.fetch = function (...args) {
        const answer = fetch.apply(this, args);
        return answering() ? counted(answer) : answer;
      };
      for (const name of ['json', 'text', 'blob', 'arrayBuffer', 'formData']) {
        const read = Response.prototype[name];
        Response.prototype[name] = function (...args) {
          const body = read.apply(this, args);
          return answering() ? counted(body) : body;
        };
      }
    }
    window.__guideshotReaction = state;
  }
  window.__guideshotReaction.armed = true;
}"""
_ANSWERED_JS = """() => {
  const state = window.__guideshotReaction;
  if (!state) return true;
  state.armed = false;
  return state.timers.size === 0 && state.requests === 0;
}"""


class EditFailed(Exception):
    """The field did not end up holding what the step typed."""


def _words(text: str) -> str:
    """Editors render line breaks, trailing newlines and spaces their own way."""
    return "".join(text.split())


def select_all_key(page: Page) -> str:
    return "Meta+a" if page.evaluate(_APPLE) else "Control+a"


def end_key(page: Page) -> str:
    """The key that puts the caret after the last character (Cmd+↓ on Apple devices)."""
    return "Meta+ArrowDown" if page.evaluate(_APPLE) else "Control+End"


def _touch(locator: Locator, touch: bool, timeout: float) -> None:
    if touch:
        locator.tap(timeout=timeout)
    else:
        locator.click(timeout=timeout)


def _kind(locator: Locator, timeout: float) -> Kind:
    kind: Kind = locator.evaluate(_KIND_JS, timeout=timeout)
    return kind


def _state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(_STATE_JS)
    return state


def _typed_into(locator: Locator, value: str, timeout: float) -> bool:
    if any(key in value for key in _LEAVING_KEYS):
        return False
    textarea: bool = locator.evaluate("el => el.tagName === 'TEXTAREA'", timeout=timeout)
    if "\n" in value and not textarea:
        return False
    typed: bool = locator.evaluate(_TYPED_INTO_JS, timeout=timeout)
    return typed


def _fill_native(locator: Locator, value: str, timeout: float) -> None:
    if not _typed_into(locator, value, timeout):
        locator.fill(value, timeout=timeout)
        return
    # Playwright's clear waits until the field can be edited, focuses it and empties it,
    # as a person's select-all and delete do; then every key goes to the page.
    locator.clear(timeout=timeout)
    locator.press_sequentially(value, timeout=timeout)
    held = locator.input_value(timeout=timeout)
    if held != value:  # a length limit or a mask the page applies to keys
        raise EditFailed(f"the field holds 「{held[:80]}」 instead of 「{value}」 after typing it")


def fill(page: Page, locator: Locator, value: str, *, touch: bool, timeout: float) -> None:
    """Replace what the field holds with `value`."""
    kind = _kind(locator, timeout)
    if kind == "native":
        _fill_native(locator, value, timeout)
        return
    if kind == "other":
        locator.fill(value, timeout=timeout)  # Playwright's own error says why it cannot
        return
    editor = page.locator(_EDITOR)
    _touch(editor, touch, timeout)
    page.keyboard.press(select_all_key(page))
    state = _state(page)
    if _words(state["text"]) and _words(state["selected"]) != _words(state["text"]):
        # The key did nothing here (an editor without a select-all binding): select as a
        # long press and 「すべて選択」 would.
        editor.evaluate(_SELECT_ALL_JS)
    if value:
        page.keyboard.type(value)
    elif _words(_state(page)["text"]):
        page.keyboard.press("Backspace")
    held = _state(page)["text"]
    if _words(held) != _words(value):
        raise EditFailed(f"the editor holds 「{held.strip()[:80]}」 instead of 「{value}」")


def holds(page: Page, locator: Locator) -> str:
    """What the field holds now, read without waiting for it (the step has already failed)."""
    if _kind(locator, _READ_TIMEOUT_MS) == "native":
        return locator.input_value(timeout=_READ_TIMEOUT_MS)
    state = _state(page)
    if state is None:
        raise EditFailed("the editor is gone")
    return str(state["text"]).strip()


def type_text(page: Page, locator: Locator, value: str, *, touch: bool, timeout: float) -> None:
    """Add `value` after what the field holds."""
    kind = _kind(locator, timeout)
    if kind == "other":
        raise EditFailed("it is neither a text field nor an editor; tap it first or pick the field")
    field = page.locator(_EDITOR) if kind == "editor" else locator
    _touch(field, touch, timeout)
    before = field.input_value(timeout=timeout) if kind == "native" else _state(page)["text"]
    page.keyboard.press(end_key(page))
    if not field.evaluate(_CARET_AT_END_JS):  # the key does nothing here: place it
        field.evaluate(_CARET_TO_END_JS)
    page.keyboard.type(value)
    after = field.input_value(timeout=timeout) if kind == "native" else _state(page)["text"]
    if _words(after) != _words(before + value):
        raise EditFailed(
            f"the field holds 「{after.strip()[:80]}」 instead of 「{before + value}」"
        )


def watch_reaction(page: Page) -> None:
    """From now until `await_reaction`, note what the page schedules in answer to input."""
    with contextlib.suppress(PlaywrightError):  # a page still loading: from its next entry
        page.evaluate(_WATCH_JS, REACTION_DELAY_MS)


def await_reaction(page: Page) -> None:
    """Wait until what the page scheduled in answer to the entry has run (at most
    REACTION_LIMIT_MS); a page that went elsewhere has nothing left to answer."""
    # Navigated away, or still answering at the limit: the screen is what it is then.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(_ANSWERED_JS, timeout=REACTION_LIMIT_MS)
