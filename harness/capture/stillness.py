"""A still screen's full-size screenshot, and the proof that it was still.

Two proofs keep the same bytes for a still screen: a page watch around the capture
(js/quiet_watch.js, two evaluations) for the screens it can see whole, and pixel probes
just before and after the capture for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import BrowserContext, Page

from harness.scripts import read_script

_FONTS_READY_JS = "() => document.fonts.ready.then(() => document.fonts.status)"
_QUIET_WATCH_JS = read_script("quiet_watch.js")
_PRESS_RECORDER_JS = read_script("press_recorder.js")
# The stability probe: the same viewport at CSS scale as a JPEG, about a ninth of the pixels
# and no PNG encoding, so proving stillness costs far less than a second full capture.
PROBE_QUALITY = 90


class UnstableScreen(RuntimeError):
    """The screen kept changing: no two consecutive captures agreed."""


def wait_for_fonts(page: Page) -> None:
    page.wait_for_load_state("load")
    page.evaluate(_FONTS_READY_JS)


def settled_probe(page: Page) -> bytes:
    """A small, cheap picture of the viewport: equal probes mean the screen did not change."""
    return page.screenshot(
        animations="disabled", caret="hide", scale="css", type="jpeg", quality=PROBE_QUALITY
    )


def full_capture(page: Page) -> bytes:
    return page.screenshot(animations="disabled", caret="hide", scale="device")


def record_presses(context: BrowserContext) -> None:
    """Keep the browser's tap highlight out of the pictures and let the page watch know of
    taps whose highlight a page keeps visible (js/press_recorder.js); without this, every
    capture in `context` is proven with pixel probes."""
    context.add_init_script(_PRESS_RECORDER_JS)


@dataclass(frozen=True)
class WatchedCapture:
    png: bytes | None  # None when the watch could not vouch for this screen before capturing
    why: str | None  # what could have changed a pixel, for the profile and the tests

    @property
    def quiet(self) -> bool:
        """The watch saw nothing that could change a pixel during the capture."""
        return self.png is not None and self.why is None


def watched_capture(page: Page) -> WatchedCapture:
    """One full capture with the page watched around it (js/quiet_watch.js): two short
    evaluations instead of two pictures, for the screens the watch can see whole. A screen
    it cannot (a canvas, a tap just made on this page…) is not captured here at all."""
    page.wait_for_load_state("load")
    early: str | None = page.evaluate(_QUIET_WATCH_JS, "begin")  # after the fonts are ready
    if early is not None:
        return WatchedCapture(png=None, why=early)
    png = full_capture(page)
    seen: str | None = page.evaluate(_QUIET_WATCH_JS, "end")
    return WatchedCapture(png=png, why=seen)


def probed_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen, proven with pixels (bounded retries).

    The capture is kept when a probe just before and one just after it are identical: the
    screen did not change around it. Any change between the probes (a layout shift, text or
    an image arriving) means another capture, as with two full-size captures, at a fraction
    of the cost. The kept bytes are the full capture's, so pixels are as before.
    """
    wait_for_fonts(page)
    return _probe_loop(page, max_tries)


def _probe_loop(page: Page, max_tries: int) -> bytes:
    before = settled_probe(page)
    for _ in range(max_tries):
        capture = full_capture(page)
        after = settled_probe(page)
        if after == before:
            return capture
        before = after
    raise UnstableScreen(f"the screen kept changing over {max_tries} captures")


def stable_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen.

    A capture the page watch saw no change around is kept as it is; anything else (a change,
    or content the watch cannot see) is proven with pixel probes, so both ways keep the same
    bytes for a still screen.
    """
    watched = watched_capture(page)  # waits for the load and the fonts first
    if watched.quiet and watched.png is not None:
        return watched.png
    return _probe_loop(page, max_tries)
