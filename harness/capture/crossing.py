"""Links from one site to another when the guide's sites are on different servers.

A page links to another site of the guide either with an absolute URL (a real two-host
deployment: the browser simply goes there) or with a path (the simulator serves every site
from one host: `/myna/` on a ねんきんネット page, or a redirect to `/nenkin/…` from
マイナポータル). Such a path would be asked of the wrong server, so, in the browser:

- a request for another site's path is answered with a 307 redirect to the same path on
  that site's server: the page moves there as between two real hosts (the address shows
  that server; a form's POST keeps its method and body), and the wrong server never sees it;
- a page load of a site's own path is fetched here first, because the browser follows a
  redirect's next hop without asking the router again: a `Location` naming another site's
  path is pointed at that site's server before the browser sees it. (A chain's later hops
  go where the servers send them: their own redirects must name the other host.)

Only URLs under a site's prefix are intercepted (one regular expression, matched inside the
browser); other requests, and everything when every site is on one server, cost nothing.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from playwright.sync_api import BrowserContext, Route

from harness.scenario.sites import SiteUrls

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def site_pattern(urls: SiteUrls) -> re.Pattern[str] | None:
    """Every URL under a site's prefix on any of the run's servers; None with one server."""
    if len(urls.servers) < 2:
        return None
    servers = "|".join(re.escape(server) for server in urls.servers)
    prefixes = "|".join(re.escape(site.prefix) for site in urls.sites)
    return re.compile(f"^(?:{servers})(?:{prefixes})")


def owned(urls: SiteUrls, url: str) -> str:
    """`url` on the server of the site its path belongs to (unchanged when it is there, or
    not on one of the run's servers)."""
    server = urls.server_of(url)
    if server is None:
        return url
    path = url[len(server) :]
    return urls.base_for(path) + path if path.startswith("/") else url


def follow_sites(context: BrowserContext, urls: SiteUrls) -> None:
    """Send every request for another site's path on to that site's server."""
    pattern = site_pattern(urls)
    if pattern is None:
        return

    def route(route: Route) -> None:
        request = route.request
        there = owned(urls, request.url)
        if there != request.url:
            route.fulfill(status=307, headers={"Location": there})
        elif not request.is_navigation_request():
            route.fallback()
        else:
            _load_page(route, urls)

    context.route(pattern, route)


def _load_page(route: Route, urls: SiteUrls) -> None:
    response = route.fetch(max_redirects=0)
    location = response.headers.get("location")
    if response.status in _REDIRECTS and location:
        asked = urljoin(route.request.url, location)
        there = owned(urls, asked)
        if there != asked:
            headers = {**response.headers, "location": there}
            route.fulfill(status=response.status, headers=headers, body=response.body())
            return
    route.fulfill(response=response)
