"""What each browser operation a capture uses costs, in wall time and in CPU per process.

Run from the project root:  .venv/bin/python benchmarks/operations.py [--repeat 20]

One Android context on the embedded simulator, as the runner sets it up; each operation
repeated on the same screen, with the CPU of this process (harness + simulator), the
Playwright driver and the browser sampled from /proc. The floor pays a navigation and a
full PNG per capture; everything else here is what a walkthrough adds. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks.proc_cpu import CpuSampler  # noqa: E402
from harness.capture import screen, stillness  # noqa: E402
from harness.capture.browser import find_chromium, launch  # noqa: E402
from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.target import site  # noqa: E402

SCREEN = "/nenkin/register"
ACCORDION = "はじめて「ねんきんネット」をご利用になる方"


def measure(name: str, operation: Callable[[], object], times: int) -> None:
    operation()  # once before timing: no first-call costs
    with CpuSampler(os.getpid(), interval=0.02) as sampler:
        started = time.perf_counter()
        for _ in range(times):
            operation()
        wall = time.perf_counter() - started
    cpu = "  ".join(
        f"{kind} {spent / times * 1000:6.1f}" for kind, spent in sampler.totals().items()
    )
    print(f"{name:<44} {wall / times * 1000:7.1f} ms   CPU ms: {cpu}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    many = args.repeat * 5
    with site(None) as target, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        device = resolve_device(playwright, "android")
        context = browser.new_context(**device.context_args())
        stillness.record_presses(context)
        page = context.new_page()
        page.goto(target.base_url + SCREEN)
        link = page.get_by_role("link").first
        print(f"each operation on {SCREEN} (android), wall per call and CPU per call")
        measure("evaluate (one round trip, trivial)", lambda: page.evaluate("() => 1"), many)
        measure("boxes of a locator (evalOnSelectorAll)", lambda: screen.matches_of(link), many)
        measure("accessible name (aria snapshot)", lambda: screen.accessible_name(link), many)
        measure("title, visible text, text boxes", lambda: screen.read_screen(page), many)
        measure(
            "page watch begin + end, nothing between",
            lambda: (
                page.evaluate(stillness._QUIET_WATCH_JS, "begin"),
                page.evaluate(stillness._QUIET_WATCH_JS, "end"),
            ),
            many,
        )
        few: list[tuple[str, Callable[[], object]]] = [
            ("stability probe (CSS-scale JPEG)", lambda: stillness.settled_probe(page)),
            ("full PNG, plain (as the floor)", lambda: page.screenshot(scale="device")),
            ("full PNG, animations and caret frozen", lambda: stillness.full_capture(page)),
            ("stable screenshot (watch + full PNG)", lambda: stillness.stable_screenshot(page)),
            ("probed screenshot (probe, full, probe)", lambda: stillness.probed_screenshot(page)),
            ("tap on the same page (no navigation)", lambda: page.get_by_text(ACCORDION).tap()),
            (
                "tap after a proof (force: no actionability waits)",
                lambda: page.get_by_text(ACCORDION).tap(force=True),
            ),
            (
                "goto: navigation and load (as the floor)",
                lambda: page.goto(target.base_url + SCREEN),
            ),
        ]
        for name, operation in few:
            measure(name, operation, args.repeat)
        browser.close()


if __name__ == "__main__":
    main()
