"""What `run` and `check` share: choose flows and devices, start the site, run the jobs
with a progress bar, and hand each result to the verb's own `finish`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness.console import err
from harness.devices import DeviceProfile
from harness.pipeline import Job, execute, plan_jobs
from harness.runner import FlowResult
from harness.scenario import Flow
from harness.selection import select_devices, select_flows
from harness.target import site

T = TypeVar("T")


@dataclass(frozen=True)
class Selection:
    """--flow, --device, --base-url, -j and --browser-path, as given."""

    flows: Sequence[str]
    devices: Sequence[str]
    base_url: str | None
    workers: int
    browser_path: str | None
    connect: str | None = None  # ws://… of a Playwright browser server
    narrow: Callable[[list[Job]], list[Job]] | None = None  # --changed, --shard


@dataclass(frozen=True)
class SessionResult(Generic[T]):
    base_url: str
    flows: list[Flow]
    outcomes: list[tuple[FlowResult, T]]  # in plan order


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


def run_session(
    selection: Selection,
    all_flows: Sequence[Flow],
    *,
    label: str,
    finish: Callable[[FlowResult], T],
    announce: Callable[[Console, FlowResult, T], None],
) -> SessionResult[T]:
    """Run every selected flow × device; `finish` runs off the capture threads and
    `announce` prints what a person should see as each job completes."""
    flows, devices = resolve(selection.flows, selection.devices, all_flows)
    jobs = plan_jobs(flows, devices)
    if selection.narrow is not None:
        jobs = selection.narrow(jobs)
    with site(selection.base_url) as target, progress_bar() as progress:
        err.print(f"target: {target.describe()}")
        task = progress.add_task(label, total=len(jobs))

        def advance(result: FlowResult, value: T) -> None:
            progress.advance(task)
            announce(progress.console, result, value)

        outcomes = execute(
            jobs,
            target,
            workers=selection.workers,
            browser_path=selection.browser_path,
            connect=selection.connect,
            finish=finish,
            on_result=advance,
        )
        return SessionResult(base_url=target.base_url, flows=flows, outcomes=outcomes)
