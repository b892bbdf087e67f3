"""Links between the guide's sites on two real servers, in the harness's own Chromium: a
relative link, an absolute one, a form's POST and a redirect naming the other site's path
each reach that site's server, and nothing else is intercepted."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser

from harness.capture.crossing import follow_sites
from harness.scenario.sites import SiteServer, SiteUrls
from simulator.server import start_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


@dataclass
class Host:
    """A tiny site: every page lists its links; `/x/go` redirects to `/y/landed`."""

    name: str
    other: str = ""  # the other host's URL, for an absolute link
    seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sites_seen(self) -> list[str]:
        """The requests for the sites' pages (not the style sheet or the favicon)."""
        with self.lock:
            return [
                seen for seen in self.seen if seen.split()[1].startswith(("/nenkin/", "/myna/"))
            ]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size).decode() if size else ""
        with self.lock:
            self.seen.append(f"{method} {path}" + (f" {body}" if body else ""))
        if path.endswith("/go"):
            start_response("302 Found", [("Location", "/nenkin/landed")])
            return [b""]
        page = f"""<title>{self.name} {path}</title><link rel=stylesheet href="/static/s.css">
            <a id=relative href="/myna/page">relative</a>
            <a id=absolute href="{self.other}/myna/far">absolute</a>
            <a id=redirect href="/myna/go">redirect</a>
            <form method=post action="/myna/form"><input name=word value=kept>
            <button id=post>post</button></form>"""
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]


@contextmanager
def two_hosts() -> Iterator[tuple[str, Host, str, Host]]:
    nenkin, myna = Host("nenkin"), Host("myna")
    with ExitStack() as stack:
        a = stack.enter_context(start_server(nenkin))
        b = stack.enter_context(start_server(myna))
        nenkin.other = myna.other = b.url
        yield a.url, nenkin, b.url, myna


@pytest.mark.parametrize(
    ("link", "lands", "myna_saw"),
    [
        ("#relative", "/myna/page", "GET /myna/page"),
        ("#absolute", "/myna/far", "GET /myna/far"),
        ("#post", "/myna/form", "POST /myna/form word=kept"),
    ],
)
def test_a_link_to_the_other_site_reaches_its_server(
    browser: Browser, link: str, lands: str, myna_saw: str
) -> None:
    with two_hosts() as (a, nenkin, b, myna):
        urls = SiteUrls(a, (SiteServer("nenkin", "/nenkin/", a), SiteServer("myna", "/myna/", b)))
        context = browser.new_context()
        follow_sites(context, urls)
        page = context.new_page()
        page.goto(a + "/nenkin/start")
        with page.expect_navigation():
            page.click(link)
        assert page.url == b + lands
        assert myna_saw in myna.seen
        assert not [seen for seen in nenkin.seen if "/myna/" in seen]
        assert "GET /static/s.css" in nenkin.seen  # a path of no site stays where it is
        context.close()


def test_a_redirect_to_the_other_sites_path_is_sent_there(browser: Browser) -> None:
    with two_hosts() as (a, nenkin, b, myna):
        urls = SiteUrls(a, (SiteServer("nenkin", "/nenkin/", a), SiteServer("myna", "/myna/", b)))
        context = browser.new_context()
        follow_sites(context, urls)
        page = context.new_page()
        page.goto(b + "/myna/start")
        with page.expect_navigation(url=a + "/nenkin/landed"):
            page.click("#redirect")  # /myna/go on myna answers 302 /nenkin/landed
        assert myna.sites_seen() == ["GET /myna/start", "GET /myna/go"]
        assert nenkin.sites_seen() == ["GET /nenkin/landed"]
        context.close()


def test_every_site_on_one_server_goes_where_the_page_says(browser: Browser) -> None:
    with two_hosts() as (a, nenkin, _b, _myna):
        urls = SiteUrls(a, (SiteServer("nenkin", "/nenkin/", a), SiteServer("myna", "/myna/", a)))
        context = browser.new_context()
        follow_sites(context, urls)
        page = context.new_page()
        page.goto(a + "/nenkin/start")
        with page.expect_navigation():
            page.click("#redirect")
        assert page.url == a + "/nenkin/landed"
        assert nenkin.sites_seen() == ["GET /nenkin/start", "GET /myna/go", "GET /nenkin/landed"]
        context.close()
