"""The stability proof alone: two full-size PNGs (first), one full PNG between two CSS-scale
JPEG probes (second) and one full PNG inside a page watch (now), interleaved on the same
screens, with the browser's CPU.

Run from the project root:  .venv/bin/python benchmarks/stability.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from benchmarks.proc_cpu import CpuSampler  # noqa: E402
from harness.capture.browser import find_chromium, launch  # noqa: E402
from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.stillness import (  # noqa: E402
    probed_screenshot,
    record_presses,
    stable_screenshot,
)
from harness.capture.target import site  # noqa: E402

SCREENS = ("/nenkin/", "/nenkin/login", "/myna/", "/phone/home")


def two_full_pngs(page: Page) -> bytes:
    """The proof before: capture until two consecutive full-size screenshots agree."""
    previous = page.screenshot(animations="disabled", caret="hide", scale="device")
    while True:
        current = page.screenshot(animations="disabled", caret="hide", scale="device")
        if current == previous:
            return current
        previous = current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    methods: dict[str, Callable[[Page], bytes]] = {
        "two full PNGs (before)": two_full_pngs,
        "probe, full PNG, probe": probed_screenshot,
        "page watch around a full PNG (now)": stable_screenshot,
    }
    times: dict[str, list[float]] = {name: [] for name in methods}
    cpu: dict[str, float] = dict.fromkeys(methods, 0.0)
    with site(None) as target, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        for name in ("android", "iphone"):
            device = resolve_device(playwright, name)
            context = browser.new_context(**device.context_args())
            record_presses(context)  # as the runner does: the watch trusts no page without it
            page = context.new_page()
            for screen in SCREENS:
                page.goto(target.base_url + screen)
                results = {method(page) for method in methods.values()}
                assert len(results) == 1, f"the proofs kept different pixels on {screen}"
                for _ in range(args.repeat):
                    for method_name, method in methods.items():
                        with CpuSampler(os.getpid(), interval=0.05) as sampler:
                            started = time.perf_counter()
                            method(page)
                            times[method_name].append(time.perf_counter() - started)
                        cpu[method_name] += sum(sampler.totals().values())
            context.close()
        browser.close()
    count = len(next(iter(times.values())))
    print(f"{count} captures per method, {len(SCREENS)} screens × android, iphone")
    base = statistics.median(times["two full PNGs (before)"])
    for name, spent in times.items():
        median = statistics.median(spent)
        print(
            f"{name:<36} median {median * 1000:6.1f} ms  ({base / median:4.2f}× faster than "
            f"before)  CPU {cpu[name] / count * 1000:6.1f} ms per capture (all processes)"
        )


if __name__ == "__main__":
    main()
