"""Speed and scale, in one run on one machine: the floor, `run` with 1 and 2 workers, an
unchanged `check`, and a generated suite ten times larger — as ratios, printed and written
as JSON. Nothing here is asserted by any test.

Run from the project root:  .venv/bin/python benchmarks/speed.py [--scale 10] [--json PATH]

Every case is a fresh process of the real CLI (or of benchmarks/floor.py), timed from start
to exit, so start-up, the simulator and the browser launch count as a user pays them; its
peak memory is the process's own maximum resident set (the browser's is not included).
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


def measure(name: str, command: list[str], cwd: Path, captures: int | None = None) -> Case:
    """Run `command` to its end; its wall time, and its own peak RSS from os.wait4."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
    if captures is None:
        found = CAPTURES.search(output) or re.search(r'"captures": (\d+)', output)
        captures = int(found.group(1)) if found else 0
    peak = usage.ru_maxrss / 1024  # kB on Linux
    if process.returncode not in (0, 1):
        print(output[-3000:], file=sys.stderr)
        raise SystemExit(f"benchmark case {name!r} exited {process.returncode}")
    case = Case(name, seconds, captures, peak, process.returncode)
    print(
        f"  {name:<34} {seconds:8.1f} s  {case.per_capture_ms:7.0f} ms/capture  "
        f"{captures:5d} captures  peak {peak:6.0f} MB  exit {process.returncode}",
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
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "speed.json")
    args = parser.parse_args()
    info = machine()
    print(f"machine: {info}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="guideshot-bench-"))
    cases: dict[str, Case] = {}
    try:
        tree = work / "tree"
        shutil.copytree(ROOT / "screenshots", tree / "screenshots")
        shutil.copytree(ROOT / "scenarios", tree / "scenarios")
        cases["floor"] = measure(
            "floor (plain Playwright)", [PYTHON, str(ROOT / "benchmarks" / "floor.py")], tree
        )
        for workers in (1, 2):
            cases[f"run -j {workers}"] = measure(
                f"run -j {workers} (unchanged tree)", guideshot("run", "-j", str(workers)), tree
            )
        check_captures = cases["run -j 1"].captures
        cases["check -j 1"] = measure(
            "check -j 1 (unchanged tree)", guideshot("check", "-j", "1"), tree, check_captures
        )
        for copies in (1, args.scale):
            scenarios = generated_suite(work, copies)
            out = work / f"out-x{copies}"
            cases[f"suite x{copies}"] = measure(
                f"generated suite ×{copies} (run -j 1)",
                guideshot(
                    "run",
                    "-j",
                    "1",
                    "--scenarios",
                    str(scenarios),
                    "--out",
                    str(out),
                    *(arg for name in args.suite_device for arg in ("--device", name)),
                ),
                work,
            )
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    floor, one, two = cases["floor"], cases["run -j 1"], cases["run -j 2"]
    small, large = cases["suite x1"], cases[f"suite x{args.scale}"]
    ratios = {
        "harness per capture / floor per capture (-j 1)": one.per_capture_ms / floor.per_capture_ms,
        "run -j 1 time / run -j 2 time (speed-up)": one.seconds / two.seconds,
        "check time / run time (-j 1, unchanged)": cases["check -j 1"].seconds / one.seconds,
        f"suite ×{args.scale} time / suite ×1 time": large.seconds / small.seconds,
        f"suite ×{args.scale} peak memory / suite ×1 peak memory": large.peak_mb / small.peak_mb,
    }
    print("\nratios:")
    for name, value in ratios.items():
        print(f"  {name:<58} {value:6.2f}")
    document = {
        "machine": info,
        "cases": {
            key: {**asdict(c), "per_capture_ms": c.per_capture_ms} for key, c in cases.items()
        },
        "ratios": ratios,
        "suite_devices": args.suite_device or ["android", "iphone"],
    }
    args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
