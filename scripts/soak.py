"""Soak: run `guideshot check` N times on an unchanged tree and report any step whose verdict
or captured pixels differed between runs (not part of the default test run).

    .venv/bin/python scripts/soak.py --times 10 -- -j 2
    .venv/bin/python scripts/soak.py --times 3 -- --flow login-userid --device android

Arguments after `--` go to `guideshot check`. Exit status 0 when every run agreed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.store.layout import staging_root
from harness.store.staging import StagedFlow

Key = tuple[str, str, int]  # device, flow, step


def _baseline(check_args: list[str]) -> Path:
    if "--baseline" in check_args:
        return Path(check_args[check_args.index("--baseline") + 1])
    return Path("screenshots")


def one_check(check_args: list[str], report: Path) -> tuple[int, dict[Key, str], dict[Key, str]]:
    """(exit status, verdict per step, raw capture hash per step) of one `guideshot check`."""
    command = [sys.executable, "-m", "harness", "check", "--report", str(report), *check_args]
    status = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ).returncode
    verdicts: dict[Key, str] = {}
    document = json.loads((report / "report.json").read_text("utf-8"))
    for flow in document["report"]["flows"]:
        for step in flow["steps"]:
            verdicts[(flow["device"], flow["flow"], step["number"] or 0)] = step["status"]
        if flow["failure"]:
            verdicts[(flow["device"], flow["flow"], 0)] = "failed: " + flow["failure"][:80]
    pixels: dict[Key, str] = {}
    for manifest_path in staging_root(_baseline(check_args)).glob("*/*/manifest.json"):
        manifest = StagedFlow.model_validate_json(manifest_path.read_bytes())
        for step in manifest.steps:
            pixels[(manifest.device, manifest.flow, step.number)] = step.sha256[step.raw_image]
    return status, verdicts, pixels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("check_args", nargs="*", help="options for guideshot check (after --)")
    args = parser.parse_args()
    first: tuple[int, dict[Key, str], dict[Key, str]] | None = None
    differing: set[Key] = set()
    kept = Path("soak-reports")
    with tempfile.TemporaryDirectory(prefix="guideshot-soak-") as scratch:
        for n in range(1, args.times + 1):
            started = time.perf_counter()
            status, verdicts, pixels = one_check(args.check_args, Path(scratch) / f"report-{n}")
            seconds = time.perf_counter() - started
            if first is None:
                first = (status, verdicts, pixels)
            before = len(differing)
            for key in sorted(set(verdicts) | set(first[1])):
                if verdicts.get(key) != first[1].get(key):
                    differing.add(key)
                    print(f"run {n}: {key}: verdict {first[1].get(key)} → {verdicts.get(key)}")
            for key in sorted(set(pixels) | set(first[2])):
                if pixels.get(key) != first[2].get(key):
                    differing.add(key)
                    print(f"run {n}: {key}: the captured pixels differ from run 1")
            if len(differing) > before:  # keep the evidence: the report of this run
                shutil.copytree(Path(scratch) / f"report-{n}", kept / f"report-{n}")
                print(f"run {n}: its report is kept in {kept / f'report-{n}'}")
            print(
                f"run {n}/{args.times}: exit {status}, {len(verdicts)} steps judged, "
                f"{len(pixels)} captures, {seconds:.0f} s",
                flush=True,
            )
    print(f"{len(differing)} step(s) differed across {args.times} runs")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
