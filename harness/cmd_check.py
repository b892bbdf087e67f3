"""`guideshot check`: re-run the flows and say, step by step, whether the screens still match.

Never writes to the approved screenshots; the current captures are staged for `approve`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from harness.cmd_run import progress_bar, resolve
from harness.console import err
from harness.judge_flow import ReportImages, judge_flow
from harness.pipeline import execute, plan_jobs
from harness.runner import FlowResult
from harness.scenario import Flow
from harness.store import STAGING, annotated_png, stage_flow
from harness.target import site
from harness.verdict import CheckReport, FlowVerdict, StepStatus

STATUS_STYLE = {
    StepStatus.MATCH: "green",
    StepStatus.NEW: "yellow",
    StepStatus.ENVIRONMENT: "yellow",
    StepStatus.DRIFT: "red",
    StepStatus.BROKEN: "red",
    StepStatus.REMOVED: "red",
}


@dataclass(frozen=True)
class CheckOptions:
    flows: Sequence[str]
    devices: Sequence[str]
    base_url: str | None
    workers: int
    browser_path: str | None
    baseline: Path
    report: Path


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
    selected, devices = resolve(options.flows, options.devices, flows)
    jobs = plan_jobs(selected, devices)
    by_id = {flow.id: flow for flow in selected}
    images = ReportImages(report_dir)

    def finish(result: FlowResult) -> FlowVerdict:
        if result.ok:
            stage_flow(STAGING, result, [annotated_png(c) for c in result.captures])
        return judge_flow(by_id[result.flow], result, options.baseline, images)

    with site(options.base_url) as target, progress_bar() as progress:
        err.print(f"target: {target.describe()}")
        task = progress.add_task("checking", total=len(jobs))

        def advance(result: FlowResult, verdict: FlowVerdict) -> None:
            progress.advance(task)
            for step in verdict.steps:
                for difference in step.differences:
                    progress.console.print(
                        f"[{STATUS_STYLE[step.status]}]{result.device} {result.flow}[/] "
                        f"{difference.sentence}",
                        markup=True,
                    )

        outcomes = execute(
            jobs,
            target,
            workers=options.workers,
            browser_path=options.browser_path,
            finish=finish,
            on_result=advance,
        )
        base_url = target.base_url
    return CheckReport(base_url=base_url, flows=[verdict for _, verdict in outcomes])


def check(options: CheckOptions, flows: Sequence[Flow]) -> int:
    from harness.report import github_annotations, write_reports

    report_dir = options.report
    if report_dir.resolve() == options.baseline.resolve():
        raise ValueError("--report must not be the baseline folder")
    if report_dir.exists():
        shutil.rmtree(report_dir / "images", ignore_errors=True)
    report = collect(flows, options, report_dir)
    paths = write_reports(report, report_dir)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(report):
            print(line, flush=True)
    err.print(verdict_table(report))
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items() if n)
    err.print(f"steps: {counts}")
    err.print(f"report: {paths.html}", markup=False)
    if report.drift_found:
        err.print("drift found: the guide no longer matches these screens (see the report)")
        return 1
    err.print("no drift: every step matches its approved screenshot")
    return 0
