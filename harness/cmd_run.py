"""`guideshot run`: every flow on every device, captures written and annotated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.console import err
from harness.devices import DeviceProfile
from harness.pipeline import Job, execute, plan_jobs
from harness.runner import FlowResult
from harness.scenario import Flow
from harness.selection import select_devices, select_flows
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
from harness.target import site


@dataclass(frozen=True)
class RunOptions:
    flows: Sequence[str]
    devices: Sequence[str]
    base_url: str | None
    out: Path
    workers: int
    browser_path: str | None
    scenarios: Path


def resolve(
    flow_names: Sequence[str], device_names: Sequence[str], all_flows: Sequence[Flow]
) -> tuple[list[Flow], list[DeviceProfile]]:
    """The selected flows and device profiles (unknown names raise SelectionError)."""
    flows = select_flows(all_flows, flow_names)
    with sync_playwright() as playwright:
        devices = select_devices(playwright, device_names)
    return flows, devices


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


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
    flows, devices = resolve(options.flows, options.devices, all_flows)
    jobs: list[Job] = plan_jobs(flows, devices)
    summary = WriteSummary()

    def finish(result: FlowResult) -> Path | None:
        if not result.ok:
            return write_failure(FAILURES, result)
        annotated = [annotated_png(capture) for capture in result.captures]
        stage_flow(STAGING, result, annotated)
        publish_flow(options.out, result, annotated, summary)
        return None

    with site(options.base_url) as target, progress_bar() as progress:
        err.print(f"target: {target.describe()}")
        task = progress.add_task("flows", total=len(jobs))

        def advance(result: FlowResult, failure_shot: Path | None) -> None:
            progress.advance(task)
            if result.failure is not None:
                progress.console.print(f"[red]✗ {result.flow} on {result.device}[/]")
                progress.console.print(result.failure.describe(), markup=False)
                if failure_shot is not None:
                    progress.console.print(f"  screen when it failed: {failure_shot}", markup=False)

        outcomes = execute(
            jobs,
            target,
            workers=options.workers,
            browser_path=options.browser_path,
            finish=finish,
            on_result=advance,
        )
    results = [result for result, _ in outcomes]
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
