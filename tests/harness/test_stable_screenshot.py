"""The stability proof: a full capture is kept only when a probe just before and one just
after it agree, so a screen still changing is captured once it has settled."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from harness.capture.stillness import settled_probe, stable_screenshot

pytestmark = pytest.mark.browser

PAGE = """
<!doctype html><html lang="ja"><body style="margin:0;font-family:'Noto Sans CJK JP'">
<h1 style="font-size:48px">読み込み中 0</h1><p>年金記録</p></body></html>
"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 664}, device_scale_factor=3)
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


def test_a_screen_that_settles_is_captured_settled(page: Page) -> None:
    # The heading changes on each of the next 30 frames, then stays: only the last state is
    # a still screen.
    page.evaluate(
        """() => {
          const h1 = document.querySelector('h1');
          let n = 0;
          const tick = () => {
            h1.textContent = '読み込み中 ' + (++n);
            if (n < 30) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }"""
    )
    captured = stable_screenshot(page)
    assert page.inner_text("h1") == "読み込み中 30"
    assert captured == page.screenshot(animations="disabled", caret="hide", scale="device")


def test_the_probe_is_small_and_tells_screens_apart(page: Page) -> None:
    before = settled_probe(page)
    full = page.screenshot(animations="disabled", caret="hide", scale="device")
    # A JPEG at CSS scale: a ninth of the full capture's pixels at this phone's scale of 3.
    with Image.open(io.BytesIO(before)) as probe, Image.open(io.BytesIO(full)) as capture:
        assert (probe.format, probe.size) == ("JPEG", (390, 664))
        assert capture.size == (1170, 1992)
    page.evaluate("() => { document.querySelector('p').textContent = '年金記錄'; }")
    assert settled_probe(page) != before  # one character of body text changes the probe
