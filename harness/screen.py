"""Reading the screen: a stable screenshot, element boxes, visible text, relative URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page

from harness.capture import Box
from harness.scripts import read_script

_VISIBLE_TEXT_JS = read_script("visible_text.js")
_FONTS_READY_JS = "() => document.fonts.ready.then(() => document.fonts.status)"


class UnstableScreen(RuntimeError):
    """The screen kept changing: no two consecutive captures agreed."""


def wait_for_fonts(page: Page) -> None:
    page.wait_for_load_state("load")
    page.evaluate(_FONTS_READY_JS)


def stable_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """Capture until two consecutive screenshots are identical (bounded), and return it."""
    wait_for_fonts(page)
    previous = page.screenshot(animations="disabled", caret="hide", scale="device")
    for _ in range(max_tries - 1):
        current = page.screenshot(animations="disabled", caret="hide", scale="device")
        if current == previous:
            return current
        previous = current
    raise UnstableScreen(f"the screen kept changing over {max_tries} captures")


def box_of(locator: Locator) -> Box | None:
    found = locator.bounding_box()
    if found is None:
        return None
    return Box(x=found["x"], y=found["y"], width=found["width"], height=found["height"])


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


def visible_lines(page: Page) -> ScreenText:
    """The visible text, one line per block, with the box of each line and the scroll."""
    found: dict[str, Any] = page.evaluate(_VISIBLE_TEXT_JS)
    lines = found["lines"]
    boxes = tuple(Box(x=x, y=y, width=w, height=h) for _, x, y, w, h in lines)
    scroll_x, scroll_y = found["scroll"]
    return ScreenText("\n".join(line[0] for line in lines), boxes, (scroll_x, scroll_y))


def visible_text(page: Page) -> str:
    return visible_lines(page).text


def relative_url(url: str, base_url: str) -> str:
    """The page's address relative to the target, so another host or port records the same."""
    base = base_url.rstrip("/")
    if url.startswith(base + "/") or url == base:
        return url[len(base) :] or "/"
    return url
