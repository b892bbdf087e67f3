"""Running many flow × device jobs: one browser per worker, a fresh context per job.

Workers are threads, each with its own Playwright instance (Playwright's sync API is
per-thread). Annotation and PNG encoding run in a separate pool so they never hold up
the next capture.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from harness.browser import BrowserChoice, choose_browser, launch
from harness.cost import longest_first
from harness.devices import DeviceProfile
from harness.environment import fingerprint
from harness.perform import RunContext
from harness.runner import FlowResult, run_flow
from harness.target import SiteTarget


@dataclass(frozen=True)
class Job:
    flow: Any  # harness.scenario.Flow
    device: DeviceProfile


def plan_jobs(flows: Sequence[Any], devices: Sequence[DeviceProfile]) -> list[Job]:
    """Device-major order, so each device's flows run together; a device named by descriptor
    runs the flows written for its platform (android or iphone)."""
    return [
        Job(flow, device)
        for device in devices
        for flow in flows
        if device.name in flow.devices or device.platform in flow.devices
    ]


class _Worker:
    """One thread's Playwright and its browsers, launched on first use and reused."""

    def __init__(self, browser_path: str | None, connect: str | None = None) -> None:
        self.browser_path = browser_path
        self.connect = connect
        self.browsers: dict[str, tuple[Browser, BrowserChoice]] = {}

    def run(
        self, jobs: queue.Queue[Job], site: SiteTarget, done: Callable[[FlowResult], None]
    ) -> None:
        with sync_playwright() as playwright:
            try:
                while True:
                    try:
                        job = jobs.get_nowait()
                    except queue.Empty:
                        return
                    choice = choose_browser(
                        playwright, job.device.preferred_engine, self.browser_path, self.connect
                    )
                    key = f"{choice.engine}:{choice.executable}"
                    if key not in self.browsers:
                        self.browsers[key] = (launch(playwright, choice), choice)
                    browser, _ = self.browsers[key]
                    context = RunContext(
                        base_url=site.base_url,
                        has_hooks=site.has_hooks,
                        touch=bool(job.device.settings.get("has_touch")),
                    )
                    environment = fingerprint(browser, choice, job.device)
                    done(run_flow(browser, job.flow, job.device, environment, context))
            finally:
                for browser, _ in self.browsers.values():
                    browser.close()


def execute(
    jobs: Sequence[Job],
    site: SiteTarget,
    *,
    workers: int,
    browser_path: str | None,
    finish: Callable[[FlowResult], Any],
    on_result: Callable[[FlowResult, Any], None] | None = None,
    connect: str | None = None,
) -> list[tuple[FlowResult, Any]]:
    """Run `jobs`; `finish` (annotate and write) runs off the capture threads.

    Returns (result, finish's value) in the order of `jobs`.
    """
    pending: queue.Queue[Job] = queue.Queue()
    for job in longest_first(jobs):  # results still come back in the order of `jobs`
        pending.put(job)
    order = {(job.flow.id, job.device.name): index for index, job in enumerate(jobs)}
    finished: dict[int, tuple[FlowResult, Any]] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="guideshot-write") as writers:

        def completed(result: FlowResult, future: Future[Any]) -> None:
            value = future.result()
            result.release_pixels()  # written and judged: keep only the records
            with lock:
                finished[order[(result.flow, result.device)]] = (result, value)
            if on_result is not None:
                on_result(result, value)

        def done(result: FlowResult) -> None:
            future = writers.submit(finish, result)
            future.add_done_callback(lambda f: completed(result, f))

        def work() -> None:
            try:
                _Worker(browser_path, connect).run(pending, site, done)
            except BaseException as exc:  # surfaced after the other workers finish
                errors.append(exc)

        threads = [
            threading.Thread(target=work, name=f"guideshot-run-{n}")
            for n in range(max(1, min(workers, len(jobs))))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return [finished[index] for index in sorted(finished)]
