"""A page as the Android phone shows one without <meta name=viewport>: laid out 980 px wide
and zoomed out to fit its 412 px, for tests of what is read in the screenshot's px."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page


@contextmanager
def zoomed_out_page(browser: Browser, html: str) -> Iterator[tuple[Page, float]]:
    """The page with `html` on a Pixel 7-sized phone, and its zoom (about 412 / 980)."""
    context = browser.new_context(
        viewport={"width": 412, "height": 839},
        device_scale_factor=2.625,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.set_content(html)
        scale = float(page.evaluate("() => window.visualViewport.scale"))
        assert 0.3 < scale < 0.5  # zoomed out: 412 / 980
        yield page, scale
    finally:
        context.close()
