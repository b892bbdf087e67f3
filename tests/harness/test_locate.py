"""Locator strategies and screen reading, on a real Chromium page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from harness.capture.locate import closest_candidates, to_locator, wanted_words
from harness.capture.screen import accessible_name, relative_url, visible_text
from harness.capture.stillness import UnstableScreen, stable_screenshot
from harness.scenario import Target

pytestmark = pytest.mark.browser

PAGE = """
<!doctype html><html lang="ja"><body style="margin:0;font-family:'Noto Sans CJK JP'">
<h1>ログイン</h1>
<nav aria-label="メニュー">
  <a href="#records">年金記録を確認する</a>
  <a href="#notices">通知書を確認する</a>
</nav>
<label for="uid">ユーザID</label><input id="uid" placeholder="例：NK0000000000">
<img alt="マイナンバーカードの絵" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button title="メニューを開く" aria-label="メニュー">≡</button>
<section aria-label="外部サイト">
  <ul>
    <li aria-label="e-Tax"><button>つながる</button></li>
    <li aria-label="ねんきんネット"><button>つながる</button></li>
  </ul>
</section>
<p class="note">ログイン後に表示されます</p>
<div style="height:2000px"></div>
<p>画面の外の文</p>
</body></html>
"""


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 664})
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


@pytest.mark.parametrize(
    ("target", "expected_text"),
    [
        (Target(role="heading", name="ログイン"), "ログイン"),
        (Target(role="link", name="通知書"), "通知書を確認する"),
        (Target(role="link", name="通知書を確認する", exact=True), "通知書を確認する"),
        (Target(label="ユーザID"), ""),
        (Target(placeholder="例：NK0000000000"), ""),
        (Target(alt="マイナンバーカードの絵"), ""),
        (Target(title="メニューを開く"), "≡"),
        (Target(text="ログイン後に表示"), "ログイン後に表示されます"),
        (Target(css="p.note"), "ログイン後に表示されます"),
        (Target(role="link", nth=1), "通知書を確認する"),
        (
            Target(
                role="button",
                name="つながる",
                within=Target(role="listitem", name="ねんきんネット"),
            ),
            "つながる",
        ),
    ],
)
def test_each_strategy_finds_exactly_one_element(
    page: Page, target: Target, expected_text: str
) -> None:
    locator = to_locator(page, target)
    assert locator.count() == 1, target.describe()
    assert locator.inner_text() == expected_text


def test_within_narrows_to_the_container(page: Page) -> None:
    everywhere = to_locator(page, Target(role="button", name="つながる"))
    inside = to_locator(
        page, Target(role="button", name="つながる", within=Target(role="listitem", name="e-Tax"))
    )
    assert everywhere.count() == 2
    assert inside.count() == 1


def test_exact_refuses_a_partial_name(page: Page) -> None:
    assert to_locator(page, Target(role="link", name="通知書", exact=True)).count() == 0


def test_accessible_name_is_what_assistive_technology_reads(page: Page) -> None:
    locator = to_locator(page, Target(title="メニューを開く"))
    assert accessible_name(locator) == "メニュー"
    assert locator.inner_text() == "≡"


def test_closest_candidates_name_what_is_on_the_screen(page: Page) -> None:
    missing = Target(role="link", name="年金記録を確かめる")
    assert to_locator(page, missing).count() == 0
    candidates = closest_candidates(page, missing)
    assert candidates[0] == "link 「年金記録を確認する」"
    assert wanted_words(missing) == "年金記録を確かめる"


def test_visible_text_is_only_what_the_viewport_shows(page: Page) -> None:
    text = visible_text(page)
    assert "ログイン" in text.splitlines()
    assert "ログイン後に表示されます" in text
    assert "画面の外の文" not in text
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert "画面の外の文" in visible_text(page)


def test_stable_screenshot_of_a_still_page_is_the_screen(page: Page) -> None:
    assert stable_screenshot(page) == page.screenshot(
        animations="disabled", caret="hide", scale="device"
    )


def test_a_page_that_never_settles_is_reported(page: Page) -> None:
    # A counter changing on every frame: no two captures agree.
    page.evaluate(
        """() => {
          const el = document.querySelector('h1');
          let n = 0;
          const tick = () => { el.textContent = 'ログイン ' + (n++); requestAnimationFrame(tick); };
          tick();
        }"""
    )
    with pytest.raises(UnstableScreen):
        stable_screenshot(page, max_tries=3)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("http://127.0.0.1:5000/nenkin/home", "http://127.0.0.1:5000", "/nenkin/home"),
        ("http://127.0.0.1:5000/nenkin/home", "http://127.0.0.1:5000/", "/nenkin/home"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000", "/"),
        ("https://example.jp/x", "http://127.0.0.1:5000", "https://example.jp/x"),
    ],
)
def test_urls_are_recorded_relative_to_the_base(url: str, base: str, expected: str) -> None:
    assert relative_url(url, base) == expected


@pytest.mark.parametrize(
    ("wanted", "sentence"),
    [
        (
            {"heading": "ようこそ", "text": "ユーザID"},
            "expected heading 「ようこそ」 after the step, but the screen shows heading"
            " 「ログイン」 at about:blank",
        ),
        (
            {"heading": "ログイン", "text": "存在しない文"},
            "expected text 「存在しない文」 after the step, but the screen shows heading"
            " 「ログイン」 at about:blank",
        ),
        (
            {"absent_text": "ユーザID"},
            "expected absent_text 「ユーザID」 after the step, but the screen shows heading"
            " 「ログイン」 at about:blank",
        ),
    ],
)
def test_a_failed_expectation_names_the_part_and_what_the_screen_shows(
    page: Page, monkeypatch: pytest.MonkeyPatch, wanted: dict[str, str], sentence: str
) -> None:
    from harness.capture import perform
    from harness.scenario import Expectation

    monkeypatch.setattr(perform, "ACTION_TIMEOUT_MS", 300)  # the page is static: no waiting
    run = perform.RunContext(base_url="http://127.0.0.1:1", has_hooks=False, touch=False)
    perform.check_expectations(page, Expectation(heading="ログイン", text="ユーザID"), run)
    with pytest.raises(perform.StepFailed) as failed:
        perform.check_expectations(page, Expectation.model_validate(wanted), run)
    assert str(failed.value) == sentence
