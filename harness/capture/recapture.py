"""A second run of one flow × device in a fresh browser, for `check` to tell noise from drift.

Asked for from the judging threads, only for a flow with a step whose one difference is
pixels; most checks never start one. Each second run is its own one-job Execution (its own
Playwright, browser and context, no trace), on the session's site, so it shares nothing with
the first run but the server, and a Ctrl-C stops it with the rest of the session.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from harness.capture.pipeline import Cancelled, Execution, Job
from harness.capture.results import FlowResult
from harness.capture.target import SiteTarget
from harness.capture.tracing import Recording


@dataclass(frozen=True)
class _Session:
    jobs: dict[tuple[str, str], Job]  # (flow id, device name) → the session's job
    site: SiteTarget
    browser_path: str | None
    flow_timeout: float
    connect: str | None


class Recapture:
    """Runs a flow × device again while a session is bound (run_session binds it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: _Session | None = None
        self._running: list[Execution[FlowResult]] = []
        self._signum: int | None = None
        self.runs = 0  # second runs started, for the record

    @contextmanager
    def bound(
        self,
        jobs: Sequence[Job],
        site: SiteTarget,
        browser_path: str | None,
        flow_timeout: float,
        connect: str | None,
    ) -> Iterator[None]:
        by_key = {(job.flow.id, job.device.name): job for job in jobs}
        with self._lock:
            self._session = _Session(by_key, site, browser_path, flow_timeout, connect)
        try:
            yield
        finally:
            with self._lock:
                self._session = None

    def cancel(self, signum: int) -> None:
        """Stop the second runs under way and refuse new ones (safe from a signal handler)."""
        with self._lock:
            self._signum = signum
            running = list(self._running)
        for execution in running:
            threading.Thread(target=execution.cancel, args=(signum,), daemon=True).start()

    def again(self, result: FlowResult) -> FlowResult | None:
        """The flow of `result` run once more on its device; None when no session is bound,
        the job is unknown or the session is being stopped."""
        with self._lock:
            session, signum = self._session, self._signum
            job = session.jobs.get((result.flow, result.device)) if session else None
            if session is None or job is None or signum is not None:
                return None
            execution: Execution[FlowResult] = Execution(
                session.browser_path,
                1,
                session.flow_timeout,
                session.connect,
                Recording(trace="off"),
            )
            self._running.append(execution)
            self.runs += 1
        try:
            # The execution forgets its own result's pixels once `finish` returns: keep a copy
            # (the same captures, which forgetting replaces rather than empties).
            outcomes = execution.run([job], session.site, copy.copy, _failed, None)
        except Cancelled:
            return None
        finally:
            with self._lock:
                self._running.remove(execution)
        return outcomes[0].value


def _failed(result: FlowResult, _message: str) -> FlowResult:
    return result
