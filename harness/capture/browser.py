"""Finding and launching a browser without configuration.

Order: an explicit path (--browser-path or GUIDESHOT_BROWSER), a Playwright-managed Chromium,
then the system's Chromium. WebKit is used for iPhone profiles only where Playwright has one.
With `--connect ws://…` the browser runs elsewhere, in a Playwright browser server.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserType, Playwright

from harness.capture.devices import Engine

ENV_VAR = "GUIDESHOT_BROWSER"
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Quiet, reproducible Chromium for a sandboxed root user with no network beyond loopback.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--font-render-hinting=none",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
)
INSTALL_HINT = (
    "no browser found: install Chromium (Debian: apt-get install chromium fonts-noto-cjk, "
    "or `playwright install chromium`), or set GUIDESHOT_BROWSER / --browser-path to its binary"
)


class BrowserNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class BrowserChoice:
    engine: Engine
    executable: str | None  # None: Playwright's own build of that engine
    endpoint: str | None = None  # ws://… of a Playwright browser server (--connect)

    def describe(self) -> str:
        if self.endpoint is not None:
            return f"{self.engine} at {self.endpoint}"
        return f"{self.engine} ({self.executable or 'playwright-managed'})"


def _managed(browser_type: BrowserType) -> bool:
    try:
        return Path(browser_type.executable_path).is_file()
    except Exception:  # Playwright raises when it has no build for this platform
        return False


def find_chromium(playwright: Playwright, explicit: str | None = None) -> BrowserChoice:
    explicit = explicit or os.environ.get(ENV_VAR) or None
    if explicit:
        if not Path(explicit).is_file():
            raise BrowserNotFound(f"browser path {explicit!r} does not exist")
        return BrowserChoice("chromium", explicit)
    if _managed(playwright.chromium):
        return BrowserChoice("chromium", None)
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return BrowserChoice("chromium", found)
    raise BrowserNotFound(INSTALL_HINT)


def choose_browser(
    playwright: Playwright,
    preferred: Engine,
    explicit: str | None = None,
    endpoint: str | None = None,
) -> BrowserChoice:
    """WebKit for iPhone profiles when Playwright has it (and no Chromium path was forced).

    A browser server is always asked for Chromium: the approved screenshots are Chromium's.
    """
    if endpoint is not None:
        return BrowserChoice("chromium", explicit or os.environ.get(ENV_VAR) or None, endpoint)
    forced = explicit or os.environ.get(ENV_VAR)
    if preferred == "webkit" and not forced and _managed(playwright.webkit):
        return BrowserChoice("webkit", None)
    return find_chromium(playwright, explicit)


def launch_options_header(choice: BrowserChoice) -> dict[str, str]:
    """How a browser server learns our launch options (Playwright's connect protocol).

    The server applies `args` and `executablePath` only when started with `--unsafe`;
    without them pixels differ from the approved ones (hinting, colour profile), which
    `check` then reports as drift or an environment change, never silently.
    """
    options: dict[str, object] = {"args": list(CHROMIUM_ARGS)}
    if choice.executable is not None:
        options["executablePath"] = choice.executable  # a path on the server's machine
    return {"x-playwright-launch-options": json.dumps(options)}


def launch(playwright: Playwright, choice: BrowserChoice) -> Browser:
    if choice.endpoint is not None:
        return playwright.chromium.connect(
            choice.endpoint, headers=launch_options_header(choice), timeout=30_000
        )
    if choice.engine == "webkit":
        return playwright.webkit.launch()
    return playwright.chromium.launch(executable_path=choice.executable, args=list(CHROMIUM_ARGS))
