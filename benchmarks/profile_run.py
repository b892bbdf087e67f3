"""Where one full run's time goes, per capture: browser work, round trips, encoding, waiting.

Run from the project root:  .venv/bin/python benchmarks/profile_run.py [-j 1] [--flow ID …]

Runs every flow × device against the embedded simulator exactly as `guideshot run` does
(annotation and PNG encoding included, written to a temporary folder) with timers wrapped
around the harness's own functions and Playwright's calls, and counts the messages sent to
the Playwright driver (each is one round trip). CPU seconds are split between this Python
process, the Playwright driver (node) and the browser processes. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright._impl.connection import Connection  # noqa: E402
from playwright.sync_api import BrowserContext, Page, sync_playwright  # noqa: E402

import harness.capture.runner  # noqa: E402
import harness.capture.step_capture  # noqa: E402
import harness.capture.stillness  # noqa: E402
import harness.store  # noqa: E402
import harness.store.captures  # noqa: E402
import harness.store.staging  # noqa: E402
from benchmarks.proc_cpu import CpuSampler  # noqa: E402
from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.pipeline import execute, plan_jobs  # noqa: E402
from harness.capture.results import FlowResult  # noqa: E402
from harness.capture.target import site  # noqa: E402
from harness.scenario.load import load_all  # noqa: E402
from harness.store import WriteSummary, staging_root, work_root  # noqa: E402

_lock = threading.Lock()
_seconds: dict[str, float] = defaultdict(float)
_calls: Counter[str] = Counter()
_messages: Counter[str] = Counter()
_in_capture = threading.local()
_watch: Counter[str] = Counter()  # how each capture's stillness was proven


@contextmanager
def timed(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - started
        with _lock:
            _seconds[name] += spent
            _calls[name] += 1


def wrap(owner: Any, attribute: str, name: str) -> None:
    original: Callable[..., Any] = getattr(owner, attribute)

    @functools.wraps(original)
    def timed_call(*args: Any, **kwargs: Any) -> Any:
        with timed(name):
            return original(*args, **kwargs)

    setattr(owner, attribute, timed_call)


def count_messages() -> None:
    original = Connection.send_message_to_server

    def counted(self: Connection, obj: Any, method: str, params: Any, options: Any) -> Any:
        where = "capture" if getattr(_in_capture, "on", False) else "other"
        with _lock:
            _messages[f"{where}:{method}"] += 1
        return original(self, obj, method, params, options)

    setattr(Connection, "send_message_to_server", counted)  # noqa: B010 (patched for counting)


def instrument() -> None:
    count_messages()
    capture_step = harness.capture.step_capture.capture_step

    def capture(*args: Any, **kwargs: Any) -> Any:
        _in_capture.on = True
        try:
            with timed("capture_step (total)"):
                return capture_step(*args, **kwargs)
        finally:
            _in_capture.on = False

    harness.capture.runner.capture_step = capture  # type: ignore[attr-defined]  # runner's own name for it
    for attribute, name in (
        ("perform", "perform action (browser + waiting)"),
        ("check_expectations", "expectations (waiting)"),
        ("prepare_site", "simulator set-up hooks"),
        ("_frame_highlights", "capture: frame highlights"),
        ("_matches", "capture: boxes (highlights, masks)"),
        ("stable_capture", "capture: stable capture + readings (total)"),
        ("_read_step", "capture: readings (boxes, name, text; inside the proof)"),
        ("accessible_name", "capture: accessible name (aria snapshot)"),
        ("visible_text", "capture: visible text"),
        ("read_screen", "capture: title, visible text, text boxes (one evaluation)"),
    ):
        for module in (harness.capture.runner, harness.capture.step_capture):
            if hasattr(module, attribute):
                wrap(module, attribute, name)
    for attribute, name in (
        ("wait_for_fonts", "capture: wait for load + fonts"),
        ("settled_probe", "capture: stability probe (small capture)"),
    ):
        if hasattr(harness.capture.stillness, attribute):
            wrap(harness.capture.stillness, attribute, name)
    watched_capture = harness.capture.stillness.watched_capture

    def watched(page: Page, *read: Any) -> harness.capture.stillness.WatchedCapture[Any]:
        with timed("capture: watched capture (watch + full PNG + readings)"):
            answer = watched_capture(page, *read)
        with _lock:
            _watch[answer.why or "quiet: kept without probes"] += 1
        return answer

    setattr(harness.capture.stillness, "watched_capture", watched)  # noqa: B010 (patched)
    full_or_probe = Page.screenshot

    def screenshot(self: Page, **kwargs: Any) -> bytes:
        kind = "probe (CSS-scale JPEG)" if kwargs.get("type") == "jpeg" else "full PNG"
        with timed(f"page.screenshot: {kind}"):
            return full_or_probe(self, **kwargs)

    setattr(Page, "screenshot", screenshot)  # noqa: B010 (patched for timing)
    wrap(Page, "title", "capture: page.title")
    wrap(Page, "goto", "page.goto")
    wrap(harness.store.captures, "draw_png", "finish: draw + PNG encode (not reused)")
    wrap(harness.store.captures, "annotate_captures", "finish: annotate (drawn or reused)")
    wrap(harness.store.staging, "stage_flow", "finish: stage (write)")
    wrap(harness.store.captures, "publish_flow", "finish: publish (hash, compare, write)")
    wrap(BrowserContext, "close", "context close")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--workers", type=int, default=1)
    parser.add_argument("--flow", action="append", default=[])
    parser.add_argument(
        "--unchanged",
        action="store_true",
        help="write over a copy of screenshots/ (an unchanged tree) instead of an empty folder",
    )
    args = parser.parse_args()
    instrument()
    os.chdir(ROOT)  # records name scenario files relative to the project, as the CLI does
    flows = [f for f in load_all(Path("scenarios")) if not args.flow or f.id in args.flow]
    with sync_playwright() as playwright:
        devices = [resolve_device(playwright, name) for name in ("android", "iphone")]
    jobs = plan_jobs(flows, devices)
    out = Path(tempfile.mkdtemp(prefix="guideshot-profile-"))
    if args.unchanged:
        shutil.copytree(ROOT / "screenshots", out / "screenshots")
    summary = WriteSummary()

    def finish(result: FlowResult) -> None:
        if not result.ok:
            raise SystemExit(f"profile flow failed: {result.flow}: {result.failure}")
        shots = out / "screenshots"
        folder = shots / result.device / result.flow
        annotated = harness.store.captures.annotate_captures(result, folder)
        numbers = [capture.record.number for capture in result.captures]
        harness.store.staging.stage_flow(staging_root(shots), result, annotated, folder, numbers)
        harness.store.captures.publish_flow(shots, work_root(shots), result, annotated, summary)

    sampler = CpuSampler(os.getpid())
    with site(None) as target, sampler:
        started = time.perf_counter()
        outcomes = execute(
            jobs,
            target,
            workers=args.workers,
            browser_path=None,
            finish=finish,
            failed=lambda _result, message: print(f"failed: {message}"),
        )
        wall = time.perf_counter() - started
    captures = sum(len(outcome.result.captures) for outcome in outcomes)
    print(f"{len(jobs)} flow × device jobs, {captures} captures, -j {args.workers}")
    print(f"wall {wall:.2f} s = {wall / captures * 1000:.0f} ms per capture")
    print(f"\n{'where':<48} {'calls':>6} {'total s':>8} {'ms/capture':>10}")
    for name in sorted(_seconds, key=lambda n: -_seconds[n]):
        total = _seconds[name]
        print(f"{name:<48} {_calls[name]:>6} {total:8.2f} {total / captures * 1000:10.1f}")
    capture_messages = sum(n for k, n in _messages.items() if k.startswith("capture:"))
    other_messages = sum(n for k, n in _messages.items() if k.startswith("other:"))
    print(
        f"\nmessages to the driver: {capture_messages / captures:.1f} per capture inside "
        f"capture_step, {other_messages / captures:.1f} per capture elsewhere"
    )
    for key, count in _messages.most_common(12):
        print(f"  {key:<40} {count:>6}")
    print("\nstillness proven by (js/quiet_watch.js, else pixel probes):")
    for why, count in _watch.most_common():
        print(f"  {why:<60} {count:>6}")
    print("\nCPU seconds (whole run):")
    for name, seconds in sampler.totals().items():
        print(f"  {name:<20} {seconds:8.2f}  ({seconds / captures * 1000:.0f} ms per capture)")


if __name__ == "__main__":
    main()
