"""Running many flow × device jobs: one browser per worker, a fresh context per job.

Workers are threads, each with its own Playwright instance (Playwright's sync API is
per-thread). Annotation, writing and judging (`finish`) run in a separate pool so they
never hold up the next capture.

Every job ends in exactly one outcome, whatever happens: a step that fails, a browser that
dies (the next job gets a new one), a flow over its time limit (its browser is killed from
outside, then its driver), an exception while writing or judging (`failed` turns it into
the verb's own failure value). Only a cancellation (Ctrl-C, SIGTERM) leaves jobs without
an outcome, and then `execute` says so by raising Cancelled.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from playwright.sync_api import Browser, Playwright

from harness.capture.browser import BrowserChoice, choose_browser, launch
from harness.capture.cost import longest_first
from harness.capture.devices import DeviceProfile
from harness.capture.environment import fingerprint
from harness.capture.perform import RunContext
from harness.capture.processes import DriverProcess, playwright_with_driver
from harness.capture.results import FlowResult
from harness.capture.runner import BROWSER_CLOSED, failed_result, run_flow
from harness.capture.target import SiteTarget
from harness.capture.tracing import Recording, from_environment, new_run_id
from harness.errors import PlainError

T = TypeVar("T")

DEFAULT_FLOW_TIMEOUT_S = 300.0
# After killing a stuck flow's browser, how long its driver has to report the failure.
DRIVER_GRACE_S = 10.0


@dataclass(frozen=True)
class Job:
    flow: Any  # harness.scenario.Flow
    device: DeviceProfile


@dataclass(frozen=True)
class Outcome(Generic[T]):
    job: Job
    result: FlowResult
    value: T


class Cancelled(Exception):
    """The run was stopped by a signal; `finished` jobs of `total` have an outcome."""

    def __init__(self, signum: int, finished: int, total: int) -> None:
        super().__init__(f"stopped by signal {signum} after {finished} of {total} runs")
        self.signum = signum
        self.finished = finished
        self.total = total


def plan_jobs(flows: Sequence[Any], devices: Sequence[DeviceProfile]) -> list[Job]:
    """Device-major order, so each device's flows run together; a device named by descriptor
    runs the flows written for its platform (android or iphone)."""
    return [
        Job(flow, device)
        for device in devices
        for flow in flows
        if device.name in flow.devices or device.platform in flow.devices
    ]


class StageFailed(PlainError):
    """An exception while `finish` did one named thing (annotating, staging, judging…)."""


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Name the stage an exception came from: 'judging: ValueError: …'."""
    try:
        yield
    except Exception as exc:
        raise StageFailed(f"{name}: {describe_error(exc)}") from exc


