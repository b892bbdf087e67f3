"""One recording: the emulated phone opened on the site, the flow walked by a person (a
window, where there is a display) or by a script, and what the recorder wrote down."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from harness.capture.browser import CHROMIUM_ARGS, BrowserChoice, choose_browser, launch
from harness.capture.devices import DEFAULT_LOCALE, DeviceProfile, resolve_device
from harness.capture.record_script import load_script, play
from harness.capture.recorder import Recorder, relative
from harness.scenario.draft import DraftStep

# How often the wait for the window to close looks up to see a Ctrl-C (a signal handler
# may not call into Playwright, so it only raises a flag).
LOOK_UP_MS = 200
WINDOW_SLACK_PX = 24


class NoDisplay(RuntimeError):
    """A person's recording needs a window, and there is no display to show one."""


class Unreachable(RuntimeError):
    """The first page did not open: one line with the browser's reason."""


class Interrupted(RuntimeError):
    """Ctrl-C while a person was recording: the walk is given up, nothing is written."""


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
    try:
        # Ctrl-C is ours to answer (see _walked): Playwright would close the window under us.
        return browser_type.launch(
            headless=False, executable_path=choice.executable, args=args, handle_sigint=False
        )
    except PlaywrightError:  # its message is a page of browser logs; the cause is this
        shown = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        raise NoDisplay(
            f"no window opens on the display {shown} (is it running?): "
            "give the actions with --script FILE"
        ) from None


def _whole_phone(context: BrowserContext, page: Page) -> None:
    """Playwright sizes the window for its guess of the toolbar (85 px on Linux); the
    measured one is 87 px, so the phone's last lines were out of sight. A little more height
    shows all of it, with a window manager's decorations too (the rest stays blank)."""
    session = context.new_cdp_session(page)
    window = session.send("Browser.getWindowForTarget")
    bounds = window["bounds"]
    size = {"width": bounds["width"], "height": bounds["height"] + WINDOW_SLACK_PX}
    session.send("Browser.setWindowBounds", {"windowId": window["windowId"], "bounds": size})
    session.detach()


def _fingers(context: BrowserContext, page: Page, profile: DeviceProfile) -> None:
    """On a touch phone the mouse is a finger, as in DevTools' device mode: a click is a
    touch (pages that answer touches only answer it), a drag swipes, nothing hovers.
    Chromium's only: in WebKit's window a click stays a mouse click."""
    if not profile.settings.get("has_touch"):
        return
    session = context.new_cdp_session(page)
    session.send(
        "Emulation.setEmitTouchEventsForMouse", {"enabled": True, "configuration": "mobile"}
    )


@contextmanager
def _ctrl_c(person: bool) -> Iterator[Callable[[], bool]]:
    """While a person records: Ctrl-C raises a flag (asked by the returned function)
    instead of a KeyboardInterrupt in the middle of Playwright's connection."""
    pressed: list[int] = []
    if not person:  # a script's recording stops as every verb does
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: pressed.append(number))
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _unless(interrupted: Callable[[], bool], warn: Callable[[str], None]) -> Callable[[str], None]:
    """Warnings about the walk, until Ctrl-C gives it up: the same signal ends the browser
    (the terminal sends it to the whole job), so a step read at that moment finds no target,
    and warning about a recording that will not be written only buries the one line."""

    def warn_unless_interrupted(line: str) -> None:
        if not interrupted():
            warn(line)

    return warn_unless_interrupted


def _walked(page: Page, interrupted: Callable[[], bool]) -> None:
    """Until the person closes the tab or the window, or the browser goes away (closing
    its last window, a crash): each of them closes the page."""
    while not page.is_closed():
        if interrupted():
            raise Interrupted("interrupted")
        # not closed yet (a timeout), or closed while asking
        with suppress(PlaywrightError):
            page.wait_for_event("close", timeout=LOOK_UP_MS)


def record(
    url: str,
    device: str,
    script: Path | None,
    browser_path: str | None,
    warn: Callable[[str], None],
    opened: Callable[[], None] = lambda: None,
    locale: str = DEFAULT_LOCALE,
) -> Recording:
    """`opened` is called once the person's window shows the first page; the phone asks
    sites for `locale` (the guide's)."""
    actions = load_script(script) if script is not None else None  # refused before a browser
    if actions is None and not has_display():
        raise NoDisplay(
            "no display for a browser window (DISPLAY, WAYLAND_DISPLAY): "
            "give the actions with --script FILE"
        )
    person = actions is None
    with _ctrl_c(person) as interrupted, sync_playwright() as playwright:
        profile = resolve_device(playwright, device, locale)
        choice = choose_browser(playwright, profile.preferred_engine, browser_path)
        browser = _browser(playwright, choice, headed=person)
        try:
            context = browser.new_context(**profile.context_args())
            page = context.new_page()
            recorder = Recorder(page, _unless(interrupted, warn))
            recorder.attach()
            if person and choice.engine == "chromium":
                _whole_phone(context, page)
                _fingers(context, page, profile)
            try:
                recorder.open(url)
                start, title = relative(url), page.title()
            except PlaywrightError as error:
                if page.is_closed():  # the person closed the window before it showed
                    return Recording(relative(url), "", [])
                reason = (error.message or "no answer").splitlines()[0].removeprefix("Page.goto: ")
                raise Unreachable(f"{url}: the page did not open ({reason})") from None
            if actions is None:
                opened()
                _walked(page, interrupted)
            else:
                for action in actions:
                    play(page, action)
            return Recording(start, title, recorder.steps)
        finally:
            with suppress(PlaywrightError):  # already gone with its last window
                browser.close()
