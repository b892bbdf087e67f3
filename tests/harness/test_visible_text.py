"""The screen's visible text as a person reads it, read at capture time in a real Chromium.

Each page shows one pattern of real sites; the lines are read by the capture's own code
(`read_screen`, what the runner records) and compared exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.capture.screen import read_screen
from tests.harness.zoomed_phone import zoomed_out_page

pytestmark = pytest.mark.browser

HEAD = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
body { margin: 0; font: 16px/1.5 "Noto Sans CJK JP"; }
p, h1 { margin: 0; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
           overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.vh { position: absolute; clip-path: inset(50%); width: 1px; height: 1px; overflow: hidden; }
</style></head><body>"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 664})
    page = context.new_page()
    yield page
    context.close()


def lines(page: Page, body: str) -> list[str]:
    page.set_content(HEAD + body + "</body></html>")
    return read_screen(page).text.text.split("\n")


def test_visually_hidden_text_is_left_out(page: Page) -> None:
    body = """
    <p>削除：<span class="sr-only">削除済み</span>バラの鉢</p>
    <p><span class="vh">Deleted:</span>Roses</p>
    <p>Tomatoes <span class="sr-only">(current page)</span></p>"""
    assert lines(page, body) == ["削除：バラの鉢", "Roses", "Tomatoes"]


def test_fully_transparent_text_is_left_out(page: Page) -> None:
    body = """
    <p>見える文</p>
    <div style="opacity: 0"><p>透明な親の文</p></div>
    <p style="color: rgba(0, 0, 0, 0)">透明な色の文</p>
    <p style="color: transparent">transparent words</p>
    <p style="color: transparent; background: linear-gradient(red, blue);
              -webkit-background-clip: text; background-clip: text">グラデーションの文</p>
    <p style="opacity: 0.3">薄い文</p>"""
    assert lines(page, body) == ["見える文", "グラデーションの文", "薄い文"]


def test_text_outside_the_viewport_or_clipped_away_is_left_out(page: Page) -> None:
    body = """
    <p style="position: absolute; left: -500px; top: 0">左の外</p>
    <p style="position: absolute; left: 10px; top: 900px">下の外</p>
    <div style="position: absolute; left: 10px; top: 100px; height: 30px; width: 300px;
                overflow: hidden">
      <p>箱の一行目</p><p>箱の二行目</p><p>箱の三行目</p></div>
    <div style="position: absolute; left: 10px; top: 200px; height: 30px; overflow: hidden">
      <p style="position: relative; left: 400px">横にはみ出した文</p></div>
    <div style="position: relative; top: 300px; height: 24px; overflow: hidden">
      <p style="position: fixed; left: 10px; top: 400px">引き出しの文</p></div>"""
    # a line with less than half its height in the box is not read; a fixed box is not
    # clipped by a scrolling box it escapes
    assert lines(page, body) == ["箱の一行目", "引き出しの文"]


def test_text_under_an_overlay_is_left_out(page: Page) -> None:
    content = "<h1>お知らせ</h1><p>本文の一行目</p><p>本文の二行目</p>"
    overlay = """<div style="position: fixed; inset: 0 0 0 0; background: #fff; {extra}">
        <p style="position: absolute; top: 200px">検索する語を入力</p></div>"""
    assert lines(page, content + overlay.format(extra="")) == ["検索する語を入力"]
    # elementsFromPoint skips pointer-events: none, but the overlay still hides the page
    assert lines(page, content + overlay.format(extra="pointer-events: none")) == [
        "検索する語を入力"
    ]
    # a click-catcher that paints nothing hides nothing
    glass = '<div style="position: fixed; inset: 0 0 0 0; pointer-events: none"></div>'
    assert lines(page, content + glass) == ["お知らせ", "本文の一行目", "本文の二行目"]
    # the page's own backgrounds under its text hide nothing
    card = '<div style="position: relative; background: #eee"><p>カードの文</p></div>'
    assert lines(page, content + card) == ["お知らせ", "本文の一行目", "本文の二行目", "カードの文"]


def test_text_under_a_drawer_and_a_sticky_header(page: Page) -> None:
    body = """
    <header style="position: fixed; top: 0; left: 0; right: 0; height: 48px;
                   background: #124">メニュー</header>
    <div style="padding-top: 30px"><p>隠れた行</p><p style="margin-top: 30px">見える行</p></div>
    <nav style="position: fixed; left: 0; top: 200px; bottom: 0; width: 390px;
                background: #fff; z-index: 2"><p>ホーム</p></nav>
    <p style="position: absolute; top: 300px">引き出しの下</p>"""
    assert lines(page, body) == ["メニュー", "見える行", "ホーム"]


def test_text_outside_an_open_modal_dialog_is_left_out(page: Page) -> None:
    body = """<h1>お知らせ</h1><p>本文</p>
    <dialog id="d"><p>ログアウトしますか</p><button>はい</button></dialog>"""
    assert lines(page, body) == ["お知らせ", "本文"]
    page.evaluate("() => document.getElementById('d').showModal()")
    assert read_screen(page).text.text.split("\n") == ["ログアウトしますか", "はい"]


def test_neighbouring_texts_are_separated_as_laid_out(page: Page) -> None:
    body = """
    <p>Learn how to <a href="#">compost</a>.</p>
    <div><span>phone-user</span><span style="margin-left: 8px">User</span></div>
    <div><button>保存</button><button>取消</button></div>
    <div><span>Made with</span>
      <a href="#">Material</a></div>
    <div style="width: 48px"><span>あいう</span><span>えお</span></div>
    <p>「<span>ねんきん</span>ネット」で<b>年金記録</b>を確認</p>
    <div style="display: flex"><span>項目</span><span>値</span></div>"""
    assert lines(page, body) == [
        "Learn how to compost.",
        "phone-user User",
        "保存 取消",
        "Made with Material",
        "あいう",  # wrapped where one box ends: the next line
        "えお",
        "「ねんきんネット」で年金記録を確認",
        "項目",
        "値",
    ]


def test_line_boxes_bound_only_what_shows(page: Page) -> None:
    body = """
    <div style="position: absolute; left: 10px; top: 100px; width: 200px; height: 24px;
                overflow: hidden"><p>一行目</p><p>二行目</p></div>"""
    page.set_content(HEAD + body + "</body></html>")
    text = read_screen(page).text
    assert text.text == "一行目"
    (box,) = text.boxes
    assert (box.x, box.y) == (10, 100)
    assert box.height == 24  # the line is 24 px high, all of it inside the box


