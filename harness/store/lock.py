"""One writer of screenshots/ at a time: an exclusive file lock beside the baseline.

Every verb that changes the baseline (run, approve, approve --from, review's Approve and
Undo, merge) holds `.guideshot/baseline.lock` while it reads what it will change and
changes it. The lock is the operating system's (filelock: flock on POSIX), so a process
that dies releases it. The holder writes its pid and action into the lock file as it
takes it; a second process waits a bounded time (GUIDESHOT_LOCK_WAIT seconds, default
15), then stops with one line naming the holder: "another approve (pid N) is changing
screenshots/".

Within a process the lock is also a thread lock: `run -j 2` publishes from two threads
and review answers clicks on several, and each must see the baseline the other left.
A thread that holds it may take it again (approve's recovery inside approve).
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from harness.errors import PlainError
from harness.store.layout import work_root

# Long enough for another approve or a review click to finish; short enough that a second
# command behind a long approve says so instead of appearing to hang.
DEFAULT_WAIT_S = 15.0
WAIT_ENV = "GUIDESHOT_LOCK_WAIT"

LOCK_NAME = "baseline.lock"


class LockProblem(PlainError):
    """The baseline cannot be locked: one line naming why (nothing was changed)."""


class BaselineBusy(LockProblem):
    """Another process is changing the baseline: one line naming it and what to do."""


def lock_wait() -> float:
    """Seconds to wait for another writer: GUIDESHOT_LOCK_WAIT, else the default."""
    text = os.environ.get(WAIT_ENV, "").strip()
    if not text:
        return DEFAULT_WAIT_S
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise LockProblem(
            f"{WAIT_ENV}={text}: give the seconds to wait for another guideshot to finish "
            f"changing the screenshots (0 or more; default {DEFAULT_WAIT_S:g})"
        )
    return value


@dataclass
class _Holding:
    """This process's hold on one baseline's lock."""

    path: Path
    threads: threading.RLock = field(default_factory=threading.RLock)
    owner: int | None = None  # the thread holding it
    depth: int = 0  # how many times that thread took it
    action: str = ""
    file: FileLock = field(init=False)

    def __post_init__(self) -> None:
        self.file = FileLock(self.path, thread_local=False, on_acquired=self._sign)

    def _sign(self, descriptor: int) -> None:
        """Write who holds the lock into the lock file, as filelock hands it over."""
        data = json.dumps({"pid": os.getpid(), "action": self.action, "since": time.time()})
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, data.encode("utf-8") + b"\n", 0)


_holdings: dict[tuple[int, Path], _Holding] = {}
_holdings_guard = threading.Lock()


def _holding(work: Path) -> _Holding:
    path = (work / LOCK_NAME).resolve()
    # By pid too: filelock refuses a lock object inherited across fork.
    key = (os.getpid(), path)
    with _holdings_guard:
        holding = _holdings.get(key)
        if holding is None:
            holding = _holdings[key] = _Holding(path)
        return holding


def _holder(work: Path) -> str:
    """'another approve (pid 123)', from what the holder wrote; generic when unreadable."""
    try:
        data = json.loads((work / LOCK_NAME).read_text(encoding="utf-8"))
        action, pid = str(data["action"]), int(data["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another guideshot process"
    return f"another {action} (pid {pid})"


def holds_lock(work: Path) -> bool:
    """Whether this thread holds the lock of the baseline whose work folder is `work`."""
    holding = _holding(work)
    return holding.owner == threading.get_ident()


def _busy(work: Path, baseline: Path, wait_s: float) -> BaselineBusy:
    waited = f"waited {wait_s:g} s" if wait_s else "did not wait"
    return BaselineBusy(
        f"{_holder(work)} is changing {baseline}/ ({waited}); nothing was changed, "
        "try again when it has finished"
    )


@contextmanager
def baseline_lock(baseline: Path, action: str, wait_s: float | None = None) -> Iterator[None]:
    """Hold the baseline's lock for the block; BaselineBusy after `wait_s` seconds
    (default: GUIDESHOT_LOCK_WAIT, else 15)."""
    wait = lock_wait() if wait_s is None else wait_s
    work = work_root(baseline)
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LockProblem(f"cannot create {work} to lock {baseline}: {exc.strerror}") from exc
    holding = _holding(work)
    start = time.monotonic()
    if not (holding.threads.acquire(timeout=wait) if wait else holding.threads.acquire(False)):
        raise _busy(work, baseline, wait)
    try:
        if holding.depth == 0:
            holding.action = action
            remaining = max(0.0, wait - (time.monotonic() - start))
            try:
                holding.file.acquire(timeout=remaining)
            except Timeout:
                raise _busy(work, baseline, wait) from None
            except OSError as exc:
                raise LockProblem(f"cannot lock {baseline}: {exc.strerror or exc}") from exc
        holding.owner = threading.get_ident()
        holding.depth += 1
    except BaseException:
        if holding.depth == 0 and holding.file.is_locked:  # Ctrl-C just after acquiring
            holding.file.release()
        holding.threads.release()
        raise
    try:
        yield
    finally:
        holding.depth -= 1
        try:
            if holding.depth == 0:
                holding.owner = None
                holding.file.release()
        finally:
            holding.threads.release()


@contextmanager
def baseline_lock_if_free(baseline: Path, action: str) -> Iterator[bool]:
    """Hold the lock for the block if no other process does (True), without waiting; else
    False. For tidying up (recovering an interrupted write) before a command that reads."""
    with ExitStack() as stack:
        try:
            stack.enter_context(baseline_lock(baseline, action, wait_s=0))
            held = True
        except LockProblem:  # busy, or no .guideshot/ to lock (nothing to recover either)
            held = False
        yield held
