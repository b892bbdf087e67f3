"""Reading the screen: a stable screenshot, element boxes, visible text, relative URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page

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
_FONTS_READY_JS = "() => document.fonts.ready.then(() => document.fonts.status)"
_QUIET_WATCH_JS = read_script("quiet_watch.js")
_PRESS_RECORDER_JS = read_script("press_recorder.js")
# The stability probe: the same viewport at CSS scale as a JPEG, about a ninth of the pixels
# and no PNG encoding, so proving stillness costs far less than a second full capture.
PROBE_QUALITY = 90


class UnstableScreen(RuntimeError):
    """The screen kept changing: no two consecutive captures agreed."""


def wait_for_fonts(page: Page) -> None:
    page.wait_for_load_state("load")
    page.evaluate(_FONTS_READY_JS)


def settled_probe(page: Page) -> bytes:
    """A small, cheap picture of the viewport: equal probes mean the screen did not change."""
    return page.screenshot(
        animations="disabled", caret="hide", scale="css", type="jpeg", quality=PROBE_QUALITY
    )


def full_capture(page: Page) -> bytes:
    return page.screenshot(animations="disabled", caret="hide", scale="device")


def record_presses(context: BrowserContext) -> None:
    """Let the page watch know of taps on its page (js/press_recorder.js); without this, every
    capture in `context` is proven with pixel probes."""
    context.add_init_script(_PRESS_RECORDER_JS)


@dataclass(frozen=True)
class WatchedCapture:
    png: bytes | None  # None when the watch could not vouch for this screen before capturing
    quiet: bool  # the watch saw nothing that could change a pixel during the capture
    why: str | None  # what it saw otherwise, for the profile and the tests


def watched_capture(page: Page) -> WatchedCapture:
    """One full capture with the page watched around it (js/quiet_watch.js): two short
    evaluations instead of two pictures, for the screens the watch can see whole. A screen
    it cannot (a canvas, a tap just made on this page…) is not captured here at all."""
    page.wait_for_load_state("load")
    early: str | None = page.evaluate(_QUIET_WATCH_JS, "begin")  # after the fonts are ready
    if early is not None:
        return WatchedCapture(png=None, quiet=False, why=early)
    png = full_capture(page)
    answer: dict[str, Any] = page.evaluate(_QUIET_WATCH_JS, "end")
    return WatchedCapture(png=png, quiet=bool(answer["quiet"]), why=answer["why"])


def probed_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen, proven with pixels (bounded retries).

    The capture is kept when a probe just before and one just after it are identical: the
    screen did not change around it. Any change between the probes (a layout shift, text or
    an image arriving) means another capture, as with two full-size captures, at a fraction
    of the cost. The kept bytes are the full capture's, so pixels are as before.
    """
    wait_for_fonts(page)
    before = settled_probe(page)
    for _ in range(max_tries):
        capture = full_capture(page)
        after = settled_probe(page)
        if after == before:
            return capture
        before = after
    raise UnstableScreen(f"the screen kept changing over {max_tries} captures")


def stable_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen.

    A capture the page watch saw no change around is kept as it is; anything else (a change,
    or content the watch cannot see) is proven with pixel probes, so both ways keep the same
    bytes for a still screen.
    """
    watched = watched_capture(page)
    if watched.quiet and watched.png is not None:
        return watched.png
    return probed_screenshot(page, max_tries)


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


def matches_of(locator: Locator) -> Matches:
    """Boxes of every element `locator` matches (no waiting), with the first one's text."""
    found: dict[str, Any] = locator.evaluate_all(_ELEMENT_BOXES_JS)
    boxes = tuple(Box(**box) if box is not None else None for box in found["boxes"])
    text = found["text"]
    return Matches(boxes=boxes, first_text=text if isinstance(text, str) else None)


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
    text: str  # one line per block
    boxes: tuple[Box, ...]  # each line's box, viewport CSS px
    scroll: tuple[float, float]  # the page's scroll offset, CSS px


def _screen_text(found: dict[str, Any]) -> ScreenText:
    lines = found["lines"]
    boxes = tuple(Box(x=x, y=y, width=w, height=h) for _, x, y, w, h in lines)
    scroll_x, scroll_y = found["scroll"]
    return ScreenText("\n".join(line[0] for line in lines), boxes, (scroll_x, scroll_y))


def visible_lines(page: Page) -> ScreenText:
    """The visible text, one line per block, with the box of each line and the scroll."""
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
