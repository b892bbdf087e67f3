"""What `run` and `check` share: choose flows and devices, start the site, run the jobs
with a progress bar, and hand each result to the verb's own `finish`."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from playwright.sync_api import sync_playwright
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness.capture.devices import DEFAULT_LOCALE, DeviceProfile
from harness.capture.pipeline import DEFAULT_FLOW_TIMEOUT_S, Execution, Job, plan_jobs
from harness.capture.recapture import Recapture
from harness.capture.results import FlowResult
from harness.capture.selection import nothing_selected, select_devices, select_flows
from harness.capture.target import site
from harness.console import err
from harness.scenario import Flow
from harness.scenario.sites import BaseUrls

T = TypeVar("T")


@dataclass(frozen=True)
class Selection:
    """--flow, --device, --base-url, -j and --browser-path, as given."""

    flows: Sequence[str]
    devices: Sequence[str]
    base_url: BaseUrls | str | None  # --base-url: a bare URL, or each site's
    workers: int
    browser_path: str | None
    flow_timeout: float = DEFAULT_FLOW_TIMEOUT_S
    connect: str | None = None  # ws://… of a Playwright browser server
    narrow: Callable[[list[Job]], list[Job]] | None = None  # --changed, --shard
    locale: str = DEFAULT_LOCALE  # what the phones ask sites for (guide.yaml's)


@dataclass(frozen=True)
class SessionResult(Generic[T]):
    base_url: str
    flows: list[Flow]
    outcomes: list[tuple[FlowResult, T]]  # in plan order


def resolve(
    selection: Selection, all_flows: Sequence[Flow]
) -> tuple[list[Flow], list[DeviceProfile]]:
    """The selected flows and device profiles (unknown names raise SelectionError)."""
    flows = select_flows(all_flows, selection.flows)
    with sync_playwright() as playwright:
        devices = select_devices(playwright, selection.devices, selection.locale)
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


class Cancellable(Protocol):
    def cancel(self, signum: int) -> None: ...


@contextmanager
def signals_cancel(execution: Execution[T], *others: Cancellable) -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the run in order (browsers closed, simulator stopped) instead
    of unwinding the main thread under live browser threads; a second Ctrl-C is immediate."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, _frame: object) -> None:
        if execution.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt
        err.print("stopping: closing the browsers…")
        execution.cancel(signum)
        for other in others:
            other.cancel(signum)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_session(
    selection: Selection,
    all_flows: Sequence[Flow],
    *,
    label: str,
    finish: Callable[[FlowResult], T],
    failed: Callable[[FlowResult, str], T],
    announce: Callable[[Console, FlowResult, T], None],
    recapture: Recapture | None = None,
) -> SessionResult[T]:
    """Run every selected flow × device; `finish` runs off the capture threads, `failed`
    stands in for it when it raises, and `announce` prints what a person should see as each
    job completes. Raises pipeline.Cancelled on SIGINT/SIGTERM, SelectionError when the
    selection plans no flow × device at all. A `recapture` is bound to the session's jobs
    and site while it runs, so `finish` may run a flow × device again (check's noise)."""
    flows, devices = resolve(selection, all_flows)
    jobs = plan_jobs(flows, devices)
    if not jobs:  # before --shard/--changed narrow it: those may leave nothing on purpose
        raise nothing_selected(flows, devices, selection.flows)
    if selection.narrow is not None:
        jobs = selection.narrow(jobs)
    execution: Execution[T] = Execution(
        selection.browser_path, selection.workers, selection.flow_timeout, selection.connect
    )
    second = recapture or Recapture()
    with (
        signals_cancel(execution, second),
        site(selection.base_url) as target,
        second.bound(
            jobs, target, selection.browser_path, selection.flow_timeout, selection.connect
        ),
        progress_bar() as progress,
    ):
        err.print(f"target: {target.describe()}")
        task = progress.add_task(label, total=len(jobs))

        def advance(result: FlowResult, value: T) -> None:
            progress.advance(task)
            announce(progress.console, result, value)

        outcomes = execution.run(jobs, target, finish, failed, advance)
        return SessionResult(
            base_url=target.recorded_url,
            flows=flows,
            outcomes=[(outcome.result, outcome.value) for outcome in outcomes],
        )
