"""The walkthrough floor: the scenarios' own actions in plain Playwright, one PNG per capture.

Between the floor (navigate, one PNG: no walkthrough at all) and `guideshot run`: every flow
× device in a fresh context with the same device settings and the simulator's same set-up,
each step's actions and awaited expectations carried out as the runner does (the same
`perform` and `check_expectations`), and one viewport screenshot (PNG, device scale) where
the scenario captures. No stillness proof, no framing, no reading of boxes, names or text,
no annotation, nothing written. What `run` costs beyond this is the harness's own work.
Prints the number of captures; the caller times the process.

Run from the project root:  .venv/bin/python benchmarks/walkthrough.py [--device android …]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from harness.capture.browser import find_chromium, launch  # noqa: E402
from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.perform import RunContext, check_expectations, perform  # noqa: E402
from harness.capture.pipeline import plan_jobs  # noqa: E402
from harness.capture.runner import prepare_site  # noqa: E402
from harness.capture.target import PAGE_CLOCK, site  # noqa: E402
from harness.scenario import Flow  # noqa: E402
from harness.scenario.load import load_all  # noqa: E402

DEVICES = ("android", "iphone")


def walk(page: Page, flow: Flow, run: RunContext) -> int:
    """The flow's steps as the runner performs them, a plain PNG for each capture."""
    captures = 0
    page.goto(run.base_url + flow.start)
    for step in flow.steps:
        for preparation in step.before:
            perform(page, preparation, run)
        if step.capture == "before":
            page.screenshot(scale="device")
            captures += 1
        perform(page, step.action, run)
        page.wait_for_load_state("load")
        check_expectations(page, step.expect, run)
        if step.capture == "after":
            page.screenshot(scale="device")
            captures += 1
    return captures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", action="append", default=[])
    parser.add_argument("--scenarios", type=Path, default=ROOT / "scenarios")
    args = parser.parse_args()
    flows = load_all(args.scenarios)
    captures = 0
    with site(None) as target, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        devices = [resolve_device(playwright, name) for name in args.device or DEVICES]
        for job in plan_jobs(flows, devices):  # the same flow × device jobs as `run`
            run = RunContext(
                base_url=target.base_url,
                has_hooks=target.has_hooks,
                touch=bool(job.device.settings.get("has_touch")),
            )
            context = browser.new_context(**job.device.context_args())
            context.clock.set_fixed_time(PAGE_CLOCK)
            page = context.new_page()
            try:
                prepare_site(page, job.flow, job.device, run)
                captures += walk(page, job.flow, run)
            except Exception as exc:  # a benchmark that did not walk every flow measured nothing
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                where = f"{job.flow.id} on {job.device.name}, at {page.url}"
                print(f"walkthrough: {where}: {first_line}", file=sys.stderr)
                raise SystemExit(2) from exc
            context.close()
        browser.close()
    print(json.dumps({"captures": captures}))


if __name__ == "__main__":
    main()
