"""Benchmark: the run pipeline's choices, as ratios against a baseline measured in the same run.

Run from the project root:  .venv/bin/python benchmarks/pipeline.py [--repeat 2]

Baseline: a fresh browser launched for every flow (what a naive harness does). Measured
against it: one browser per worker reused across flows (`guideshot run -j 1`), and two
workers (`-j 2`). Flows run on Android against the embedded simulator; nothing is written
to disk. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.pipeline import Job, execute, plan_jobs  # noqa: E402
from harness.capture.results import FlowResult  # noqa: E402
from harness.capture.target import SiteTarget, site  # noqa: E402
from harness.scenario.load import load_all  # noqa: E402

FLOWS = ("search-android", "register-userid", "login-userid", "pension-records", "notices")


def _discard(result: FlowResult) -> None:
    if not result.ok:
        raise SystemExit(f"benchmark flow failed: {result.flow}: {result.failure}")


def fresh_browser_per_flow(jobs: list[Job], target: SiteTarget) -> None:
    for job in jobs:  # each call starts its own Playwright and browser
        execute(
            [job], target, workers=1, browser_path=None, finish=_discard, failed=lambda _r, _m: None
        )


def reused_browser(workers: int) -> Callable[[list[Job], SiteTarget], None]:
    def run(jobs: list[Job], target: SiteTarget) -> None:
        execute(
            jobs,
            target,
            workers=workers,
            browser_path=None,
            finish=_discard,
            failed=lambda _r, _m: None,
        )

    return run


def median_seconds(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (median)")
    args = parser.parse_args()
    flows = [f for f in load_all(ROOT / "scenarios") if f.id in FLOWS]
    with sync_playwright() as playwright:
        device = resolve_device(playwright, "android")
    jobs = plan_jobs(flows, [device])
    steps = sum(len(f.numbered) for f in flows)
    cases = {
        "fresh browser per flow (baseline)": fresh_browser_per_flow,
        "one browser reused (-j 1)": reused_browser(1),
        "two workers (-j 2)": reused_browser(2),
    }
    with site(None) as target:
        results = {
            name: median_seconds(lambda run=run: run(jobs, target), args.repeat)  # type: ignore[misc]
            for name, run in cases.items()
        }
    baseline = results["fresh browser per flow (baseline)"]
    print(f"{len(jobs)} flows, {steps} captures, android, median of {args.repeat} runs")
    print(f"{'case':<36} {'seconds':>8} {'per capture':>12} {'speed-up':>9}")
    for name, seconds in results.items():
        print(f"{name:<36} {seconds:8.2f} {seconds / steps:11.3f}s {baseline / seconds:8.2f}×")


if __name__ == "__main__":
    main()
