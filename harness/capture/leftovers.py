"""Cleanups a killed run still owes the site.

Before a flow × device with `cleanup:` steps starts its setup, a small entry in
`.guideshot/pending-cleanup/` (under the working folder) names the flow, the device, the
site, the run's `{run}` and its process (pid, start time, host); it is removed once the
cleanup ran, whatever its outcome. A run killed in between (SIGKILL, power loss, a CI
timeout) leaves its entry behind: the next run of that flow × device on the same site
finds it, sees its process is gone, and runs the cleanup with the killed run's values.
Entries of processes still running (a concurrent run) are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil

from harness.console import err
from harness.files import write_text_atomic
from harness.scenario.model import SLUG

JOURNAL = Path(".guideshot") / "pending-cleanup"
FORMAT = "guideshot pending-cleanup 1"
# Process start times are read from the same clock ticks each time; a tenth of a second
# absorbs float rounding, and a pid reused that soon after its last owner started is not.
_SAME_START = 0.1


@dataclass(frozen=True)
class Owner:
    """A process, told apart from a later one given the same pid by its start time."""

    pid: int
    started: float
    host: str

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(pid, psutil.Process(pid).create_time(), socket.gethostname())

    def running(self) -> bool | None:
        """Whether the process still runs; None on another host (it cannot be asked)."""
        if self.host != socket.gethostname():
            return None
        try:
            process = psutil.Process(self.pid)
            if process.status() == psutil.STATUS_ZOMBIE:  # killed, not yet reaped
                return False
            return abs(process.create_time() - self.started) < _SAME_START
        except psutil.NoSuchProcess:
            return False
        except psutil.AccessDenied:  # another user's process: there, so not ended
            return True


@dataclass(frozen=True)
class Entry:
    """One flow × device whose cleanup has not run yet."""

    flow: str
    device: str
    site: str  # the base URL (every server's, space-separated, with several)
    run: str  # that run's `{run}`
    owner: Owner
    written: str  # when, ISO 8601 UTC, for a person reading the file

    def values(self) -> dict[str, str]:
        return {"device": self.device, "run": self.run}


@dataclass(frozen=True)
class Late:
    """How a late cleanup went: its failure ("file:line: what"), or that it could not run
    at all (the browser went away), which keeps the entry for the next run."""

    failure: str | None = None
    ran: bool = True


class Damaged(ValueError):
    """An entry file that is not one guideshot wrote (or was cut short)."""


def _part(text: str) -> str:
    """A device name or run id as a file-name part: as is when it is a slug ("android",
    "3f9a2c"), else a slug of it and a hash of the exact text ("Galaxy S9+")."""
    if SLUG.fullmatch(text) and len(text) <= 40:
        return text
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _prefix(flow: str, device: str) -> str | None:
    """Every entry of a flow × device starts so; None when the flow id is not a slug (the
    loader only makes slugs, so nothing outside the journal can be named)."""
    return f"{_part(device)}--{flow}--" if SLUG.fullmatch(flow) else None


def _name(flow: str, device: str, run: str, pid: int) -> str | None:
    prefix = _prefix(flow, device)
    return None if prefix is None else f"{prefix}{_part(run)}--{pid}.json"


def _parse(text: str) -> Entry:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Damaged(f"not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Damaged("not a pending-cleanup entry")
    try:
        owner = data["owner"]
        entry = Entry(
            flow=str(data["flow"]),
            device=str(data["device"]),
            site=str(data["site"]),
            run=str(data["run"]),
            owner=Owner(int(owner["pid"]), float(owner["started"]), str(owner["host"])),
            written=str(data["written"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise Damaged(f"incomplete ({type(exc).__name__}: {exc})") from exc
    return entry


def _write(path: Path, entry: Entry) -> None:
    data = {"format": FORMAT, **asdict(entry)}
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _say(device: str, flow: str, line: str, warning: bool = False) -> None:
    err.print(("warning: " if warning else "") + f"{device} {flow}: {line}", markup=False)


def begin(flow: str, device: str, site: str, run: str) -> Path | None:
    """The entry saying this process owes `flow` × `device` its cleanup; None when it
    could not be written (said in one line: the run goes on, only without the net)."""
    owner = Owner.current()
    name = _name(flow, device, run, owner.pid)
    if name is None:
        return None
    path = JOURNAL / name
    written = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        _write(path, Entry(flow, device, site, run, owner, written))
    except OSError as exc:
        _say(device, flow, f"cannot note the pending cleanup in {JOURNAL}/ ({exc})", True)
        return None
    return path


def end(path: Path | None) -> None:
    """The cleanup ran: the entry goes."""
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        err.print(f"warning: cannot remove {path} ({exc})", markup=False)


def _entries(flow: str, device: str) -> Iterator[Path]:
    prefix = _prefix(flow, device)
    if prefix is None or not JOURNAL.is_dir():
        return iter(())
    return iter(sorted(JOURNAL.glob(f"{prefix}*.json")))


def _claim(path: Path, entry: Entry) -> Path | None:
    """Take over an ended run's entry, so that a second run starting at the same moment
    does not do the same cleanup: the rename succeeds for one of them. The entry then
    names this process, so a run killed during the late cleanup leaves it for the next."""
    me = Owner.current()
    name = _name(entry.flow, entry.device, entry.run, me.pid)
    assert name is not None  # its flow id matched the one asked for, a slug
    claimed = JOURNAL / name
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None  # another run claimed it first
    _write(claimed, Entry(**{**asdict(entry), "owner": me}))
    return claimed


def settle(flow: str, device: str, site: str, clean: Callable[[dict[str, str]], Late]) -> None:
    """Run the cleanup every ended run of `flow` × `device` on `site` still owes, with that
    run's values, one line each.

    A late cleanup that ran is forgotten whatever its outcome, as a run's own cleanup is:
    one that fails usually finds nothing to undo (the run was killed before it made its
    record), and trying again on every run would only repeat the warning. It stays only
    when it could not run at all (the browser went away, or this run was stopped too).
    """
    for path in _entries(flow, device):
        try:
            entry = _parse(path.read_text("utf-8"))
        except FileNotFoundError:
            continue  # another run took it over a moment ago
        except (OSError, UnicodeDecodeError, Damaged) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            said = f"ignored {path}: {reason}; delete it once you checked the site"
            _say(device, flow, said, True)
            continue
        if (entry.flow, entry.device, entry.site) != (flow, device, site):
            continue  # the same flow × device on another site: that site's next run
        running = entry.owner.running()
        if running is None:
            where = f"run {entry.run} on {entry.owner.host}"
            _say(device, flow, f"{where} owes its cleanup; left alone (it may still run)")
        if running is not False:
            continue
        try:
            claimed = _claim(path, entry)
        except OSError as exc:
            _say(device, flow, f"cannot take over {path} ({exc})", True)
            continue
        if claimed is None:
            continue
        late = clean(entry.values())
        if not late.ran:
            continue
        if late.failure is None:
            _say(device, flow, f"cleaned up after run {entry.run}, which ended before its cleanup")
        else:
            said = f"could not clean up after run {entry.run}, which ended before its cleanup"
            _say(device, flow, f"{said} (not tried again): {late.failure}", True)
        end(claimed)
