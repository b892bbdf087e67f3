"""CPU seconds of this process and everything it started (driver, browsers), from /proc.

A background thread samples every descendant's utime + stime; a process that exits keeps
its last sample, so short-lived renderers lose at most one interval. Linux only; elsewhere
the totals are empty.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, kind, CPU seconds of the process itself)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    parent, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
    command = cmdline.split(b"\0", 1)[0].decode(errors="replace")
    kind = "node driver" if command.endswith("node") else "browser"
    return parent, kind, (utime + stime) / TICKS


class CpuSampler:
    def __init__(self, root: int, interval: float = 0.1) -> None:
        self.root = root
        self.interval = interval
        self.seen: dict[int, tuple[str, float]] = {}
        self.before: dict[int, float] = {}  # CPU already spent when measuring began
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def sample(self) -> None:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                found = _stat(int(entry.name))
                if found is not None:
                    stats[int(entry.name)] = found
        descendants = {self.root}
        grew = True
        while grew:
            grew = False
            for pid, (parent, _kind, _cpu) in stats.items():
                if parent in descendants and pid not in descendants:
                    descendants.add(pid)
                    grew = True
        for pid in descendants:
            if pid in stats:
                _parent, kind, cpu = stats[pid]
                self.seen[pid] = ("python (harness + simulator)" if pid == self.root else kind, cpu)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> CpuSampler:
        if Path("/proc/self/stat").is_file():
            self.sample()
            self.before = {pid: cpu for pid, (_kind, cpu) in self.seen.items()}
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
            self.sample()

    def totals(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for pid, (kind, cpu) in self.seen.items():
            totals[kind] = totals.get(kind, 0.0) + cpu - self.before.get(pid, 0.0)
        return dict(sorted(totals.items()))
