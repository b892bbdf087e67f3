"""How many cores one worker keeps busy, and so the most a second worker can gain here.

Run from the project root:  .venv/bin/python benchmarks/cores.py [--json PATH]

Runs the floor (benchmarks/floor.py), the walkthrough floor (benchmarks/walkthrough.py) and
`guideshot run -j 1` on an unchanged copy of the tree, one after the other, each a fresh
process whose CPU and its descendants' (driver, browsers) is sampled from /proc. With c
cores busy at one worker, n workers on n cores finish at most n / c times sooner: the CPU
work does not shrink when it is spread. Nothing is asserted. Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.proc_cpu import CpuSampler  # noqa: E402
from benchmarks.speed import captures_in  # noqa: E402

PYTHON = sys.executable


@dataclass(frozen=True)
class Busy:
    name: str
    wall_s: float
    cpu_s: float
    captures: int
    cpu_by_process: dict[str, float]

    @property
    def cpu_ms_per_capture(self) -> float:
        return self.cpu_s / max(self.captures, 1) * 1000

    @property
    def cores(self) -> float:
        return self.cpu_s / self.wall_s

    def ceiling(self, cores: int) -> float:
        """The most `cores` workers can gain over one: all cores busy, the CPU work the same."""
        return cores / self.cores


def busy(name: str, command: list[str], cwd: Path) -> Busy:
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        with CpuSampler(process.pid, interval=0.05) as sampler:
            status = process.wait()
        wall = time.perf_counter() - started
        log.seek(0)
        output = log.read().decode("utf-8", errors="replace")
        if status not in (0, 1):  # 1: `run` found drift, and still measured every capture
            print(output[-3000:], file=sys.stderr)
            raise SystemExit(f"{name} exited {status}")
    totals = sampler.totals()
    found = Busy(name, wall, sum(totals.values()), captures_in(output), totals)
    print(
        f"  {name:<38} wall {wall:6.1f} s  CPU {found.cpu_s:6.1f} s  "
        f"{found.cores:4.2f} cores busy  {found.cpu_ms_per_capture:5.0f} CPU ms/capture  "
        f"-j 2 at most {found.ceiling(2):4.2f}×",
        flush=True,
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "cores.json")
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    print(f"{cpus} cores; load average at start {os.getloadavg()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="guideshot-cores-"))
    try:
        tree = work / "tree"
        shutil.copytree(ROOT / "screenshots", tree / "screenshots")
        shutil.copytree(ROOT / "scenarios", tree / "scenarios")
        guideshot = [PYTHON, "-m", "harness", "run", "-j", "1"]
        cases = [
            busy("floor (plain Playwright)", [PYTHON, str(ROOT / "benchmarks" / "floor.py")], tree),
            busy(
                "walkthrough floor (actions + PNG)",
                [PYTHON, str(ROOT / "benchmarks" / "walkthrough.py")],
                tree,
            ),
            busy("run -j 1 (unchanged tree)", guideshot, tree),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    document = {
        "cpus": cpus,
        "cases": [
            {**asdict(case), "cores": case.cores, "ceiling_j2": case.ceiling(2)} for case in cases
        ],
    }
    args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
