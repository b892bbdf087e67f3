"""Reading the screen: element boxes, accessible names, visible text, relative URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

from harness.capture import Box
from harness.scripts import read_script

_VISIBLE_TEXT_JS = read_script("visible_text.js")
_ELEMENT_BOXES_JS = read_script("element_boxes.js")
_SCREEN_BOXES_JS = read_script("screen_boxes.js")
# Everything a capture reads from the page as a whole, in one round trip.
_SCREEN_READING_JS = (
    f"() => ({{title: document.title, text: ({_VISIBLE_TEXT_JS.strip()})(), "
    f"boxes: ({_SCREEN_BOXES_JS.strip()})()}})"
)


def box_of(locator: Locator) -> Box | None:
    found = locator.bounding_box()
    if found is None:
        return None
    return Box(x=found["x"], y=found["y"], width=found["width"], height=found["height"])


@dataclass(frozen=True)
class Matches:
    """What a locator matches on the screen, read in one round trip."""

    boxes: tuple[Box | None, ...]  # per element in document order; None without a layout box
    first_text: str | None  # the first element's rendered text (innerText)
    # A tap on the first element would reach it now: top document, enabled, its tap point in
    # the viewport and not covered (js/element_boxes.js).
    first_pressable: bool = False
    # The first element is visible as Playwright's wait_for(state="visible") sees it.
    first_visible: bool = False


def matches_of(locator: Locator) -> Matches:
    """Boxes of every element `locator` matches (no waiting), with the first one's text."""
    found: dict[str, Any] = locator.evaluate_all(_ELEMENT_BOXES_JS)
    boxes = tuple(Box(**box) if box is not None else None for box in found["boxes"])
    text = found["text"]
    return Matches(
        boxes=boxes,
        first_text=text if isinstance(text, str) else None,
        first_pressable=found.get("pressable") is True,
        first_visible=found.get("visible") is True,
    )


def in_viewport(box: Box, viewport: tuple[int, int]) -> bool:
    width, height = viewport
    return box.y >= 0 and box.x >= 0 and box.y + box.height <= height and box.x + box.width <= width


_ARIA_NAME = re.compile(r'^- [\w-]+ "(?P<name>(?:[^"\\]|\\.)*)"', re.MULTILINE)


def accessible_name(locator: Locator) -> str | None:
    """The element's accessible name as assistive technology reads it."""
    try:
        snapshot = locator.aria_snapshot(timeout=2000)
    except Exception:  # not every element has an aria node (e.g. inside aria-hidden)
        return None
    match = _ARIA_NAME.search(snapshot)
    return match.group("name").replace('\\"', '"') if match else None


@dataclass(frozen=True)
class ScreenText:
    text: str  # what a person reads, one line per block or line of text (js/visible_text.js)
    boxes: tuple[Box, ...]  # each line's box, viewport CSS px
    scroll: tuple[float, float]  # the page's scroll offset, CSS px


def _screen_text(found: dict[str, Any]) -> ScreenText:
    lines = found["lines"]
    boxes = tuple(Box(x=x, y=y, width=w, height=h) for _, x, y, w, h in lines)
    scroll_x, scroll_y = found["scroll"]
    return ScreenText("\n".join(line[0] for line in lines), boxes, (scroll_x, scroll_y))


def visible_lines(page: Page) -> ScreenText:
    """The visible text as a person reads it, with the box of each line and the scroll."""
    return _screen_text(page.evaluate(_VISIBLE_TEXT_JS))


@dataclass(frozen=True)
class ScreenReading:
    title: str
    text: ScreenText
    text_boxes: tuple[Box, ...]  # every line of text and every control (js/screen_boxes.js)


def read_screen(page: Page) -> ScreenReading:
    """The page's title, visible text with its line boxes, and the boxes of everything a
    badge must not cover, in one evaluation."""
    found: dict[str, Any] = page.evaluate(_SCREEN_READING_JS)
    boxes = tuple(Box(x=x, y=y, width=w, height=h) for x, y, w, h in found["boxes"])
    return ScreenReading(title=found["title"], text=_screen_text(found["text"]), text_boxes=boxes)


def visible_text(page: Page) -> str:
    return visible_lines(page).text


def relative_url(url: str, base_url: str) -> str:
    """The page's address relative to the target, so another host or port records the same."""
    base = base_url.rstrip("/")
    if url.startswith(base + "/") or url == base:
        return url[len(base) :] or "/"
    return url
