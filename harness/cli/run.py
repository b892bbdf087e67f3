"""`guideshot run`: every flow on every device, captures written and annotated."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.capture.pipeline import Cancelled, stage
from harness.capture.recapture import Recapture
from harness.capture.results import FlowResult
from harness.capture.session import Selection, run_session
from harness.cli.common import (
    USAGE_ERROR,
    add_selection,
    load_flows,
    recover_interrupted,
    selection_of,
)
from harness.cli.redraw import same_screens, say
from harness.console import err, fail
from harness.scenario import Flow
from harness.store import (
    Outcome,
    WriteSummary,
    annotate_captures,
    failures_root,
    work_root,
)
from harness.store.captures import publish_flow, write_failure
from harness.store.derived import Redraw, rederive_flow
from harness.store.layout import staging_root
from harness.store.lock import LockProblem, baseline_lock
from harness.store.staging import stage_flow


def register(verbs: Any) -> None:
    parser = verbs.add_parser("run", help="run every flow on every device and write screenshots/")
    add_selection(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="write captures here (default: screenshots)",
    )
    parser.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    flows = load_flows(args.scenarios)
    if flows is None:
        return USAGE_ERROR
    return run(RunOptions(selection=selection_of(args), out=args.out), flows)


@dataclass(frozen=True)
class RunOptions:
    selection: Selection
    out: Path


@dataclass(frozen=True)
class Written:
    """What `finish` did with one flow × device: the failure screen, or why writing failed."""

    failure_shot: Path | None = None
    error: str | None = None
    redraw: Redraw | None = None  # the approved pictures re-drawn for the scenario


def results_table(rows: Sequence[tuple[FlowResult, Written]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("flow", "device", "steps", "result", "time"):
        table.add_column(column, justify="right" if column in ("steps", "time") else "left")
    for result, written in rows:
        verdict = "[green]ok[/]" if result.ok and written.error is None else "[red]failed[/]"
        table.add_row(
            result.flow, result.device, str(len(result.captures)), verdict, f"{result.seconds:.1f}s"
        )
    return table


def run(options: RunOptions, all_flows: Sequence[Flow]) -> int:
    # Each flow is published under the baseline lock (publish_flow); here only recovery.
    try:
        with baseline_lock(options.out, "run"):
            recover_interrupted(options.out)
    except LockProblem as exc:
        fail(str(exc))
        return USAGE_ERROR
    summary = WriteSummary()
    by_id = {flow.id: flow for flow in all_flows}
    work = work_root(options.out)
    recapture = Recapture()  # a second run, only for flows with a pixel-only difference

    def finish(result: FlowResult) -> Written:
        flow = by_id[result.flow]
        expected = [step.number for step in flow.numbered if step.number is not None]
        approved = options.out / result.device / result.flow
        with stage("annotating"):
            annotated = annotate_captures(result, approved)
        with stage("staging the captures"):
            stage_flow(staging_root(options.out), result, annotated, approved, expected)
        if not result.ok:
            with stage("keeping the failed screen"):
                return Written(failure_shot=write_failure(failures_root(options.out), result))
        with stage("judging"):
            same = same_screens(flow, result, options.out, again=lambda: recapture.again(result))
        with stage(f"writing {options.out}"):
            publish_flow(options.out, work, result, annotated, summary, same)
        with stage("re-drawing the approved pictures"):
            current = {c.record.number: c.record for c in result.captures}
            redraw = rederive_flow(
                options.out, result.device, result.flow, current, action="run", steps=same
            )
        return Written(redraw=redraw)

    def failed(_result: FlowResult, message: str) -> Written:
        return Written(error=message)

    def announce(console: Console, result: FlowResult, written: Written) -> None:
        if written.redraw is not None:
            say(written.redraw, console)
        if result.failure is None and written.error is None:
            return
        console.print(f"[red]✗ {result.flow} on {result.device}[/]")
        if result.failure is not None:
            console.print(result.failure.describe(), markup=False)
        if written.error is not None:
            console.print(f"  {written.error}", markup=False)
        if written.failure_shot is not None:
            console.print(f"  screen when it failed: {written.failure_shot}", markup=False)
            trace = written.failure_shot.parent / "trace.zip"
            if trace.is_file():
                console.print(f"  what happened: playwright show-trace {trace}", markup=False)

    try:
        session = run_session(
            options.selection,
            all_flows,
            label="flows",
            finish=finish,
            failed=failed,
            announce=announce,
            recapture=recapture,
        )
    except Cancelled as stop:
        err.print(
            f"interrupted: {stop.finished} of {stop.total} flow runs finished and were written; "
            "the others were not run. Every step in screenshots/ is complete (old or new)."
        )
        return 128 + stop.signum
    rows = session.outcomes
    err.print(results_table(rows, f"guideshot run → {options.out}"))
    failed_rows = [r for r, w in rows if not r.ok or w.error is not None]
    captures = sum(len(r.captures) for r, _ in rows)
    unreadable = summary.count(Outcome.UNREADABLE)
    err.print(
        f"{captures} captures: {summary.count(Outcome.NEW)} new, "
        f"{summary.count(Outcome.UNCHANGED)} unchanged, {summary.count(Outcome.CHANGED)} changed"
        + (f", {unreadable} with an unreadable baseline" if unreadable else "")
        + f"; {len(failed_rows)} of {len(rows)} flows failed"
    )
    for where in summary.outcomes[Outcome.UNREADABLE]:
        err.print(
            f"baseline unreadable: {options.out}/{where} (or its .raw.png/.json) is damaged or "
            "does not match its record; it was left as it is: restore it from git or approve",
            markup=False,
        )
    if summary.count(Outcome.CHANGED):
        err.print(
            f"{summary.count(Outcome.CHANGED)} screens differ from the approved screenshots and "
            "were not replaced: review them with `guideshot check`, accept them with "
            "`guideshot approve`",
            markup=False,
        )
    return 1 if failed_rows or unreadable else 0
