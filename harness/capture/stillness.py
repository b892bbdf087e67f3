"""A still screen's full-size screenshot, what was read of it, and the proof that it was
still throughout.

Two proofs keep the same bytes for a still screen: a page watch around the capture and the
reading (js/quiet_watch.js, two evaluations) for the screens it can see whole, and pixel
probes just before the capture and just after the reading for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from harness.scripts import read_script

_FONTS_READY_JS = "() => document.fonts.ready.then(() => document.fonts.status)"
_QUIET_WATCH_JS = read_script("quiet_watch.js")
_PRESS_RECORDER_JS = read_script("press_recorder.js")
# The stability probe: the same viewport at CSS scale as a JPEG, about a ninth of the pixels
# and no PNG encoding, so proving stillness costs far less than a second full capture.
PROBE_QUALITY = 90


Reading = TypeVar("Reading")


class UnstableScreen(RuntimeError):
    """The screen kept changing: no two consecutive captures agreed."""


def wait_for_fonts(page: Page) -> None:
    page.wait_for_load_state("load")
    page.evaluate(_FONTS_READY_JS)


# Chromium now and then answers a capture with "Unable to capture screenshot" (its
# compositor had no frame to copy at that moment; CI-found in a simulator flow, and in the
# benchmark's plain-Playwright floor). The next frame has one: the capture is asked again
# after the page has drawn one, a few times, and only then is the step's failure. A page
# that draws no frame (hidden, stalled) is asked again after at most FRAME_WAIT_MS.
_NO_FRAME = "Unable to capture screenshot"
_CAPTURE_TRIES = 3
FRAME_WAIT_MS = 500
_NEXT_FRAME_JS = """(most) => new Promise(done => {
  requestAnimationFrame(() => done(undefined));
  setTimeout(() => done(undefined), most);
})"""


def screenshot(page: Page, **options: Any) -> bytes:
    """`page.screenshot(**options)`, asked again after a frame when Chromium had none."""
    for _ in range(_CAPTURE_TRIES - 1):
        try:
            return page.screenshot(**options)
        except PlaywrightError as error:
            if _NO_FRAME not in str(error):
                raise
            page.evaluate(_NEXT_FRAME_JS, FRAME_WAIT_MS)
    return page.screenshot(**options)


def settled_probe(page: Page) -> bytes:
    """A small, cheap picture of the viewport: equal probes mean the screen did not change."""
    return screenshot(
        page, animations="disabled", caret="hide", scale="css", type="jpeg", quality=PROBE_QUALITY
    )


def full_capture(page: Page) -> bytes:
    return screenshot(page, animations="disabled", caret="hide", scale="device")


def record_presses(context: BrowserContext) -> None:
    """Keep the browser's tap highlight out of the pictures and let the page watch know of
    taps whose highlight a page keeps visible (js/press_recorder.js); without this, every
    capture in `context` is proven with pixel probes."""
    context.add_init_script(_PRESS_RECORDER_JS)


@dataclass(frozen=True)
class WatchedCapture(Generic[Reading]):
    png: bytes | None  # None when the watch could not vouch for this screen before capturing
    why: str | None  # what could have changed a pixel, for the profile and the tests
    reading: Reading | None  # what `read` saw of the screen, inside the watch

    @property
    def quiet(self) -> bool:
        """The watch saw nothing that could change a pixel during the capture."""
        return self.png is not None and self.why is None


@dataclass(frozen=True)
class StillScreen(Generic[Reading]):
    """A full-size screenshot and what was read of the screen, both inside one proof that
    the screen did not change: the reading describes these pixels."""

    png: bytes
    reading: Reading


def _nothing() -> None:
    return None


@overload
def watched_capture(page: Page) -> WatchedCapture[None]: ...
@overload
def watched_capture(page: Page, read: Callable[[], Reading]) -> WatchedCapture[Reading]: ...
def watched_capture(page: Page, read: Callable[[], Any] = _nothing) -> WatchedCapture[Any]:
    """One full capture and `read()` of the screen with the page watched around both
    (js/quiet_watch.js): two short evaluations instead of two pictures, for the screens the
    watch can see whole. A screen it cannot (a canvas, a press still held…) is not captured
    here at all."""
    page.wait_for_load_state("load")
    early: str | None = page.evaluate(_QUIET_WATCH_JS, "begin")  # after the fonts are ready
    if early is not None:
        return WatchedCapture(png=None, why=early, reading=None)
    png = full_capture(page)
    reading = read()
    seen: str | None = page.evaluate(_QUIET_WATCH_JS, "end")
    return WatchedCapture(png=png, why=seen, reading=reading)


def probed_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen, proven with pixels (bounded retries).

    The capture is kept when a probe just before and one just after it are identical: the
    screen did not change around it. Any change between the probes (a layout shift, text or
    an image arriving) means another capture, as with two full-size captures, at a fraction
    of the cost. The kept bytes are the full capture's, so pixels are as before.
    """
    wait_for_fonts(page)
    return _probe_loop(page, _nothing, max_tries).png


def _probe_loop(page: Page, read: Callable[[], Reading], max_tries: int) -> StillScreen[Reading]:
    before = settled_probe(page)
    for _ in range(max_tries):
        capture = full_capture(page)
        reading = read()
        after = settled_probe(page)
        if after == before:
            return StillScreen(capture, reading)
        before = after
    raise UnstableScreen(f"the screen kept changing over {max_tries} captures")


def stable_capture(
    page: Page, read: Callable[[], Reading], max_tries: int = 6
) -> StillScreen[Reading]:
    """The full-size screenshot of a still screen, and `read()` of that same screen.

    Both happen inside one proof of stillness. A capture the page watch saw no change
    around is kept as it is; anything else (a change, or content the watch cannot see) is
    proven with pixel probes taken before the capture and after the reading, so both ways
    keep the same bytes for a still screen, and the reading never describes another one.
    """
    watched = watched_capture(page, read)  # waits for the load and the fonts first
    if watched.quiet and watched.png is not None:
        return StillScreen(watched.png, cast(Reading, watched.reading))
    return _probe_loop(page, read, max_tries)


def stable_screenshot(page: Page, max_tries: int = 6) -> bytes:
    """The full-size screenshot of a still screen (`stable_capture` with nothing to read)."""
    return stable_capture(page, _nothing, max_tries).png
