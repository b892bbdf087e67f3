"""`guideshot approve`: accept the latest captures (from `run` or `check`) as the baselines.

All, one flow, one device or one step; from this machine's latest run or, with `--from`,
from a report folder or zip (a CI's), where `--group ID` takes the steps of one change (the
id `check` prints beside a change found on several steps). Everything is checked first (a
failed, incomplete, stale or foreign-environment set is refused in one line and nothing
changes), then each step's files are switched together, every replacement is printed, and
the guide editions the approval made stale are named.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from harness.cli.common import USAGE_ERROR, add_baseline, recover_interrupted
from harness.cli.options import positive
from harness.cli.zip_limits import add_zip_limits, zip_limits_of
from harness.console import err, fail
from harness.drift.groups import GroupProblem, find_group, group_changes, steps_by_flow
from harness.report.bundle import captures_root
from harness.report.editions import stale_editions
from harness.report.environment_check import foreign_environments
from harness.report.source import NotAReport, discard, open_report
from harness.report.unzip import LimitError, ZipLimits
from harness.store.approve import carry_out, plan_approval
from harness.store.layout import staging_root, work_root
from harness.store.lock import LockProblem, baseline_lock
from harness.store.staging import StagingProblem, staged_folders
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
        type=positive,
        action="append",
        default=[],
        metavar="N",
        help="only this step number (with one --flow)",
    )
    add_baseline(parser)
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="REPORT",
        help="approve the captures a report carries (the report folder or its zip)",
    )
    parser.add_argument(
        "--group",
        metavar="ID",
        help="with --from: only the steps of this change (the id `check` prints beside it)",
    )
    parser.add_argument(
        "--accept-environment",
        action="store_true",
        help="with --from: accept captures made in another rendering environment",
    )
    add_zip_limits(parser)
    parser.set_defaults(handler=approve_command)


def approve_command(args: argparse.Namespace) -> int:
    try:
        limits = zip_limits_of(args)
    except LimitError as exc:
        fail(str(exc))
        return USAGE_ERROR
    return approve(
        args.baseline,
        flows=args.flow,
        devices=args.device,
        steps=args.step,
        source=args.source,
        accept_environment=args.accept_environment,
        limits=limits,
        group=args.group,
    )


def approve(
    baseline: Path,
    *,
    flows: Sequence[str],
    devices: Sequence[str],
    steps: Sequence[int],
    source: Path | None = None,
    accept_environment: bool = False,
    limits: ZipLimits | None = None,
    group: str | None = None,
) -> int:
    if group is not None and source is None:
        fail("--group needs --from REPORT (a change's steps are read from the report)")
        return USAGE_ERROR
    if group is not None and (flows or devices or steps):
        fail("--group names its own steps: leave out --flow, --device and --step")
        return USAGE_ERROR
    if steps and len(flows) != 1:
        fail("--step needs exactly one --flow (step numbers belong to one flow)")
        return USAGE_ERROR
    if source is None and not work_root(baseline).is_dir():
        # Nothing was ever staged here and nothing can need recovery: say so without
        # creating the working folder (and its lock) beside someone's screenshots.
        fail(
            f"nothing to approve{_wanted(flows, devices)}: "
            "run `guideshot check` (or `guideshot run`) first"
        )
        return USAGE_ERROR
    # One critical section: what planning checks (staleness) is what the switch replaces.
    try:
        with baseline_lock(baseline, "approve"):
            recover_interrupted(baseline)
            return _approve(
                baseline, flows, devices, steps, source, accept_environment, limits, group
            )
    except LockProblem as exc:
        fail(str(exc))
        return USAGE_ERROR


def _approve(
    baseline: Path,
    flows: Sequence[str],
    devices: Sequence[str],
    steps: Sequence[int],
    source: Path | None,
    accept_environment: bool,
    limits: ZipLimits | None,
    group: str | None = None,
) -> int:
    if source is None:
        return approve_staged(baseline, staging_root(baseline), flows, devices, steps)
    scratch = work_root(baseline)
    try:
        folder, report = open_report(source, scratch, limits)
    except NotAReport as exc:
        fail(str(exc))
        return USAGE_ERROR
    try:
        members = None
        if group is not None:
            try:
                members = steps_by_flow(find_group(group_changes(report), group))
            except GroupProblem as exc:
                fail(f"--from {source}: {exc}")
                return USAGE_ERROR
            flows = sorted({flow for _device, flow in members})
            devices = sorted({device for device, _flow in members})
        if not accept_environment:
            chosen = staged_folders(captures_root(folder), flows, devices)  # checked already
            foreign = foreign_environments(chosen, baseline)
            if foreign:
                for line in foreign:
                    fail(line)
                err.print("nothing was approved")
                return USAGE_ERROR
        return approve_staged(
            baseline, captures_root(folder), flows, devices, steps, source, members
        )
    finally:
        discard(folder, scratch)


def approve_staged(
    baseline: Path,
    root: Path,
    flows: Sequence[str],
    devices: Sequence[str],
    steps: Sequence[int],
    source: Path | None = None,
    chosen: Mapping[tuple[str, str], Sequence[int]] | None = None,
) -> int:
    """Plan from staged flows under `root` (local staging or a report's captures), apply;
    `chosen`: only these steps of these (device, flow)s (a group's)."""
    try:
        folders = staged_folders(root, flows, devices)
    except StagingProblem as exc:
        fail(f"{exc}; nothing was approved")
        return USAGE_ERROR
    if source is not None and not folders:
        fail(f"--from {source}: the report carries no captures to approve{_wanted(flows, devices)}")
        return USAGE_ERROR
    if not folders:
        fail(
            f"nothing to approve{_wanted(flows, devices)}: "
            "run `guideshot check` (or `guideshot run`) first"
        )
        return USAGE_ERROR
    if chosen is not None:
        folders = [f for f in folders if (f.parent.name, f.name) in chosen]
        if not folders:
            fail(f"--from {source}: the report carries no captures of this group's steps")
            return USAGE_ERROR
    plan = plan_approval(folders, baseline, steps, chosen)
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
    for line in stale_editions(step.folder.parent.name for step in applied.done):
        err.print(line, markup=False)
    return 0


def _wanted(flows: Sequence[str], devices: Sequence[str]) -> str:
    wanted = " ".join([*(f"--flow {f}" for f in flows), *(f"--device {d}" for d in devices)])
    return f" for {wanted}" if wanted else ""
