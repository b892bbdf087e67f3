"""Where the screen has text and controls, read in one script at capture time.

The annotation places the step's circled number where it covers none of these boxes.
"""

from __future__ import annotations

from playwright.sync_api import Page

from harness.capture import Box
from harness.scripts import read_script

_SCREEN_BOXES_JS = read_script("screen_boxes.js")


def screen_boxes(page: Page) -> tuple[Box, ...]:
    """Every line of visible text and every control or picture, viewport-relative CSS px."""
    found: list[list[float]] = page.evaluate(_SCREEN_BOXES_JS)
    return tuple(Box(x=x, y=y, width=w, height=h) for x, y, w, h in found)
