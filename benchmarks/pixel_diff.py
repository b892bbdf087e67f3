"""Benchmark: harness.drift.diff.pixelmatch against the pure-Python `pixelmatch` package.

Run from the project root:  .venv/bin/python benchmarks/pixel_diff.py [--repeat 5]

Everything is measured in one run on generated 1170×1992 screens (an iPhone-sized capture):
identical, a small change (a button label) and a large change (colours of most of the
screen). Speed is reported as ratios against the baseline measured in the same run, so the
numbers stay comparable across machines. No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.drift.diff import pixelmatch

WIDTH, HEIGHT = 1170, 1992
Rgba = NDArray[np.uint8]


def screen(label: str = "Log in", button: str = "#0066cc", page: str = "#ffffff") -> Rgba:
    """A plain phone screen: header, a few lines of text, one big button."""
    img = Image.new("RGBA", (WIDTH, HEIGHT), page)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, WIDTH - 1, 139), fill="#00468c")
    draw.text((60, 40), "Nenkin Net", font=ImageFont.load_default(size=56), fill="white")
    body = ImageFont.load_default(size=44)
    for i in range(12):
        draw.text(
            (60, 220 + i * 60), f"Line {i}: check your pension records", font=body, fill="#222"
        )
    draw.rounded_rectangle((160, 1100, 1009, 1259), radius=40, fill=button)
    draw.text((470, 1140), label, font=ImageFont.load_default(size=60), fill="white")
    return np.asarray(img, dtype=np.uint8).copy()


def pairs() -> dict[str, tuple[Rgba, Rgba]]:
    base = screen()
    return {
        "identical": (base, base.copy()),
        "small change (label)": (base, screen(label="Sign in")),
        "large change (colours)": (base, screen(button="#cc0000", page="#e0e0e0")),
    }


@dataclass
class Timing:
    seconds: float
    mismatched: int


def timed(fn: Callable[[Rgba, Rgba], int], a: Rgba, b: Rgba, repeat: int) -> Timing:
    runs: list[float] = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = fn(a, b)
        runs.append(time.perf_counter() - start)
    return Timing(statistics.median(runs), count)


def baseline() -> Callable[[Rgba, Rgba], int] | None:
    """The pure-Python package, if installed (it is not a project dependency)."""
    try:
        core = importlib.import_module("pixelmatch.core")
    except ImportError:
        return None

    def run(a: Rgba, b: Rgba) -> int:
        count: int = core.pixelmatch(a.tobytes(), b.tobytes(), WIDTH, HEIGHT, None)
        return count

    return run


def ours(output: bool) -> Callable[[Rgba, Rgba], int]:
    return lambda a, b: pixelmatch(a, b, output=output).mismatched


def package_size(dist: str) -> str:
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
    paths = [Path(str(f.locate())) for f in files]
    size = sum(p.stat().st_size for p in paths if p.is_file())
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def _cell(t: Timing) -> str:
    return f"{t.seconds * 1000:.1f} ms ({t.mismatched} px)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of the slow baseline")
    args = parser.parse_args()
    cases = pairs()
    a, b = cases["small change (label)"]
    first = timed(ours(True), a, b, 1)  # the process's very first call: cold caches
    base = baseline()
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, {WIDTH}x{HEIGHT} RGBA")
    print(f"first call (small change, with diff image): {first.seconds * 1000:.1f} ms")
    if base is None:
        print("baseline skipped: `pip install pixelmatch` (pure Python) to measure it")
    print()
    print("| pair | baseline (pure Python) | numpy, count | ratio | numpy, count + diff image |")
    print("| --- | --- | --- | --- | --- |")
    for name, (a, b) in cases.items():
        bare = timed(ours(False), a, b, args.repeat)
        drawn = timed(ours(True), a, b, args.repeat)
        ref = timed(base, a, b, args.baseline_repeat) if base else None
        ratio = f"{ref.seconds / bare.seconds:.1f}× faster" if ref else "n/a"
        cells = [name, _cell(ref) if ref else "skipped", _cell(bare), ratio, _cell(drawn)]
        print("| " + " | ".join(cells) + " |")
    print("\n(the baseline is timed without an output image: drawing one in pure Python")
    print(" would only widen the gap; the last column shows what drawing costs numpy)")
    print("\ninstall size (site-packages):")
    print(f"  pixelmatch (pure Python): {package_size('pixelmatch')}")
    print(f"  numpy: {package_size('numpy')} (already a project dependency: adds nothing)")


if __name__ == "__main__":
    main()
