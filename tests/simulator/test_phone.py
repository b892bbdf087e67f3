"""Phone shell: home screens, browser start pages with the keyboard, search results."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from tests.simulator.conftest import ANDROID_UA, IPHONE_UA, text_of


class _Links(HTMLParser):
    """(text, href) of every <a>; href None for inert ones."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str | None]] = []
        self._open: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open, self._href = [], dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append(("".join(self._open).strip(), self._href))
            self._open = None


def links_of(html: str) -> list[tuple[str, str | None]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def live_links(html: str) -> dict[str, str]:
    return {text: href for text, href in links_of(html) if href is not None}


DEVICES = [
    pytest.param(ANDROID_UA, "Chrome", "/phone/chrome", "→", id="android"),
    pytest.param(IPHONE_UA, "Safari", "/phone/safari", "開く", id="iphone"),
]


@pytest.mark.parametrize(("agent", "browser", "start", "enter"), DEVICES)
def test_home_screen_has_only_its_browser_as_a_link(
    client: FlaskClient, agent: str, browser: str, start: str, enter: str
) -> None:
    page = text_of(client.get("/phone/", headers={"User-Agent": agent}))
    assert live_links(page) == {browser: start}
    other = "Safari" if browser == "Chrome" else "Chrome"
    assert other not in page


def test_device_query_overrides_user_agent_and_sticks(client: FlaskClient) -> None:
    headers = {"User-Agent": ANDROID_UA}
    assert live_links(text_of(client.get("/phone/?device=iphone", headers=headers))) == {
        "Safari": "/phone/safari"
    }
    # Set once, the sandbox remembers it.
    assert "Safari" in text_of(client.get("/phone/", headers=headers))


def test_android_home_shows_the_simulator_date(client: FlaskClient) -> None:
    page = text_of(client.get("/phone/", headers={"User-Agent": ANDROID_UA}))
    assert "11月24日(火)" in page  # DEFAULT_CLOCK, a Tuesday


@pytest.mark.parametrize(("agent", "browser", "start", "enter"), DEVICES)
def test_start_page_has_labelled_search_field_and_hidden_keyboard(
    client: FlaskClient, agent: str, browser: str, start: str, enter: str
) -> None:
    page = text_of(client.get(start, headers={"User-Agent": agent}))
    assert '<label for="q" class="visually-hidden">検索語句を入力</label>' in page
    assert 'id="q" name="q" type="search" placeholder="検索またはURLを入力"' in page
    assert "data-keyboard hidden" in page
    assert (
        f'form="search-form" class="kb-key kb-enter" style="grid-area: 3 / 5 / 5 / 6">{enter}<'
        in (page)
    )
    assert 'src="/static/js/keyboard.js"' in page


@pytest.mark.parametrize(("agent", "browser", "start", "enter"), DEVICES)
def test_nenkin_query_lists_nenkin_net_among_other_results(
    client: FlaskClient, agent: str, browser: str, start: str, enter: str
) -> None:
    page = text_of(client.get("/phone/search?q=ねんきんネット", headers={"User-Agent": agent}))
    assert live_links(page) == {"ねんきんネット": "/nenkin/"}
    inert = [text for text, href in links_of(page) if href is None]
    assert "日本年金機構" in inert
    assert len(inert) >= 3
    assert 'value="ねんきんネット"' in page  # the query stays in the field
    assert f"ph-{browser.lower()}" in page


def test_search_ignores_spaces_inside_the_service_name(client: FlaskClient) -> None:
    page = text_of(client.get("/phone/search?q=ねんきん ネット"))
    assert live_links(page) == {"ねんきんネット": "/nenkin/"}


def test_myna_query_links_to_mynaportal(client: FlaskClient) -> None:
    page = text_of(client.get("/phone/search?q=マイナポータル"))
    assert live_links(page) == {"マイナポータル": "/myna/"}


def test_other_query_gives_generic_inert_results(client: FlaskClient) -> None:
    page = text_of(client.get("/phone/search?q=天気予報"))
    assert live_links(page) == {}
    titles = [text for text, _ in links_of(page)]
    assert titles == [
        "天気予報 - 百科事典",
        "天気予報とは？意味や使い方をわかりやすく解説",
        "天気予報に関するニュース",
    ]


@pytest.mark.parametrize(("agent", "browser", "start", "enter"), DEVICES)
@pytest.mark.parametrize("query", ["", "   ", "　"])
def test_empty_query_returns_to_start_page(
    client: FlaskClient, agent: str, browser: str, start: str, enter: str, query: str
) -> None:
    response = client.get("/phone/search", query_string={"q": query}, headers={"User-Agent": agent})
    assert response.status_code == 302
    assert response.headers["Location"] == start


@pytest.mark.parametrize(("agent", "browser", "start", "enter"), DEVICES)
def test_happy_path_home_to_nenkin_net(
    client: FlaskClient, agent: str, browser: str, start: str, enter: str
) -> None:
    headers = {"User-Agent": agent}
    home = text_of(client.get("/phone/", headers=headers))
    start_page = text_of(client.get(live_links(home)[browser], headers=headers))
    assert 'action="/phone/search"' in start_page
    results = text_of(
        client.get("/phone/search", query_string={"q": "ねんきんネット"}, headers=headers)
    )
    assert client.get(live_links(results)["ねんきんネット"], headers=headers).status_code == 200


def test_pages_are_the_same_on_every_render(client: FlaskClient) -> None:
    for url in ("/phone/", "/phone/chrome", "/phone/safari", "/phone/search?q=ねんきんネット"):
        first, second = text_of(client.get(url)), text_of(client.get(url))
        # Only the session's CSRF token may differ between renders; these pages have none.
        assert first == second, url
