"""The browser processes a worker owns, found by pid, so a stuck or timed-out flow can be
ended from outside the worker's thread (Playwright's sync objects belong to their thread)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
from playwright.sync_api import Playwright, sync_playwright

# Starting drivers one at a time makes "the child that appeared" unambiguous.
_START_LOCK = threading.Lock()


def _children() -> set[int]:
    return {child.pid for child in psutil.Process(os.getpid()).children(recursive=False)}


class DriverProcess:
    """One Playwright driver (node) and, below it, the browsers it launched."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid

    def _process(self) -> psutil.Process | None:
        if self.pid is None:
            return None
        try:
            return psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return None

    def kill_browsers(self) -> int:
        """Kill every process the driver started; its pending calls then fail at once."""
        driver = self._process()
        if driver is None:
            return 0
        return _kill(driver.children(recursive=True))

    def kill(self) -> int:
        """Kill the driver itself and everything below it (when even that did not help)."""
        driver = self._process()
        if driver is None:
            return 0
        return _kill([*driver.children(recursive=True), driver])


def _kill(processes: list[psutil.Process]) -> int:
    killed = 0
    for process in processes:
        try:
            process.kill()
            killed += 1
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(processes, timeout=5)
    return killed


@contextmanager
def playwright_with_driver() -> Iterator[tuple[Playwright, DriverProcess]]:
    """sync_playwright(), and the pid of the driver process it started."""
    with _START_LOCK:
        before = _children()
        manager = sync_playwright()
        playwright = manager.start()
        new = sorted(_children() - before)
    driver = DriverProcess(new[0] if len(new) == 1 else None)
    try:
        yield playwright, driver
    finally:
        try:
            manager.__exit__(None, None, None)
        except Exception:  # a killed driver cannot be stopped politely; it is gone anyway
            driver.kill()
