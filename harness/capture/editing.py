"""Typing into fields as a person does: `fill` replaces what a field holds, `type` adds to it.

Native inputs and text areas use Playwright's fill (select all, then insert: what a
person's select-all and typing leave behind). Rich and code editors (contenteditable:
CodeMirror, ProseMirror …) keep their text in their own model and only notice real key
presses, so there the field is touched, its text selected with the platform's select-all
key (Meta+A where the page is on an Apple device, Control+A elsewhere) and the value typed
key by key; afterwards the editor must hold exactly the value, or the step fails saying
what it holds.
"""

from __future__ import annotations

from typing import Any, Literal

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

Kind = Literal["native", "editor", "other"]


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


def fill(page: Page, locator: Locator, value: str, *, touch: bool, timeout: float) -> None:
    """Replace what the field holds with `value`."""
    if _kind(locator, timeout) != "editor":
        locator.fill(value, timeout=timeout)
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
