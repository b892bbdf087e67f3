"""Speed and scale, in one run on one machine: the floor, the walkthrough floor, `run` with
1 and 2 workers, an unchanged `check`, and a generated suite ten times larger — as ratios,
printed and written as JSON. Nothing here is asserted by any test.

Run from the project root:  .venv/bin/python benchmarks/speed.py [--scale 10] [--repeat 3]
[--suite-device android] [--json PATH]

Every case is a fresh process of the real CLI (or of benchmarks/floor.py and walkthrough.py),
timed from start to exit, so start-up, the simulator and the browser launch count as a user
pays them; its peak memory is the process's own maximum resident set (not its browsers').
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CAPTURES = re.compile(r"(\d+) captures:")


def captures_in(output: str) -> int:
    """The captures a case reports: `run`'s summary line, or the floors' JSON line."""
    found = CAPTURES.search(output) or re.search(r'"captures": (\d+)', output)
    return int(found.group(1)) if found else 0


@dataclass(frozen=True)
class Case:
    name: str
    seconds: float
    captures: int
    peak_mb: float  # maximum resident set of the process (not its browsers)
    status: int

    @property
    def per_capture_ms(self) -> float:
        return self.seconds / max(self.captures, 1) * 1000


def measure(
    name: str,
    command: list[str],
    cwd: Path,
    captures: int | None = None,
    succeeded: tuple[int, ...] = (0, 1),
) -> Case:
    """Run `command` to its end; its wall time, and its own peak RSS from os.wait4.

    Exit statuses outside `succeeded` stop the benchmark (1 is `run`'s and `check`'s "drift
    found", which still measured every capture; a floor that fails measured nothing)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    if captures is None:
        captures = captures_in(output)
    peak = usage.ru_maxrss / 1024  # kB on Linux
    if process.returncode not in succeeded:
        print(output[-3000:], file=sys.stderr)
        raise SystemExit(f"benchmark case {name!r} exited {process.returncode}")
    case = Case(name, seconds, captures, peak, process.returncode)
    print(
        f"  {name:<34} {seconds:8.1f} s  {case.per_capture_ms:7.0f} ms/capture  "
        f"{captures:5d} captures  peak {peak:6.0f} MB  exit {process.returncode}",
        flush=True,
    )
    return case


def measure_together(name: str, commands: list[list[str]], cwd: Path) -> Case:
    """Start every command at once; the wall time until the last exits, captures summed."""
    started = time.perf_counter()
    processes = [
        subprocess.Popen(c, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for c in commands
    ]
    outputs = [p.communicate()[0].decode("utf-8", errors="replace") for p in processes]
    seconds = time.perf_counter() - started
    for process, output in zip(processes, outputs, strict=True):
        if process.returncode != 0:
            print(output[-3000:], file=sys.stderr)
            raise SystemExit(f"benchmark case {name!r} exited {process.returncode}")
    captures = sum(int(json.loads(o.strip().splitlines()[-1])["captures"]) for o in outputs)
    case = Case(name, seconds, captures, 0.0, 0)
    print(
        f"  {name:<34} {seconds:8.1f} s  {case.per_capture_ms:7.0f} ms/capture  "
        f"{captures:5d} captures",
        flush=True,
    )
    return case


def generated_suite(folder: Path, copies: int) -> Path:
    """`copies` copies of every scenario under new ids, over the same screens."""
    source = ROOT / "scenarios"
    target = folder / f"scenarios-x{copies}"
    shutil.copytree(source / "fragments", target / "fragments")
    for path in sorted(source.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for copy in range(1, copies + 1):
            new_id = f"{path.stem}-c{copy}"
            renamed = re.sub(rf"(?m)^id: {re.escape(path.stem)}$", f"id: {new_id}", text)
            (target / f"{new_id}.yaml").write_text(renamed, encoding="utf-8")
    return target


def guideshot(*args: str) -> list[str]:
    return [PYTHON, "-m", "harness", *args]


def machine() -> dict[str, str]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    chromium = shutil.which("chromium") or ""
    version = (
        subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if chromium
        else "unknown"
    )
    return {
        "cpus": str(os.cpu_count()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": version,
        "load_average_at_start": " ".join(f"{x:.1f}" for x in load),
    }


def _value(case: Case, field: str) -> float:
    return {"per_capture": case.per_capture_ms, "seconds": case.seconds, "peak_mb": case.peak_mb}[
        field
    ]


def ratios(cases: dict[str, Case], scale: int) -> dict[str, float]:
    """The ratios the measured cases allow (all of them once every case has run)."""
    wanted = {
        "harness per capture / floor per capture (-j 1)": ("run -j 1", "floor", "per_capture"),
        "harness per capture / walkthrough floor per capture (-j 1)": (
            "run -j 1",
            "walkthrough",
            "per_capture",
        ),
        "walkthrough floor per capture / floor per capture": (
            "walkthrough",
            "floor",
            "per_capture",
        ),
        "run -j 1 time / run -j 2 time (speed-up)": ("run -j 1", "run -j 2", "seconds"),
        "floor time / floor in two processes (the machine's ceiling for -j 2)": (
            "floor",
            "floor x2",
            "seconds",
        ),
        "check time / run time (-j 1, unchanged)": ("check -j 1", "run -j 1", "seconds"),
        f"suite ×{scale} time / suite ×1 time": (f"suite x{scale}", "suite x1", "seconds"),
        f"suite ×{scale} time per capture / suite ×1 time per capture": (
            f"suite x{scale}",
            "suite x1",
            "per_capture",
        ),
        f"suite ×{scale} peak memory / suite ×1 peak memory": (
            f"suite x{scale}",
            "suite x1",
            "peak_mb",
        ),
    }
    found = {}
    for name, (top, bottom, field) in wanted.items():
        if top in cases and bottom in cases:
            found[name] = _value(cases[top], field) / _value(cases[bottom], field)
    return found


def ratio_ranges(samples: dict[str, list[Case]], scale: int) -> dict[str, tuple[float, float]]:
    """Each ratio per repetition (its cases measured side by side): lowest and highest."""
    count = min((len(found) for found in samples.values()), default=0)
    if count < 2:
        return {}
    per_repetition = [
        ratios({key: found[n] for key, found in samples.items()}, scale) for n in range(count)
    ]
    return {
        name: (min(r[name] for r in per_repetition), max(r[name] for r in per_repetition))
        for name in per_repetition[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="size of the large suite (×)")
    parser.add_argument(
        "--suite-device",
        action="append",
        default=[],
        metavar="NAME",
        help="run the generated suites on this device only (default: android and iphone)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="repeat the one-machine cases; keep the medians"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "speed.json")
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="guideshot-bench-"))
    cases: dict[str, Case] = {}

    def save() -> None:
        """After every case, so a run cut short still leaves what it measured."""
        document = {
            "machine": info,
            "suite_devices": args.suite_device or ["android", "iphone"],
            "cases": {
                key: {**asdict(c), "per_capture_ms": c.per_capture_ms} for key, c in cases.items()
            },
            "ratios": ratios(cases, args.scale),
            "repeat": args.repeat,
            "ratio_ranges": ratio_ranges(samples, args.scale),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    def add(key: str, case: Case) -> None:
        cases[key] = case
        save()

    samples: dict[str, list[Case]] = {}

    def sample(key: str, case: Case) -> None:
        """One repetition of a case: the case shown is the median so far."""
        samples.setdefault(key, []).append(case)
        ordered = sorted(samples[key], key=lambda c: c.seconds)
        add(key, ordered[(len(ordered) - 1) // 2])

    try:
        tree = work / "tree"
        shutil.copytree(ROOT / "screenshots", tree / "screenshots")
        shutil.copytree(ROOT / "scenarios", tree / "scenarios")
        floor = [PYTHON, str(ROOT / "benchmarks" / "floor.py")]
        halves = [[*floor, "--part", f"{i}/2"] for i in (1, 2)]
        walkthrough = [PYTHON, str(ROOT / "benchmarks" / "walkthrough.py")]
        check = guideshot("check", "-j", "1")
        # The one-machine cases round-robin, so a slow minute of the machine falls on every
        # case alike; with --repeat each case keeps its median and the ratios their range.
        for repetition in range(1, args.repeat + 1):
            label = f" [{repetition}/{args.repeat}]" if args.repeat > 1 else ""
            name = f"floor (plain Playwright){label}"
            sample("floor", measure(name, floor, tree, succeeded=(0,)))
            name = f"walkthrough floor (actions + PNG){label}"
            sample("walkthrough", measure(name, walkthrough, tree, succeeded=(0,)))
            together = measure_together(f"floor, two processes at once{label}", halves, tree)
            sample("floor x2", together)
            for workers in (1, 2):
                run = guideshot("run", "-j", str(workers))
                name = f"run -j {workers} (unchanged tree){label}"
                sample(f"run -j {workers}", measure(name, run, tree))
            captures = cases["run -j 1"].captures
            name = f"check -j 1 (unchanged tree){label}"
            sample("check -j 1", measure(name, check, tree, captures))
        devices = [arg for name in args.suite_device for arg in ("--device", name)]
        for copies in (1, args.scale):
            scenarios, out = generated_suite(work, copies), work / f"out-x{copies}"
            suite = guideshot("run", "-j", "1", "--scenarios", str(scenarios), "--out", str(out))
            name = f"generated suite ×{copies} (run -j 1)"
            add(f"suite x{copies}", measure(name, [*suite, *devices], work))
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\nratios (medians):")
    ranges = ratio_ranges(samples, args.scale)
    for name, value in ratios(cases, args.scale).items():
        spread = (
            f"  (per repetition {ranges[name][0]:.2f}–{ranges[name][1]:.2f})"
            if name in ranges
            else ""
        )
        print(f"  {name:<62} {value:6.2f}{spread}")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
