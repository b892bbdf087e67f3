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


_VIEW_JS = (
    "() => { const v = window.visualViewport; "
    "return v ? [v.offsetLeft, v.offsetTop, v.scale] : [0, 0, 1]; }"
)


@dataclass(frozen=True)
class View:
    """Where the screenshot sits in the page's layout viewport: the one place Python turns
    layout CSS px into the screenshot's (js/screen_space.js is the page scripts' one).

    Playwright's bounding_box and window.scrollBy speak layout px, the pictures and every
    record speak screen px. They differ on a page without <meta name=viewport>: the phone
    lays it out 980 px wide and zooms out to fit (scale ≈ 0.42), and a pinch moves the
    visual viewport by an offset. At scale 1 and no offset the values stay exactly as read.
    """

    left: float = 0.0
    top: float = 0.0
    scale: float = 1.0

    def box(self, x: float, y: float, width: float, height: float) -> Box:
        s = self.scale
        return Box(x=(x - self.left) * s, y=(y - self.top) * s, width=width * s, height=height * s)

    def layout_length(self, screen_px: float) -> float:
        """A distance on the screen as the layout's (what window.scrollBy takes)."""
        return screen_px / self.scale


def view_of(page: Page) -> View:
    left, top, scale = page.evaluate(_VIEW_JS)
    return View(left=float(left), top=float(top), scale=float(scale) or 1.0)


def box_of(locator: Locator, view: View) -> Box | None:
    """The element's box in the screenshot (`view`: its page's, read once for many boxes)."""
    found = locator.bounding_box()
    if found is None:
        return None
    return view.box(found["x"], found["y"], found["width"], found["height"])


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
    boxes: tuple[Box, ...]  # each line's box, the screenshot's CSS px
    # Where the screenshot's top left is on the page, the screenshot's CSS px (at scale 1 the
    # page's scroll offset): a box plus it is where the box stands on the page.
    scroll: tuple[float, float]


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
