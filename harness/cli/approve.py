"""`guideshot approve`: accept the latest captures (from `run` or `check`) as the baselines.

All, one flow, one device or one step; only files whose content changed are rewritten,
approved steps the scenario no longer has are removed (whole-flow approvals only), and
every replacement is printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR
from harness.console import err, fail
from harness.files import write_bytes_atomic
from harness.store import STAGING, read_record


def register(verbs: Any) -> None:
    parser = verbs.add_parser("approve", help="accept the latest captures as the new baselines")
    parser.add_argument(
        "--flow", action="append", default=[], metavar="ID", help="only this flow (repeatable)"
    )
    parser.add_argument(
        "--device",
        action="append",
        default=[],
        metavar="NAME",
        help="only this device (repeatable)",
    )
    parser.add_argument(
        "--step",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="only this step number (with one --flow)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the approved screenshots (default: screenshots)",
    )
    parser.set_defaults(handler=approve_command)


def approve_command(args: argparse.Namespace) -> int:
    return approve(args.baseline, flows=args.flow, devices=args.device, steps=args.step)


def _staged_flows(staging: Path, flows: Sequence[str], devices: Sequence[str]) -> list[Path]:
    folders = sorted(p for p in staging.glob("*/*") if p.is_dir())
    return [
        folder
        for folder in folders
        if (not flows or folder.name in flows) and (not devices or folder.parent.name in devices)
    ]


def _copy_if_changed(source: Path, target: Path) -> bool:
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return False
    write_bytes_atomic(target, data)
    return True


def approve(
    baseline: Path,
    *,
    flows: Sequence[str],
    devices: Sequence[str],
    steps: Sequence[int],
    staging: Path = STAGING,
) -> int:
    if steps and len(flows) != 1:
        fail("--step needs exactly one --flow (step numbers belong to one flow)")
        return USAGE_ERROR
    folders = _staged_flows(staging, flows, devices)
    if not folders:
        wanted = " ".join([*(f"--flow {f}" for f in flows), *(f"--device {d}" for d in devices)])
        fail(
            f"nothing to approve{' for ' + wanted if wanted else ''}: "
            "run `guideshot check` (or `guideshot run`) first"
        )
        return USAGE_ERROR
    replaced = added = removed = 0
    for folder in folders:
        device, flow = folder.parent.name, folder.name
        target_dir = baseline / device / flow
        kept: set[str] = set()
        for record_path in sorted(folder.glob("*.json")):
            record = read_record(record_path)
            if record is None or (steps and record.number not in steps):
                continue
            names = (record.raw_image, record.image, record_path.name)
            kept.update(names)
            existed = (target_dir / record.raw_image).is_file()
            changed = [n for n in names if _copy_if_changed(folder / n, target_dir / n)]
            if changed and existed:
                replaced += 1
                err.print(f"replaced {device}/{flow}/{record.image}", markup=False)
            elif changed:
                added += 1
                err.print(f"added    {device}/{flow}/{record.image}", markup=False)
        if not steps and target_dir.is_dir():
            for stale in sorted(target_dir.iterdir()):
                if stale.is_file() and stale.name not in kept:
                    stale.unlink()
                    removed += 1
                    err.print(f"removed  {device}/{flow}/{stale.name}", markup=False)
    err.print(f"approved: {added} added, {replaced} replaced, {removed} files removed")
    return 0