def describe_error(exc: BaseException) -> str:
    """An exception in one line a person can act on (a full disk names the file)."""
    if isinstance(exc, PlainError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


class _Worker:
    """One thread's Playwright and its browsers, launched on first use, relaunched after a
    crash, and cut from outside (by pid) when a flow runs past its time limit."""

    def __init__(
        self,
        browser_path: str | None,
        flow_timeout: float,
        connect: str | None,
        run_id: str = "",
        recording: Recording | None = None,
    ) -> None:
        self.browser_path = browser_path
        self.run_id = run_id  # {run}: one id for every flow of the run
        self.recording = recording or from_environment()
        self.flow_timeout = flow_timeout
        self.connect = connect  # ws://… of a Playwright browser server
        self.browsers: dict[str, tuple[Browser, BrowserChoice]] = {}
        self.stack = ExitStack()
        self.playwright: Playwright | None = None
        self.driver: DriverProcess | None = None
        self.lock = threading.Lock()
        self.cut_reason: str | None = None
        self.finisher: threading.Timer | None = None  # kills the driver if a cut is not enough
        self.driver_killed = False

    # --- called from other threads ---------------------------------------------------------

    def cut(self, reason: str) -> None:
        """End the running flow now: kill its browser; if that is not enough, its driver."""
        with self.lock:
            if self.cut_reason is None:
                self.cut_reason = reason
            driver = self.driver
        if driver is None:
            return
        driver.kill_browsers()
        finisher = threading.Timer(DRIVER_GRACE_S, self._kill_driver)
        finisher.daemon = True
        with self.lock:
            self.finisher = finisher
        finisher.start()

    def _kill_driver(self) -> None:
        with self.lock:
            if self.cut_reason is None or self.driver is None:
                return  # the flow ended in time
            self.driver_killed = True
            driver = self.driver
        driver.kill()

    # --- the worker's own thread -----------------------------------------------------------

    def _ensure_playwright(self) -> Playwright:
        if self.playwright is None or self.driver_killed:
            self._stop_playwright()
            playwright, driver = self.stack.enter_context(playwright_with_driver())
            with self.lock:
                self.playwright, self.driver, self.driver_killed = playwright, driver, False
        assert self.playwright is not None
        return self.playwright

    def _stop_playwright(self) -> None:
        for browser, _ in self.browsers.values():
            try:
                browser.close()
            except Exception:  # already gone with its driver
                continue
        self.browsers.clear()
        self.stack.close()
        self.stack = ExitStack()
        with self.lock:
            self.playwright = self.driver = None

    def _browser(self, job: Job) -> tuple[Browser, BrowserChoice]:
        playwright = self._ensure_playwright()
        choice = choose_browser(
            playwright, job.device.preferred_engine, self.browser_path, self.connect
        )
        key = f"{choice.engine}:{choice.executable}"
        known = self.browsers.get(key)
        if known is None or not known[0].is_connected():
            self.browsers[key] = (launch(playwright, choice), choice)
        return self.browsers[key]

    def run_one(self, job: Job, site: SiteTarget) -> FlowResult:
        with self.lock:
            self.cut_reason = None
        # The limit is the flow's own: a browser (re)launch has Playwright's launch timeout.
        timer = threading.Timer(
            self.flow_timeout,
            self.cut,
            (f"timed out: the flow took longer than {self.flow_timeout:g} s (--flow-timeout)",),
        )
        timer.daemon = True
        try:
            browser, choice = self._browser(job)
            timer.start()
            context = RunContext(
                base_url=site.base_url,
                has_hooks=site.has_hooks,
                touch=bool(job.device.settings.get("has_touch")),
                servers=site.servers,
            )
            environment = fingerprint(browser, choice, job.device)
            result = run_flow(
                browser,
                job.flow,
                job.device,
                environment,
                context,
                run_id=self.run_id,
                recording=self.recording,
            )
        except Exception as exc:
            why = BROWSER_CLOSED if self.cut_reason else describe_error(exc)
            result = failed_result(job.flow, job.device.name, f"could not run the flow: {why}")
        finally:
            timer.cancel()
        with self.lock:
            cut, self.cut_reason = self.cut_reason, None
            if self.finisher is not None:
                self.finisher.cancel()
                self.finisher = None
        if cut is not None and result.failure is not None:
            result.failure = replace(result.failure, message=cut)
        return result

    def run(
        self,
        jobs: queue.Queue[Job],
        site: SiteTarget,
        done: Callable[[Job, FlowResult], None],
        stop: threading.Event,
    ) -> None:
        try:
            while not stop.is_set():
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    return
                result = self.run_one(job, site)
                if stop.is_set():
                    return  # cut by the cancellation: this job has no outcome
                done(job, result)
        finally:
            self._stop_playwright()


class Execution(Generic[T]):
    """One call of `execute`: its workers, so a signal handler can cancel them."""

    def __init__(
        self,
        browser_path: str | None,
        workers: int,
        flow_timeout: float = DEFAULT_FLOW_TIMEOUT_S,
        connect: str | None = None,
        recording: Recording | None = None,
    ) -> None:
        self.run_id = new_run_id()
        self.workers = [
            _Worker(browser_path, flow_timeout, connect, self.run_id, recording)
            for _ in range(workers)
        ]
        self.stop = threading.Event()
        self.signum: int | None = None

    def cancel(self, signum: int) -> None:
        """Stop taking jobs and end the running flows now (safe from a signal handler)."""
        self.signum = signum
        self.stop.set()
        for worker in self.workers:
            threading.Thread(target=worker.cut, args=("interrupted",), daemon=True).start()

    def run(
        self,
        jobs: Sequence[Job],
        site: SiteTarget,
        finish: Callable[[FlowResult], T],
        failed: Callable[[FlowResult, str], T],
        on_result: Callable[[FlowResult, T], None] | None,
    ) -> list[Outcome[T]]:
        pending: queue.Queue[Job] = queue.Queue()
        for job in longest_first(jobs):  # outcomes still come back in the order of `jobs`
            pending.put(job)
        index = {id(job): n for n, job in enumerate(jobs)}
        finished: dict[int, Outcome[T]] = {}
        lock = threading.Lock()

        def finish_safely(result: FlowResult) -> T:
            try:
                return finish(result)
            except Exception as exc:
                return failed(result, describe_error(exc))

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="guideshot-write") as writers:

            def completed(job: Job, result: FlowResult, future: Future[T]) -> None:
                value = future.result()  # finish_safely never raises an Exception
                result.release_pixels()  # written and judged: keep only the records
                with lock:
                    finished[index[id(job)]] = Outcome(job, result, value)
                if on_result is not None:
                    on_result(result, value)

            def done(job: Job, result: FlowResult) -> None:
                future = writers.submit(finish_safely, result)
                future.add_done_callback(lambda f: completed(job, result, f))

            def work(worker: _Worker) -> None:
                try:
                    worker.run(pending, site, done, self.stop)
                except Exception as exc:  # the worker itself broke: its job still gets a row
                    crashed[worker] = describe_error(exc)

            crashed: dict[_Worker, str] = {}
            threads = [
                threading.Thread(target=work, args=(worker,), name=f"guideshot-run-{n}")
                for n, worker in enumerate(
                    self.workers[: max(1, min(len(self.workers), len(jobs)))]
                )
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if self.signum is not None:
            raise Cancelled(self.signum, len(finished), len(jobs))
        reason = next(iter(crashed.values()), "the worker stopped before running it")
        for n, job in enumerate(jobs):  # never a missing row
            if n not in finished:
                message = f"not run: {reason}"
                result = failed_result(job.flow, job.device.name, message)
                finished[n] = Outcome(job, result, failed(result, message))
        return [finished[n] for n in sorted(finished)]


def execute(
    jobs: Sequence[Job],
    site: SiteTarget,
    *,
    workers: int,
    browser_path: str | None,
    finish: Callable[[FlowResult], T],
    failed: Callable[[FlowResult, str], T],
    on_result: Callable[[FlowResult, T], None] | None = None,
    flow_timeout: float = DEFAULT_FLOW_TIMEOUT_S,
    connect: str | None = None,
) -> list[Outcome[T]]:
    """Run `jobs`; one outcome per job, in the order of `jobs` (or Cancelled)."""
    execution: Execution[T] = Execution(browser_path, max(1, workers), flow_timeout, connect)
    return execution.run(jobs, site, finish, failed, on_result)
