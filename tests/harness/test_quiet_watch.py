"""The page watch: a capture is kept without pixel probes only when nothing that makes up
the pixels changed around it, and a screen the watch cannot see whole goes to the probes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

import harness.capture.stillness as stillness
from harness.capture.stillness import (
    full_capture,
    record_presses,
    stable_capture,
    stable_screenshot,
    watched_capture,
)

pytestmark = pytest.mark.browser

PAGE = """
<!doctype html><html lang="ja"><body style="margin:0;font-family:'Noto Sans CJK JP'">
<h1 style="font-size:40px">年金記録</h1>
<input id="user" style="color:#333" value="ユーザID"><textarea>お知らせ</textarea>
<div contenteditable="true">メモ</div><input type="range" id="level" max="100000" value="0">
<div id="host"></div></body></html>
"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 664}, device_scale_factor=3, has_touch=True
    )
    record_presses(context)
    page = context.new_page()
    page.set_content(PAGE)
    # The viewport's emulation may reach the page as a resize event a frame later (CI-found
    # on a loaded machine, inside a watch a test expected quiet): two frames let it pass.
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    yield page
    context.close()


TAP_PAGE = (
    "data:text/html,<meta name=viewport content='width=device-width'>"
    "<body style='margin:0'><a href='%23more' style='display:block;font-size:40px;"
    "padding:20px;background:%23036;color:white'>Register</a>"
)


NOTHING_ACTIVE = "() => !document.querySelector(':active')"


def test_a_capture_right_after_a_tap_shows_no_tap_highlight(page: Page) -> None:
    # The browser draws a tap highlight and fades it out with no DOM change at all; the
    # recorder's sheet keeps it transparent, so a capture right after a tap is the settled
    # picture. (A navigation, not set_content: document.open() drops the listeners.)
    page.goto(TAP_PAGE)
    settled = full_capture(page)
    page.tap("a")
    assert full_capture(page) == settled
    assert stable_screenshot(page) == settled


def test_a_tap_highlight_the_page_insists_on_is_proven_with_pixels(page: Page) -> None:
    page.goto(TAP_PAGE + "<style>body a { -webkit-tap-highlight-color: red !important }</style>")
    page.tap("a")
    reason = "a tap highlight the page keeps visible, since the last capture"
    assert watched_capture(page).why == reason
    page.wait_for_function(NOTHING_ACTIVE)
    assert watched_capture(page).quiet  # no press since


def test_an_element_still_active_is_proven_with_pixels(page: Page) -> None:
    # :active is set and cleared by the browser (after a tap, on a timer) with no DOM change,
    # and a page's :active styles change pixels.
    page.goto(TAP_PAGE)
    box = page.locator("a").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    assert watched_capture(page).why == "an element still :active"
    page.mouse.up()
    page.wait_for_function(NOTHING_ACTIVE)
    assert watched_capture(page).quiet


