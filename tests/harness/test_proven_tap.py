"""What js/element_boxes.js reads of a locator's first match, on pages built for each case in
a real Chromium: whether a tap would reach it now (only then does a tap right after its
step's capture skip Playwright's repeat of the checks the capture's stillness proof already
made; test_proven_tap_e2e.py shows the other side through the CLI), and whether it is
visible as Playwright's wait_for sees it (only then is that wait skipped)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.capture.screen import matches_of

pytestmark = pytest.mark.browser

STYLE = "<style>body{margin:0;font:20px sans-serif} button{width:200px;height:60px}</style>"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 664}, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def pressable(page: Page, body: str, selector: str = "#go") -> bool:
    page.set_content(f"<!doctype html>{STYLE}<body>{body}</body>")
    return matches_of(page.locator(selector)).first_pressable


def test_a_free_button_in_view_is_pressable(page: Page) -> None:
    assert pressable(page, "<button id=go>次へ</button>")


def test_a_covered_disabled_or_unseen_button_is_not(page: Page) -> None:
    banner = "<div style='position:fixed;inset:0;background:rgba(0,0,0,.3)'></div>"
    assert not pressable(page, f"<button id=go>次へ</button>{banner}")
    assert not pressable(page, "<button id=go disabled>次へ</button>")
    assert not pressable(page, "<div aria-disabled=true><button id=go>次へ</button></div>")
    assert not pressable(page, "<div style='height:2000px'></div><button id=go>次へ</button>")
    assert not pressable(page, "<button id=go style='visibility:hidden'>次へ</button>")
    assert not pressable(page, "<button id=go style='pointer-events:none'>次へ</button>")


def test_inside_text_a_shadow_root_or_a_wrapped_link_it_is_pressable(page: Page) -> None:
    assert pressable(page, "<button id=go><b>次へ</b></button>")
    page.set_content(
        f"<!doctype html>{STYLE}<body><div id=host></div><script>"
        "document.getElementById('host').attachShadow({mode:'open'}).innerHTML ="
        " '<button>次へ</button>';</script></body>"
    )
    assert matches_of(page.locator("#host button")).first_pressable
    # A link broken over two lines: the middle of its bounding box is not on it, the middle
    # of its first line (where Playwright taps) is.
    link = (
        "<p style='width:220px'>ねんきんネットの <a id=go href='#'>ユーザIDを取得する方法"
        "について</a></p>"
    )
    assert pressable(page, link)


def test_in_a_frame_it_is_left_to_playwright(page: Page) -> None:
    page.set_content(f"<!doctype html><iframe srcdoc='{STYLE}<button>次へ</button>'></iframe>")
    frame_button = page.frame_locator("iframe").locator("button")
    assert not matches_of(frame_button).first_pressable


@pytest.mark.parametrize(
    "body",
    [
        "<button id=go>次へ</button>",
        "<button id=go style='visibility:hidden'>次へ</button>",
        "<button id=go style='display:none'>次へ</button>",
        "<div style='display:none'><button id=go>次へ</button></div>",
        "<button id=go style='width:0;height:0;padding:0;border:0'></button>",
        "<div style='height:2000px'></div><button id=go>次へ</button>",
        "<button id=go style='opacity:0'>次へ</button>",
        "<details><summary>開く</summary><button id=go>次へ</button></details>",
    ],
)
def test_first_visible_agrees_with_playwright(page: Page, body: str) -> None:
    """The capture skips Playwright's wait for a highlight only when it would not wait."""
    page.set_content(f"<!doctype html>{STYLE}<body>{body}</body>")
    locator = page.locator("#go")
    assert matches_of(locator).first_visible == locator.first.is_visible()
