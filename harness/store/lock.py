"""One writer of screenshots/ at a time: an exclusive file lock beside the baseline.

Every verb that changes the baseline (run, approve, approve --from, review's Approve and
Undo, merge) holds `.guideshot/baseline.lock` while it does. The lock is the operating
system's (filelock: flock on POSIX), so a process that dies releases it. A second process
waits a bounded time, then stops with one line naming the holder ("another approve (pid N)
is changing screenshots/"), read from `.guideshot/baseline.lock.json`, which the holder
writes once it has the lock.

Within one process the lock is re-entrant (one FileLock per baseline, shared by threads):
the process's own threads are serialised by their own locks (review's), not by this one.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from harness.errors import PlainError
from harness.files import write_text_atomic
from harness.store.layout import work_root

# Long enough for another approve or a review click to finish; short enough that a second
# command behind a long `run` says so instead of appearing to hang.
DEFAULT_WAIT_S = 15.0

_LOCK_NAME = "baseline.lock"
_HOLDER_NAME = "baseline.lock.json"

_locks: dict[Path, FileLock] = {}
_locks_guard = threading.Lock()


class BaselineBusy(PlainError):
    """Another process is changing the baseline: one line naming it and what to do."""


def _lock_for(work: Path) -> FileLock:
    path = (work / _LOCK_NAME).resolve()
    with _locks_guard:
        lock = _locks.get(path)
        if lock is None:
            lock = FileLock(path, thread_local=False)
            _locks[path] = lock
        return lock


def _holder(work: Path) -> str:
    """'another approve (pid 123)', from what the holder wrote; generic when unreadable."""
    try:
        data = json.loads((work / _HOLDER_NAME).read_text(encoding="utf-8"))
        action, pid = str(data["action"]), int(data["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another guideshot process"
    return f"another {action} (pid {pid})"


def holder_of(baseline: Path) -> str:
    return _holder(work_root(baseline))


@contextmanager
def baseline_lock(baseline: Path, action: str, wait_s: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold the baseline's lock for the block; BaselineBusy after `wait_s` seconds."""
    work = work_root(baseline)
    work.mkdir(parents=True, exist_ok=True)
    lock = _lock_for(work)
    outermost = not lock.is_locked
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        raise BaselineBusy(
            f"{_holder(work)} is changing {baseline}/; waited {wait_s:g} s — "
            "try again when it has finished"
        ) from None
    try:
        if outermost:
            holder = {"pid": os.getpid(), "action": action, "since": time.time()}
            write_text_atomic(work / _HOLDER_NAME, json.dumps(holder) + "\n")
        yield
    finally:
        if outermost:
            (work / _HOLDER_NAME).unlink(missing_ok=True)
        lock.release()
