"""Every benchmark in one go: `make bench` (or .venv/bin/python benchmarks/run.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("pixel_diff.py", "pipeline.py", "operations.py", "speed.py", "cores.py")


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        status |= subprocess.run([sys.executable, str(HERE / name)], check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
