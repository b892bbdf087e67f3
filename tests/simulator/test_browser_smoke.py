"""Real Chromium on emulated phones: the search flow and the マイナポータル card login."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from harness.capture.browser import find_chromium, launch
from simulator import SimulatorConfig, create_app
from simulator.server import RunningServer, start_server

pytestmark = pytest.mark.browser

PHONES = [
    pytest.param("Pixel 7", "Chrome", "→", id="android"),
    pytest.param("iPhone 13", "Safari", "開く", id="iphone"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    app = create_app(SimulatorConfig(database=tmp_path_factory.mktemp("browser") / "sim.sqlite3"))
    app.config["MYNA_LONGPOLL_SECONDS"] = 5.0  # a page left waiting frees its thread soon
    running = start_server(app)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[tuple[Playwright, Browser]]:
    with sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        try:
            yield playwright, browser
        finally:
            browser.close()


@pytest.fixture
def open_phone(chromium: tuple[Playwright, Browser]) -> Iterator[Callable[[str], Page]]:
    """A fresh context (own cookies, so its own sandbox) on the named device preset."""
    playwright, browser = chromium
    contexts = []

    def open_(device: str) -> Page:
        context = browser.new_context(
            **playwright.devices[device], locale="ja-JP", timezone_id="Asia/Tokyo"
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("device", "app_name", "enter_label"), PHONES)
def test_search_for_nenkin_net(
    live: RunningServer,
    open_phone: Callable[[str], Page],
    device: str,
    app_name: str,
    enter_label: str,
) -> None:
    page = open_phone(device)
    page.goto(f"{live.url}/phone/")
    page.get_by_role("link", name=app_name, exact=True).click()
    field = page.get_by_label("検索語句を入力")
    enter = page.get_by_role("button", name=enter_label, exact=True)
    expect(enter).to_be_hidden()

    field.click()
    expect(enter).to_be_visible()
    viewport = page.viewport_size
    assert viewport is not None
    key, box = enter.bounding_box(), field.bounding_box()
    keyboard = page.locator("[data-keyboard]").bounding_box()
    assert key is not None and box is not None and keyboard is not None
    # The enter key sits at the bottom right; the keyboard leaves the field uncovered.
    assert key["x"] + key["width"] >= viewport["width"] - 12
    assert key["y"] + key["height"] >= viewport["height"] - 30
    assert key["x"] > viewport["width"] * 0.7
    assert box["y"] + box["height"] <= keyboard["y"]

    field.fill("ねんきんネット")
    enter.click()
    expect(page).to_have_url(
        f"{live.url}/phone/search?q=%E3%81%AD%E3%82%93%E3%81%8D%E3%82%93%E3%83%8D%E3%83%83%E3%83%88"
    )
    result = page.get_by_role("link", name="ねんきんネット", exact=True)
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(f"{live.url}/nenkin/")


@pytest.mark.parametrize(("device", "app_name", "enter_label"), PHONES)
def test_myna_card_login_to_links(
    live: RunningServer,
    open_phone: Callable[[str], Page],
    device: str,
    app_name: str,
    enter_label: str,
) -> None:
    page = open_phone(device)
    hooks = page.context.request
    page.goto(f"{live.url}/myna/")
    page.get_by_role("link", name="ログイン", exact=True).click()
    page.get_by_label("パスワード（数字4桁）").fill("1234")
    page.get_by_role("button", name="次へ").click()
    expect(page.get_by_role("heading", name="マイナンバーカードを後ろにかざす")).to_be_visible()

    assert hooks.post(f"{live.url}/_sim/card/tap").json()["outcome"] == "read"
    expect(page.get_by_role("heading", name="読み取りが完了しました")).to_be_visible()
    assert hooks.post(f"{live.url}/_sim/card/remove").json()["removed"] is True
    expect(page).to_have_url(f"{live.url}/myna/home")

    menu = page.get_by_role("button", name="メニュー")
    box = menu.bounding_box()
    assert box is not None and box["x"] < 20 and box["y"] < 20  # top left
    menu.click()
    page.get_by_role("link", name="外部サイトとの連携").click()
    expect(page.get_by_role("heading", name="外部サイトとの連携", level=1)).to_be_visible()
    viewport = page.viewport_size
    first_site = page.get_by_role("button", name="つながる").first.bounding_box()
    assert viewport is not None and first_site is not None
    assert first_site["y"] > viewport["height"]  # the guide says: scroll up to reach it
