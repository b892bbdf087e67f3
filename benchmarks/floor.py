"""The floor: a plain Playwright loop over the same screens, with no harness logic.

For every flow × device of the approved screenshots, a fresh context with the same device
settings, then for each capture: navigate to the screen's recorded URL and take one
viewport screenshot (PNG, device scale). Against the embedded simulator, one browser, the
same Chromium and flags. Prints the number of captures; the caller times the process.

Run from the project root:  .venv/bin/python benchmarks/floor.py [--device android …]
[--part i/n]: the i-th of n shares of the flow × device jobs (balanced by captures, longest
first), so n processes started together show what n workers could gain with no harness at all:
the machine's own ceiling for `-j n`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from harness.capture.browser import find_chromium, launch  # noqa: E402
from harness.capture.devices import resolve_device  # noqa: E402
from harness.capture.target import site  # noqa: E402


def screens(device: str) -> dict[str, list[str]]:
    """Recorded URLs per flow, in step order, from the approved records."""
    found: dict[str, list[str]] = {}
    for folder in sorted((ROOT / "screenshots" / device).iterdir()):
        records = sorted(folder.glob("*.json"))
        found[folder.name] = [json.loads(r.read_text(encoding="utf-8"))["url"] for r in records]
    return found


def share(jobs: list[tuple[str, list[str]]], index: int, count: int) -> list[tuple[str, list[str]]]:
    """The `index`-th of `count` shares: longest jobs first, each to the lightest share."""
    loads = [0] * count
    shares: list[list[tuple[str, list[str]]]] = [[] for _ in range(count)]
    for job in sorted(jobs, key=lambda j: -len(j[1])):
        lightest = loads.index(min(loads))
        shares[lightest].append(job)
        loads[lightest] += len(job[1])
    return shares[index - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", action="append", default=[])
    parser.add_argument("--part", default="1/1", help="i/n: this process's share of the jobs")
    args = parser.parse_args()
    index, count = (int(x) for x in args.part.split("/"))
    jobs = [
        (name, urls)
        for name in args.device or ["android", "iphone"]
        for urls in screens(name).values()
    ]
    captures = 0
    with site(None) as target, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        devices = {name: resolve_device(playwright, name) for name, _ in jobs}
        for name, urls in share(jobs, index, count):
            context = browser.new_context(**devices[name].context_args())
            page = context.new_page()
            for url in urls:
                page.goto(target.base_url + url)
                page.screenshot(scale="device")
                captures += 1
            context.close()
        browser.close()
    print(json.dumps({"captures": captures}))


if __name__ == "__main__":
    main()
