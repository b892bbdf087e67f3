"""What a flow's browser context records for debugging besides its captures: a Playwright
trace (`playwright show-trace trace.zip`), videos, a screenshot at the end.

The trace is recorded for every flow and written only when asked to keep it (by default
when the flow failed): the trace that would explain a failure cannot be recorded after the
fact, and recording costs little wall time (168-step check -j 2 on a loaded 2-core machine:
107.0 s without, 108.6 s with) though more CPU in the driver (55 s to 72 s user+sys);
GUIDESHOT_TRACE=off turns it off.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

# pytest-playwright's --tracing values; the CLI keeps a trace for each failed flow.
TraceMode = Literal["on", "off", "retain-on-failure"]


def new_run_id() -> str:
    """`{run}`: six lowercase hex digits, the same for every flow of one run."""
    return secrets.token_hex(3)


@dataclass(frozen=True)
class Recording:
    trace: TraceMode = "retain-on-failure"
    video_dir: Path | None = None  # each page's video is written here when its context closes
    # The video's frame size: the device's viewport, as its screenshots are (Playwright's
    # default scales the viewport down to fit 800×800); None leaves Playwright's default.
    video_size: tuple[int, int] | None = None
    end_screenshot: bool = False  # the screen after the last step (before cleanup)
    # With video_dir, the pages of the one context it records, in the order they opened:
    # Playwright names each video at random, and a kept video is named by its page's place.
    pages: list[Page] = field(default_factory=list, compare=False, repr=False)

    def context_args(self) -> dict[str, Any]:
        if self.video_dir is None:
            return {}
        args: dict[str, Any] = {"record_video_dir": str(self.video_dir)}
        if self.video_size is not None:
            width, height = self.video_size
            args["record_video_size"] = {"width": width, "height": height}
        return args


def from_environment() -> Recording:
    """The CLI's recording: GUIDESHOT_TRACE=off records no trace (for a run on a slow
    machine where every second counts), =on keeps every flow's; by default a failed flow's."""
    wanted = os.environ.get("GUIDESHOT_TRACE", "retain-on-failure")
    modes: tuple[TraceMode, ...] = ("on", "off", "retain-on-failure")
    for mode in modes:
        if mode == wanted:
            return Recording(trace=mode)
    return Recording()


def start(context: BrowserContext, recording: Recording) -> None:
    if recording.video_dir is not None:
        # A function of our own: Playwright's event wrapper cannot take a builtin method.
        context.on("page", lambda page: recording.pages.append(page))
    if recording.trace != "off":
        context.tracing.start(screenshots=True, snapshots=True)


def stop(context: BrowserContext, recording: Recording, failed: bool) -> bytes | None:
    """The trace's zip when it is to be kept, else None; a browser already gone keeps none."""
    if recording.trace == "off":
        return None
    with contextlib.suppress(PlaywrightError):
        if recording.trace == "on" or failed:
            with tempfile.TemporaryDirectory(prefix="guideshot-trace-") as folder:
                path = Path(folder) / "trace.zip"
                context.tracing.stop(path=path)
                return path.read_bytes()
        context.tracing.stop()  # without a path nothing is written
    return None