def test_a_page_without_the_press_recorder_is_never_taken_on_trust(browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(PAGE)
        watched = watched_capture(page)
        assert (watched.quiet, watched.why) == (False, "no press recorder on this page")
    finally:
        context.close()


def test_a_still_page_with_a_focused_field_is_quiet_and_captured_as_it_is(page: Page) -> None:
    # Playwright hides the caret by setting and restoring `caret-color` on every editable
    # element: a style that ends as it began is not a change.
    page.focus("#user")
    watched = watched_capture(page)
    assert (watched.quiet, watched.why) == (True, None)
    assert watched.png == full_capture(page)
    assert page.get_attribute("#user", "style") == "color: rgb(51, 51, 51);"


def test_what_is_read_of_a_still_screen_comes_back_with_its_picture(page: Page) -> None:
    watched = watched_capture(page, lambda: page.inner_text("h1"))
    assert (watched.quiet, watched.reading) == (True, "年金記録")


def test_a_change_between_the_capture_and_the_reading_is_never_recorded(page: Page) -> None:
    # The first reading changes the heading just after the picture was taken, as a late
    # script would: the record must not pair the old picture with the new words.
    def read() -> str:
        return str(
            page.evaluate(
                """() => {
                    const h1 = document.querySelector('h1');
                    if (!window.changedOnce) { window.changedOnce = true; h1.textContent = '変更'; }
                    return h1.textContent;
                }"""
            )
        )

    still = stable_capture(page, read)
    assert still.reading == "変更"
    assert still.png == full_capture(page)  # the picture shows the words that were read


def test_a_scroll_just_before_the_capture_is_not_a_change(page: Page) -> None:
    # The harness scrolls a highlight into view right before capturing; the scroll event
    # arrives a frame later, inside the watch, but the position no longer moves.
    page.evaluate("() => { document.body.style.height = '5000px'; }")
    page.evaluate("() => window.scrollBy(0, 300)")
    watched = watched_capture(page)
    assert (watched.quiet, watched.why) == (True, None)


def test_a_quiet_capture_takes_no_probe(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    probes: list[Page] = []

    def probe(p: Page) -> bytes:
        probes.append(p)
        return b""

    monkeypatch.setattr(stillness, "settled_probe", probe)
    assert stable_screenshot(page) == full_capture(page)
    assert probes == []


@pytest.mark.parametrize(
    ("script", "why"),
    [
        # text changing on every frame: the capture's own frame changes it
        (
            "() => { const h = document.querySelector('h1'); let n = 0;"
            " const tick = () => { h.textContent = '年金 ' + (n++); requestAnimationFrame(tick); };"
            " tick(); }",
            "a DOM change (childList)",
        ),
        # a control's value set by script, which neither a DOM mutation nor an event reports
        (
            "() => { const level = document.querySelector('#level'); let n = 0;"
            " setInterval(() => { level.value = String(++n); }, 1); }",
            "scroll, form, shadow roots or style sheets",
        ),
        # a style rule inserted by script (CSS-in-JS), also invisible to the DOM
        (
            "() => { const s = document.head.appendChild(document.createElement('style'));"
            " let n = 0; setInterval(() => s.sheet.insertRule("
            "'h1 { color: rgb(' + (n++ % 255) + ',0,0) }'), 1); }",
            "scroll, form, shadow roots or style sheets",
        ),
        # a change inside an open shadow root
        (
            "() => { const root = document.querySelector('#host').attachShadow({mode: 'open'});"
            " const p = root.appendChild(document.createElement('p')); let n = 0;"
            " setInterval(() => { p.textContent = 'お知らせ ' + (n++); }, 1); }",
            "a DOM change (childList)",
        ),
        # scrolling by script, of the page and of a box inside it
        (
            "() => { document.body.style.height = '5000px'; let n = 0;"
            " setInterval(() => window.scrollTo(0, n++), 1); }",
            "scroll, form, shadow roots or style sheets",
        ),
        (
            "() => { const box = document.querySelector('#host');"
            " box.style.cssText = 'height: 40px; overflow: auto';"
            " box.innerHTML = '<p style=\"height: 4000px\">年金</p>'; let n = 0;"
            " setInterval(() => { box.scrollTop = n++; }, 1); }",
            "scroll, form, shadow roots or style sheets",
        ),
    ],
    ids=["text", "range", "style-rule", "shadow-root", "scroll", "scroll-box"],
)
def test_a_change_around_the_capture_is_seen(page: Page, script: str, why: str) -> None:
    page.evaluate(script)
    watched = watched_capture(page)
    assert watched.quiet is False
    assert watched.why == why


@pytest.mark.parametrize(
    ("markup", "why"),
    [
        ("<canvas width='50' height='50'></canvas>", "a <canvas> the watch cannot see into"),
        ("<iframe srcdoc='<p>x</p>'></iframe>", "a <iframe> the watch cannot see into"),
        (
            "<svg width='20' height='20'><rect width='20' height='20'>"
            "<animate attributeName='x' from='0' to='10' dur='0.01s' fill='freeze'/>"
            "</rect></svg>",
            "a <animate> the watch cannot see into",
        ),
        # an animated image is guessed by its name
        ("<img src='/card-reading.gif'>", "a <img> the watch cannot see into"),
        (
            "<x-card></x-card><script>customElements.define('x-card', class extends HTMLElement"
            " { constructor() { super(); this.attachShadow({mode: 'closed'}).innerHTML ="
            " '<b>x</b>'; } });</script>",
            "<x-card> may render inside a closed shadow root",
        ),
    ],
    ids=["canvas", "iframe", "svg-animation", "gif", "closed-shadow-root"],
)
def test_what_the_watch_cannot_see_goes_to_the_pixel_probes(
    page: Page, monkeypatch: pytest.MonkeyPatch, markup: str, why: str
) -> None:
    page.set_content(f"<!doctype html><body><p>年金</p>{markup}</body>")
    watched = watched_capture(page)
    assert (watched.quiet, watched.why) == (False, why)
    probes: list[bytes] = []
    original = stillness.settled_probe

    def counted(p: Page) -> bytes:
        probes.append(original(p))
        return probes[-1]

    monkeypatch.setattr(stillness, "settled_probe", counted)
    assert stable_screenshot(page) == full_capture(page)
    assert len(probes) >= 2