def test_reading_leaves_the_page_as_it_was(page: Page) -> None:
    body = """<p>本文</p><div id="glass" style="position: fixed; inset: 0 0 0 0;
        pointer-events: none"></div>"""
    page.set_content(HEAD + body + "</body></html>")
    read_screen(page)
    # the overlay is hit-tested only while reading: a tap still reaches the text under it
    assert page.evaluate("() => document.elementFromPoint(10, 10).tagName") == "P"
    assert page.evaluate("() => document.adoptedStyleSheets.length") == 0


def test_lines_on_a_page_zoomed_out_to_fit_are_where_the_screen_shows_them(
    browser: Browser,
) -> None:
    """Without <meta name=viewport> a phone lays the page out 980 px wide and zooms out to
    fit: line boxes and the scroll are the screenshot's px (layout px × the zoom), and a line
    is read as far as the zoomed-out screen shows, no further."""
    html = (
        HEAD.replace("<style>", "<style>.far { position: absolute; left: 600px; }")
        + '<div style="height: 6000px"></div>'
        + '<p class="far" style="top: 1500px">遠くの文</p>'
        + '<p class="far" style="top: 4000px">画面の外の文</p></body></html>'
    )
    with zoomed_out_page(browser, html) as (page, scale):
        page.evaluate("() => window.scrollTo(0, 1000)")
        text = read_screen(page).text
        shown = text.text.split("\n")
        assert "画面の外の文" not in shown  # 3000 px down the layout: below the screen
        box = text.boxes[shown.index("遠くの文")]
        assert box.x == pytest.approx(600 * scale, abs=0.5)
        assert box.y == pytest.approx(500 * scale, abs=0.5)
        assert box.height == pytest.approx(24 * scale, abs=0.5)  # 16px/1.5
        assert text.scroll == pytest.approx((0, 1000 * scale), abs=0.5)
