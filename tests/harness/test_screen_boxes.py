"""The boxes of text and controls read at capture time, in a real Chromium."""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from harness.capture import Box
from harness.capture.screen import read_screen
from tests.harness.zoomed_phone import zoomed_out_page

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
body { margin: 0; font: 16px/1.5 "Noto Sans CJK JP"; }
p { margin: 0; }
#terms { position: absolute; left: 10px; top: 100px; width: 300px; height: 60px;
         overflow: auto; border: 1px solid #888; }
#name { position: absolute; left: 10px; top: 200px; width: 200px; height: 30px; }
#hidden { visibility: hidden; position: absolute; left: 10px; top: 300px; }
#far { position: absolute; left: 10px; top: 2000px; }
</style></head><body>
<p id="title" style="position:absolute;left:10px;top:10px">利用規約をご確認ください</p>
<div id="terms"><p>第1条</p><p>第2条</p><p>第3条</p><p>第4条</p><p>第5条</p><p>第6条</p></div>
<input id="name" aria-label="お名前">
<p id="hidden">見えない文</p>
<p id="far">画面の外の文</p>
</body></html>"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 664})
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


def covers(boxes: tuple[Box, ...], x: float, y: float) -> bool:
    return any(b.x <= x <= b.x + b.width and b.y <= y <= b.y + b.height for b in boxes)


def test_visible_text_and_controls_only_as_far_as_they_show(page: Page) -> None:
    boxes = read_screen(page).text_boxes
    assert covers(boxes, 20, 20)  # the title's line
    assert covers(boxes, 100, 215)  # the input field
    assert covers(boxes, 20, 110)  # 第1条, inside the terms box
    # 第3条 onwards is scrolled out of the 60 px terms box: below it, nothing is text.
    assert not covers(boxes, 20, 175)
    assert all(b.y + b.height <= 162 for b in boxes if 100 <= b.y < 170)  # its border box
    assert not covers(boxes, 20, 310)  # visibility: hidden
    assert all(b.x >= 0 and b.y >= 0 and b.y + b.height <= 664 for b in boxes)  # viewport only


def test_boxes_on_a_page_zoomed_out_to_fit_are_the_screenshots(browser: Browser) -> None:
    """Without <meta name=viewport> a phone lays the page out 980 px wide and zooms out to
    fit: a badge must dodge a field where the picture shows it (layout px × the zoom), not
    where the layout has it (600 px in, beyond a 412-px picture)."""
    html = (
        '<!doctype html><body style="margin: 0"><input aria-label="お名前" style="'
        'position: absolute; left: 600px; top: 300px; width: 200px; height: 40px">'
    )
    with zoomed_out_page(browser, html) as (page, scale):
        boxes = read_screen(page).text_boxes
        assert covers(boxes, 700 * scale, 320 * scale)
        assert all(b.x + b.width <= 412 and b.y + b.height <= 839 for b in boxes)


def test_boxes_on_a_page_pinched_in_off_centre_are_the_screenshots(browser: Browser) -> None:
    """A pinch zooms in and moves the visual viewport inside the layout one: a box is
    where the screenshot shows the element ((layout - offset) × zoom), cut at its edge."""
    context = browser.new_context(viewport={"width": 412, "height": 839}, is_mobile=True)
    try:
        page = context.new_page()
        page.set_content(
            '<meta name=viewport content="width=device-width"><body style="margin: 0">'
            '<input aria-label="お名前" style="position: absolute; left: 250px; top: 500px;'
            ' width: 120px; height: 40px; border: 0; background: rgb(0, 255, 0)">'
        )
        pinch = {"x": 300, "y": 500, "scaleFactor": 2.0}  # the fingers' centre, 2× in
        context.new_cdp_session(page).send("Input.synthesizePinchGesture", pinch)
        page.wait_for_function("() => visualViewport.scale > 1.9")
        offset = page.evaluate("() => [visualViewport.offsetLeft, visualViewport.offsetTop]")
        assert offset[0] > 50 and offset[1] > 50  # zoomed in away from the page's corner
        shown = numpy.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB"))
        red, green, blue = (shown[:, :, channel].astype(int) for channel in range(3))
        rows, columns = numpy.nonzero((green > 200) & (red < 60) & (blue < 60))
        (box,) = read_screen(page).text_boxes
        assert abs(box.x - columns.min()) <= 1 and abs(box.y - rows.min()) <= 1
        assert abs(box.x + box.width - (columns.max() + 1)) <= 1
        assert abs(box.y + box.height - (rows.max() + 1)) <= 1
        assert columns.max() + 1 == 412  # the field runs off the zoomed screen's right edge
    finally:
        context.close()
