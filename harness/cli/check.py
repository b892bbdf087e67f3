"""`guideshot check`: re-run the flows and say, step by step, whether the screens still match.

Never replaces an approved capture: the current captures are staged for `approve`. The one
thing it writes into the baseline is derived data — a passing step's annotated picture drawn
again when the scenario's masks or highlights changed since it was drawn.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from harness.capture.pipeline import Cancelled, describe_error, stage
from harness.capture.recapture import Recapture
from harness.capture.results import FlowResult
from harness.capture.session import Selection, run_session
from harness.capture.shard import Narrowing
from harness.cli.common import (
    USAGE_ERROR,
    add_baseline,
    add_selection,
    load_flows,
    recover_interrupted,
    selection_of,
)
from harness.cli.redraw import redraw_after_check
from harness.console import err, fail
from harness.drift.flow import ReportImages, judge_flow
from harness.drift.groups import group_changes, unshared_sentences
from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus
from harness.report.bundle import bundle_flow
from harness.report.common import STATUS_LABELS, orphan_failure
from harness.report.editions import edition_label
from harness.report.environment_note import environment_notes
from harness.report.failure_screen import keep_failure_screen
from harness.report.folder import ReportAside, ReportFolderError, new_report
from harness.report.merge import write_shard_info
from harness.report.reprint import page_label, place_steps, reprint_lines, video_lines
from harness.scenario import Flow
from harness.store import annotate_captures
from harness.store.layout import staging_root
from harness.store.staging import stage_flow

STATUS_STYLE = {
    StepStatus.MATCH: "green",
    StepStatus.NOISE: "cyan",
    StepStatus.NEW: "yellow",
    StepStatus.ENVIRONMENT: "yellow",
    StepStatus.DRIFT: "red",
    StepStatus.BROKEN: "red",
    StepStatus.REMOVED: "red",
    StepStatus.UNREADABLE: "red",
}


def register(verbs: Any) -> None:
    parser = verbs.add_parser("check", help="re-run the flows and report drift from screenshots/")
    add_selection(parser)
    add_baseline(parser)
    parser.add_argument(
        "--report",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help="where the HTML, JUnit and JSON reports go (default: report)",
    )
    parser.add_argument(
        "--guide",
        type=Path,
        default=Path("guide"),
        metavar="DIR",
        help="the printed editions (<name>-<device>.pdf) whose stale pages are named "
        "(default: guide)",
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
        guide=args.guide,
    )
    return check(options, flows)


@dataclass(frozen=True)
class CheckOptions:
    selection: Selection
    baseline: Path
    report: Path
    guide: Path = Path("guide")
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
            f"[{STATUS_STYLE[status]}]{STATUS_LABELS[status]}[/]",
        )
    return table


def _judge_failed(flow: Flow, result: FlowResult, message: str) -> FlowVerdict:
    return FlowVerdict(
        flow=flow.id,
        device=result.device,
        title=flow.title,
        scenario_file=flow.source.file,
        failure=f"{flow.source}: {message}",
    )


def collect(flows: Sequence[Flow], options: CheckOptions, report_dir: Path) -> CheckReport:
    """Run and judge every selected flow × device (Cancelled on SIGINT/SIGTERM)."""
    by_id = {flow.id: flow for flow in flows}
    images = ReportImages(report_dir)
    recapture = Recapture()  # a second run, only for flows with a pixel-only difference

    def finish(result: FlowResult) -> FlowVerdict:
        flow = by_id[result.flow]
        expected = [step.number for step in flow.numbered if step.number is not None]
        approved = options.baseline / result.device / result.flow
        with stage("annotating"):
            annotated = annotate_captures(result, approved)
        with stage("staging the captures"):
            staged = stage_flow(
                staging_root(options.baseline), result, annotated, approved, expected
            )
        with stage("judging"):
            verdict = judge_flow(
                flow, result, options.baseline, images, again=lambda: recapture.again(result)
            )
            place_steps(verdict, options.guide)
        with stage("writing the report's captures"):
            bundle_flow(report_dir, staged, verdict)
            keep_failure_screen(report_dir, result, verdict)
        return verdict

    def failed(result: FlowResult, message: str) -> FlowVerdict:
        return _judge_failed(by_id[result.flow], result, message)

    def announce(console: Console, result: FlowResult, verdict: FlowVerdict) -> None:
        # Step changes are said once per change after every flow is judged (conclude); a
        # run that stopped before any step could say so is said now.
        failure = orphan_failure(verdict)
        if failure is not None:
            console.print(
                Text.assemble(
                    (f"{result.device} {result.flow}", "red"), " ", failure.splitlines()[0]
                )
            )

    session = run_session(
        options.selection,
        flows,
        label="checking",
        finish=finish,
        failed=failed,
        announce=announce,
        recapture=recapture,
    )
    return CheckReport(
        base_url=session.base_url, flows=[verdict for _, verdict in session.outcomes]
    )


def check(options: CheckOptions, flows: Sequence[Flow]) -> int:
    report_dir = options.report
    baseline = options.baseline.resolve()
    if report_dir.resolve() == baseline or baseline in report_dir.resolve().parents:
        fail(f"--report {report_dir}: choose a folder outside the baseline {options.baseline}")
        return USAGE_ERROR
    # The new report is written aside and switched in whole at the end, so a stale report is
    # never taken for this run's and a failed or stopped run leaves the old one as it was.
    try:
        with new_report(report_dir) as aside:
            return _check_into(aside, options, flows)
    except ReportFolderError as exc:
        fail(str(exc))
        return USAGE_ERROR


def _check_into(aside: ReportAside, options: CheckOptions, flows: Sequence[Flow]) -> int:
    from harness.report import github_annotations, write_reports

    recover_interrupted(options.baseline)
    try:
        report = collect(flows, options, aside.path)
    except Cancelled as stop:
        err.print(
            f"interrupted: {stop.finished} of {stop.total} flow runs were judged; no report was "
            f"written ({options.report} is as it was) and {options.baseline} is untouched"
        )
        return 128 + stop.signum
    redraw_after_check(report, options.baseline)  # approved pictures follow the scenario
    shard = options.narrowing.shard if options.narrowing is not None else None
    try:
        write_reports(report, aside.path)
        if shard is not None and options.narrowing is not None:
            write_shard_info(aside.path, shard.index, shard.count, options.narrowing.planned)
        aside.commit()
    except OSError as exc:
        fail(f"could not write the report: {describe_error(exc)}; {options.report} is as it was")
        return USAGE_ERROR
    if shard is not None:
        err.print(f"shard {shard}: join the shards' --report folders with `guideshot merge`")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(report):
            print(line, flush=True)
    narrowing = options.narrowing
    if not report.flows and narrowing and (narrowing.shard or narrowing.changed_since_approved):
        return _narrowed_to_nothing(narrowing, options.report)
    return conclude(report, options.report / "index.html", guide=options.guide)


def _narrowed_to_nothing(narrowing: Narrowing, report_dir: Path) -> int:
    """--changed or --shard left nothing of a plan that had flows (an empty plan is a usage
    error before anything runs): asked for, said, and clean — not a pass by accident."""
    if narrowing.changed_since_approved is not None:
        err.print(
            "--changed: nothing to check: no scenario or fragment changed since its "
            "screenshots were approved (run `guideshot check` without --changed to check all)"
        )
    else:
        err.print(
            f"--shard {narrowing.shard}: no flow × device falls to this shard (the plan has "
            f"{len(narrowing.planned)}); `guideshot merge` judges the whole plan"
        )
    err.print(f"report: {report_dir / 'index.html'} (empty)", markup=False)
    return 0


def conclude(report: CheckReport, html: Path, *, guide: Path | None = None) -> int:
    """One line per change, the closing table and verdict; the exit status (0 clean, 1 drift).

    A change found on several steps is one line naming them all; what only one step shows
    is said as that step's own sentence, with its pages."""
    groups = group_changes(report)
    for group in groups:
        if len(group.steps) > 1:
            worst = max(group.steps, key=lambda step: _SEVERITY.get(step.status, 1)).status
            err.print(
                Text.assemble(
                    (group.kind, STATUS_STYLE.get(worst, "yellow")),
                    ": ",
                    group.sentence(edition_label),
                    (f" (group {group.id})", "dim"),
                )
            )
    for step in report.steps():
        pages = page_label(step)
        for sentence in unshared_sentences(step, groups):
            err.print(
                Text.assemble(
                    (f"{step.device} {step.flow}", STATUS_STYLE.get(step.status, "yellow")),
                    " ",
                    sentence,
                    (f" ({pages})" if pages else "", "dim"),
                )
            )
    err.print(verdict_table(report))
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items() if n)
    err.print(f"steps: {counts}")
    for note in environment_notes(report):
        err.print(f"note: {note}", markup=False)
    reprint = reprint_lines(report)
    if reprint:
        err.print(f"pages to reprint: {'; '.join(reprint)}", markup=False)
    videos = video_lines(report, guide) if guide is not None else []
    if videos:
        err.print(f"videos to rebuild: {'; '.join(videos)}", markup=False)
    err.print(f"report: {html}", markup=False)
    if report.drift_found:
        err.print("drift found: the guide no longer matches these screens (see the report)")
        return 1
    noise = report.counts()[StepStatus.NOISE.value]
    err.print(
        "no drift: every step matches its approved screenshot"
        + (f" ({noise} with rendering noise only)" if noise else "")
    )
    return 0


# Which of a group's steps colours its line: red before yellow.
_SEVERITY = {status: 2 if style == "red" else 1 for status, style in STATUS_STYLE.items()}
