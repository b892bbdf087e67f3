"""Folder names: guideshot's working files live beside the baseline they belong to."""

from __future__ import annotations

from pathlib import Path

WORK_DIR = ".guideshot"


def work_root(baseline: Path) -> Path:
    """`.guideshot/` in the baseline's parent: the same file system as the baseline (so a
    rename into it is atomic), and never the working folder of an unrelated `--out`."""
    return baseline.resolve().parent / WORK_DIR


def staging_root(baseline: Path) -> Path:
    return work_root(baseline) / "current"


def failures_root(baseline: Path) -> Path:
    return work_root(baseline) / "failures"


def flow_dir(root: Path, device: str, flow: str) -> Path:
    return root / device / flow


def step_prefix(number: int) -> str:
    return f"{number:02d}-"
