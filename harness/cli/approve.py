"""`guideshot approve`: accept the latest captures (from `run` or `check`) as the baselines.

All, one flow, one device or one step. Everything is checked first (a failed, incomplete
or stale staging is refused in one line and nothing changes), then each step's files are
switched together, and every replacement is printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, recover_interrupted
from harness.console import err, fail
from harness.store.approve import carry_out, plan_approval
from harness.store.layout import staging_root, work_root
from harness.store.staging import staged_folders
from harness.store.switch import StepSwitch, SwitchError


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


def approve(
    baseline: Path,
    *,
    flows: Sequence[str],
    devices: Sequence[str],
    steps: Sequence[int],
) -> int:
    if steps and len(flows) != 1:
        fail("--step needs exactly one --flow (step numbers belong to one flow)")
        return USAGE_ERROR
    recover_interrupted(baseline)
    folders = staged_folders(staging_root(baseline), flows, devices)
    if not folders:
        wanted = " ".join([*(f"--flow {f}" for f in flows), *(f"--device {d}" for d in devices)])
        fail(
            f"nothing to approve{' for ' + wanted if wanted else ''}: "
            "run `guideshot check` (or `guideshot run`) first"
        )
        return USAGE_ERROR
    plan = plan_approval(folders, baseline, steps)
    if plan.problems:
        for problem in plan.problems:
            fail(problem)
        err.print("nothing was approved; approve the other flows with --flow, or run check again")
        return USAGE_ERROR

    def done(step: StepSwitch) -> None:
        err.print(f"{plan.kinds[step.label]:8} {step.label}", markup=False)

    try:
        applied = carry_out(plan, work_root(baseline), done)
    except SwitchError as exc:
        fail(f"{exc}; nothing was approved, {baseline} is as it was")
        return USAGE_ERROR
    counts = {kind: 0 for kind in ("added", "replaced", "removed")}
    for step in applied.done:
        counts[plan.kinds[step.label]] += 1
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    if applied.signum is not None:
        err.print(
            f"interrupted: {len(applied.done)} of {len(plan.switches)} steps approved ({summary}); "
            f"not approved: {', '.join(step.label for step in applied.not_done)}",
            markup=False,
        )
        return 128 + applied.signum
    err.print(f"approved: {summary}")
    return 0
