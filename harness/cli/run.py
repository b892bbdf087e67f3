"""`guideshot run`: every flow on every device, captures written and annotated."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.cli.common import USAGE_ERROR, add_selection, load_flows, selection_of
from harness.console import err
from harness.runner import FlowResult
from harness.scenario import Flow
from harness.session import Selection, run_session
from harness.store import (
    FAILURES,
    STAGING,
    Outcome,
    WriteSummary,
    annotated_png,
    publish_flow,
    stage_flow,
    write_failure,
)


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


def results_table(results: Sequence[FlowResult], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("flow", "device", "steps", "result", "time"):
        table.add_column(column, justify="right" if column in ("steps", "time") else "left")
    for result in results:
        verdict = "[green]ok[/]" if result.ok else "[red]failed[/]"
        table.add_row(
            result.flow, result.device, str(len(result.captures)), verdict, f"{result.seconds:.1f}s"
        )
    return table


def run(options: RunOptions, all_flows: Sequence[Flow]) -> int:
    summary = WriteSummary()

    def finish(result: FlowResult) -> Path | None:
        if not result.ok:
            return write_failure(FAILURES, result)
        annotated = [annotated_png(capture) for capture in result.captures]
        stage_flow(STAGING, result, annotated)
        publish_flow(options.out, result, annotated, summary)
        return None

    def announce(console: Console, result: FlowResult, failure_shot: Path | None) -> None:
        if result.failure is None:
            return
        console.print(f"[red]✗ {result.flow} on {result.device}[/]")
        console.print(result.failure.describe(), markup=False)
        if failure_shot is not None:
            console.print(f"  screen when it failed: {failure_shot}", markup=False)

    session = run_session(
        options.selection, all_flows, label="flows", finish=finish, announce=announce
    )
    results = [result for result, _ in session.outcomes]
    err.print(results_table(results, f"guideshot run → {options.out}"))
    failed = [r for r in results if not r.ok]
    captures = sum(len(r.captures) for r in results)
    err.print(
        f"{captures} captures: {summary.count(Outcome.NEW)} new, "
        f"{summary.count(Outcome.UNCHANGED)} unchanged, {summary.count(Outcome.CHANGED)} changed"
        f"; {len(failed)} of {len(results)} flows failed"
    )
    if summary.count(Outcome.CHANGED):
        err.print(
            f"{summary.count(Outcome.CHANGED)} screens differ from the approved screenshots and "
            "were not replaced: review them with `guideshot check`, accept them with "
            "`guideshot approve`",
            markup=False,
        )
    return 1 if failed else 0
