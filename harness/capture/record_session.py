"""One recording: the emulated phone opened on the site, the flow walked by a person (a
window, where there is a display) or by a script, and what the recorder wrote down."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from harness.capture.browser import CHROMIUM_ARGS, BrowserChoice, choose_browser, launch
from harness.capture.devices import resolve_device
from harness.capture.record_script import load_script, play
from harness.capture.recorder import Recorder, relative
from harness.scenario.draft import DraftStep


class NoDisplay(RuntimeError):
    """A person's recording needs a window, and there is no display to show one."""


@dataclass(frozen=True)
class Recording:
    start: str  # the path the flow starts at
    title: str  # the first page's title
    steps: list[DraftStep]


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _browser(playwright: Playwright, choice: BrowserChoice, headed: bool) -> Browser:
    if not headed:
        return launch(playwright, choice)
    browser_type = playwright.webkit if choice.engine == "webkit" else playwright.chromium
    args = [] if choice.engine == "webkit" else list(CHROMIUM_ARGS)
    return browser_type.launch(headless=False, executable_path=choice.executable, args=args)


def record(
    url: str,
    device: str,
    script: Path | None,
    browser_path: str | None,
    warn: Callable[[str], None],
) -> Recording:
    actions = load_script(script) if script is not None else None  # refused before a browser
    if actions is None and not has_display():
        raise NoDisplay(
            "no display for a browser window (DISPLAY, WAYLAND_DISPLAY): "
            "give the actions with --script FILE"
        )
    with sync_playwright() as playwright:
        profile = resolve_device(playwright, device)
        choice = choose_browser(playwright, profile.preferred_engine, browser_path)
        browser = _browser(playwright, choice, headed=actions is None)
        try:
            page = browser.new_context(**profile.context_args()).new_page()
            recorder = Recorder(page, warn)
            recorder.attach()
            recorder.open(url)
            start, title = relative(url), page.title()
            if actions is None:
                warn("walk the flow in the window, then close it to write the scenario")
                page.wait_for_event("close", timeout=0)
            else:
                for action in actions:
                    play(page, action)
            return Recording(start, title, recorder.steps)
        finally:
            browser.close()
