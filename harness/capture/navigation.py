"""What the server said: each page load's status, so a failing step can name a 500 or a
refused connection instead of only "… is not on the screen"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, Response

# Playwright's messages for navigations that got no answer, and how a person says it.
_NET_ERRORS = {
    "ERR_CONNECTION_REFUSED": "the connection was refused",
    "ERR_CONNECTION_RESET": "the connection was reset",
    "ERR_CONNECTION_CLOSED": "the connection was closed without an answer",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without an answer",
    "ERR_NAME_NOT_RESOLVED": "the host name is unknown",
    "ERR_ADDRESS_UNREACHABLE": "the address is unreachable",
    "ERR_TIMED_OUT": "the connection timed out",
}
_TIMEOUT = re.compile(r"Timeout (\d+)ms exceeded")
_BROWSER_GONE = (
    "Target page, context or browser has been closed",
    "Browser has been closed",
    "Browser closed",
    "Connection closed",
    "Target closed",
)


@dataclass(frozen=True)
class PageLoad:
    status: int
    path: str  # relative to the site's base URL


class NavigationLog:
    """The main frame's document responses, newest last."""

    def __init__(self, page: Page, relative: Callable[[str], str]) -> None:
        self.loads: list[PageLoad] = []
        self._relative = relative
        page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        request = response.request
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        self.loads.append(PageLoad(response.status, self._relative(response.url)))

    def server_error(self) -> str | None:
        """'the server answered 500 for /login' when the last page load failed."""
        if not self.loads or self.loads[-1].status < 400:
            return None
        last = self.loads[-1]
        return f"the server answered {last.status} for {last.path}"


def unanswered(message: str, path: str) -> str | None:
    """A navigation error in words, or None when the message is not one."""
    for code, words in _NET_ERRORS.items():
        if code in message:
            return f"{path} could not be loaded: {words} ({code})"
    timeout = _TIMEOUT.search(message)
    if timeout is not None and ("goto" in message or "navigation" in message.lower()):
        return f"the server did not answer {path} within {int(timeout.group(1)) / 1000:g} s"
    return None


def browser_gone(message: str) -> bool:
    """True for Playwright's errors that mean the browser process is no longer there."""
    return any(sign in message for sign in _BROWSER_GONE)
