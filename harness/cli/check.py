"""`guideshot check`: re-run the flows and say, step by step, whether the screens still match.

Never writes to the approved screenshots; the current captures are staged for `approve`.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.cli.common import USAGE_ERROR, add_selection, load_flows, selection_of
from harness.console import err, fail
from harness.judge_flow import ReportImages, judge_flow
from harness.merge import PARTIAL_FILE, write_shard_info
from harness.runner import FlowResult
from harness.scenario import Flow
from harness.session import Selection, run_session
from harness.shard import Narrowing
from harness.store import STAGING, annotated_png, stage_flow
from harness.verdict import CheckReport, FlowVerdict, StepStatus

STATUS_STYLE = {
    StepStatus.MATCH: "green",
    StepStatus.NEW: "yellow",
    StepStatus.ENVIRONMENT: "yellow",
    StepStatus.DRIFT: "red",
    StepStatus.BROKEN: "red",
    StepStatus.REMOVED: "red",
}


def register(verbs: Any) -> None:
    parser = verbs.add_parser("check", help="re-run the flows and report drift from screenshots/")
    add_selection(parser)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="the approved screenshots (default: screenshots)",
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help="where the HTML, JUnit and JSON reports go (default: report)",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="only flows whose scenario or fragments changed since their screenshots were "
        "approved (git); for quick local iteration, CI checks everything",
    )
    parser.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace) -> int:
    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    narrowing = Narrowing(changed_since_approved=args.baseline if args.changed else None)
    options = CheckOptions(
        selection=selection_of(args, narrowing),
        baseline=args.baseline,
        report=args.report,
        narrowing=narrowing,
    )
    return check(options, flows)


@dataclass(frozen=True)
class CheckOptions:
    selection: Selection
    baseline: Path
    report: Path
    narrowing: Narrowing | None = None  # --shard / --changed, and the plan before them


def verdict_table(report: CheckReport) -> Table:
    table = Table(title="guideshot check", title_justify="left")
    for column in ("flow", "device", "steps", "verdict"):
        table.add_column(column)
    for flow in report.flows:
        status = flow.status
        table.add_row(
            flow.flow,
            flow.device,
            str(len(flow.steps)),
            f"[{STATUS_STYLE[status]}]{status.value}[/]",
        )
    return table


def collect(flows: Sequence[Flow], options: CheckOptions, report_dir: Path) -> CheckReport:
    """Run and judge every selected flow × device."""
    by_id = {flow.id: flow for flow in flows}
    images = ReportImages(report_dir)

    def finish(result: FlowResult) -> FlowVerdict:
        if result.ok:
            stage_flow(STAGING, result, [annotated_png(c) for c in result.captures])
        return judge_flow(by_id[result.flow], result, options.baseline, images)

    def announce(console: Console, result: FlowResult, verdict: FlowVerdict) -> None:
        for step in verdict.steps:
            for difference in step.differences:
                console.print(
                    f"[{STATUS_STYLE[step.status]}]{result.device} {result.flow}[/] "
                    f"{difference.sentence}"
                )

    session = run_session(
        options.selection, flows, label="checking", finish=finish, announce=announce
    )
    return CheckReport(
        base_url=session.base_url, flows=[verdict for _, verdict in session.outcomes]
    )


def check(options: CheckOptions, flows: Sequence[Flow]) -> int:
    from harness.report import github_annotations, write_reports

    report_dir = options.report
    baseline = options.baseline.resolve()
    if report_dir.resolve() == baseline or baseline in report_dir.resolve().parents:
        fail(f"--report {report_dir}: choose a folder outside the baseline {options.baseline}")
        return USAGE_ERROR
    if report_dir.exists():
        shutil.rmtree(report_dir / "images", ignore_errors=True)
    report = collect(flows, options, report_dir)
    paths = write_reports(report, report_dir)
    shard = options.narrowing.shard if options.narrowing is not None else None
    if shard is not None and options.narrowing is not None:
        write_shard_info(report_dir, shard.index, shard.count, options.narrowing.planned)
        err.print(f"shard {shard}: join the shards' --report folders with `guideshot merge`")
    else:  # an unsharded report must not pass for a shard's partial result
        (report_dir / PARTIAL_FILE).unlink(missing_ok=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(report):
            print(line, flush=True)
    if not report.flows and options.narrowing and options.narrowing.changed_since_approved:
        err.print("--changed: no scenario or fragment changed since its screenshots were approved")
    return conclude(report, paths.html)


def conclude(report: CheckReport, html: Path) -> int:
    """The closing table and verdict; the exit status (0 clean, 1 drift)."""
    err.print(verdict_table(report))
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items() if n)
    err.print(f"steps: {counts}")
    err.print(f"report: {html}", markup=False)
    if report.drift_found:
        err.print("drift found: the guide no longer matches these screens (see the report)")
        return 1
    err.print("no drift: every step matches its approved screenshot")
    return 0
