"""Chromium now and then answers a capture with "Unable to capture screenshot" (CI-found in a
simulator flow): the capture is asked again after the page draws a frame, a few times, and
any other error is the step's at once."""

from __future__ import annotations

from typing import Any, cast

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from harness.capture.stillness import full_capture, screenshot, settled_probe

NO_FRAME = "Page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture screenshot"


class Flaky:
    """A page whose first captures fail with `message`; counts the frames waited for."""

    def __init__(self, failures: int, message: str = NO_FRAME) -> None:
        self.failures = failures
        self.message = message
        self.frames = 0
        self.asked: list[dict[str, Any]] = []

    def screenshot(self, **options: Any) -> bytes:
        self.asked.append(options)
        if self.failures:
            self.failures -= 1
            raise PlaywrightError(self.message)
        return b"\x89PNG"

    def evaluate(self, script: str, most: int) -> None:
        assert "requestAnimationFrame" in script and most > 0
        self.frames += 1


def test_a_capture_without_a_frame_is_asked_again_after_one() -> None:
    page = Flaky(failures=2)
    assert screenshot(cast(Page, page), caret="hide") == b"\x89PNG"
    assert page.frames == 2
    assert page.asked == [{"caret": "hide"}] * 3  # the same capture each time


def test_the_third_failure_is_the_steps() -> None:
    page = Flaky(failures=3)
    with pytest.raises(PlaywrightError, match="Unable to capture screenshot"):
        screenshot(cast(Page, page))
    assert len(page.asked) == 3


def test_any_other_error_is_raised_at_once() -> None:
    page = Flaky(failures=1, message="Target page, context or browser has been closed")
    with pytest.raises(PlaywrightError, match="has been closed"):
        full_capture(cast(Page, page))
    assert page.frames == 0 and len(page.asked) == 1


def test_probes_and_full_captures_both_ask_again() -> None:
    for capture in (settled_probe, full_capture):
        page = Flaky(failures=1)
        assert capture(cast(Page, page)) == b"\x89PNG"
        assert page.frames == 1
