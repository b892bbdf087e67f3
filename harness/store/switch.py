"""Replacing a step's files in screenshots/ as one unit: its `.raw.png`, `.png` and `.json`
are switched together, so every step is either wholly old or wholly new.

Everything new is written first, outside screenshots/ (in `.guideshot/`, on the same file
system, so the switch itself is only renames), with a journal saying which step is being
switched: prepared in `prep-<id>/` and renamed to `txn-<id>/` whole, so a `txn-*` folder
always has its journal. `recover` puts back the one step an abrupt end left half-switched
and keeps the ones already done. Both run only under the baseline lock (lock.py): a
transaction recover finds is never a live one. Ctrl-C and SIGTERM are held until the
current step is complete. A failure to write (full disk, read-only folder, permission)
undoes every step of the transaction: the baseline stays as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from harness.errors import PlainError
from harness.files import write_bytes_atomic
from harness.store.lock import holds_lock


class SwitchError(PlainError):
    """Could not write: one line naming the file and the reason (the baseline is unchanged)."""


@dataclass(frozen=True)
class StepSwitch:
    folder: Path  # the step's folder in the baseline, e.g. screenshots/android/notices
    remove: tuple[str, ...]  # the step's old files, taken away
    add: dict[str, bytes]  # the step's new files by name
    label: str  # what a person reads, e.g. android/notices/03-お知らせ.png


@dataclass(frozen=True)
class Recovered:
    kept: int  # steps an abrupt end left switched: kept
    restored: int  # steps it left half-switched: put back as they were
    damaged: tuple[Path, ...]  # transactions whose journal cannot be read: left alone


@dataclass
class Applied:
    done: list[StepSwitch] = field(default_factory=list)
    not_done: list[StepSwitch] = field(default_factory=list)
    signum: int | None = None  # the signal that stopped it between two steps


def _journal(txn: Path) -> Path:
    return txn / "journal.json"


def _write_journal(txn: Path, entries: list[dict[str, object]]) -> None:
    data = {"pid": os.getpid(), "steps": entries}
    write_bytes_atomic(_journal(txn), json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _undo(folder: Path, txn: Path, index: int, remove: Sequence[str], add: Sequence[str]) -> None:
    """Put step `index` back as it was: new files out, old files in."""
    new_dir, old_dir = txn / "new" / str(index), txn / "old" / str(index)
    for name in add:
        if not (new_dir / name).exists():  # it was moved in: what is there now is new
            (folder / name).unlink(missing_ok=True)
    for name in remove:
        if (old_dir / name).exists():
            os.replace(old_dir / name, folder / name)


def _switch(folder: Path, txn: Path, index: int, step: StepSwitch) -> None:
    new_dir, old_dir = txn / "new" / str(index), txn / "old" / str(index)
    old_dir.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name in step.remove:
        if (folder / name).exists():
            os.replace(folder / name, old_dir / name)
    for name in step.add:
        os.replace(new_dir / name, folder / name)


def _describe(exc: OSError) -> str:
    where = exc.filename or exc.filename2 or "?"
    return f"{where}: {exc.strerror or exc}"


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """SIGINT/SIGTERM are noted, not acted on, until the block ends (main thread only)."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: caught.append(signum))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _require_lock(work: Path) -> None:
    if not holds_lock(work):
        raise RuntimeError(f"switching files in {work.parent} needs its baseline_lock")


def _prepare(work: Path, steps: Sequence[StepSwitch], entries: list[dict[str, object]]) -> Path:
    """The transaction folder, with every new file and the journal, put in place whole."""
    name = uuid.uuid4().hex
    prep, txn = work / f"prep-{name}", work / f"txn-{name}"
    try:
        for index, step in enumerate(steps):
            for file_name, data in step.add.items():
                write_bytes_atomic(prep / "new" / str(index) / file_name, data)
        _write_journal(prep, [{**entry, "state": "pending"} for entry in entries])
        os.rename(prep, txn)
    except OSError as exc:
        shutil.rmtree(prep, ignore_errors=True)
        raise SwitchError(_describe(exc)) from exc
    return txn


def apply(
    work: Path, steps: Sequence[StepSwitch], on_done: Callable[[StepSwitch], None] | None = None
) -> Applied:
    """Switch every step, in order. Raises SwitchError after undoing all of them.
    The caller holds the baseline lock around reading what it plans and this switch."""
    _require_lock(work)
    applied = Applied()
    if not steps:
        return applied
    entries: list[dict[str, object]] = [
        {"folder": str(step.folder), "remove": list(step.remove), "add": list(step.add)}
        for step in steps
    ]
    txn = _prepare(work, steps, entries)
    states = ["pending"] * len(steps)
    with _signals_held() as caught:
        for index, step in enumerate(steps):
            if caught:
                applied.signum = caught[0]
                applied.not_done = list(steps[index:])
                break
            try:
                states[index] = "switching"
                _write_journal(
                    txn, [{**e, "state": s} for e, s in zip(entries, states, strict=True)]
                )
                _switch(step.folder, txn, index, step)
                states[index] = "done"
            except OSError as exc:
                for back in range(index, -1, -1):
                    _undo(steps[back].folder, txn, back, steps[back].remove, list(steps[back].add))
                shutil.rmtree(txn, ignore_errors=True)
                raise SwitchError(_describe(exc)) from exc
            applied.done.append(step)
            if on_done is not None:
                on_done(step)
    shutil.rmtree(txn, ignore_errors=True)
    return applied


def recover(work: Path) -> Recovered:
    """Finish what an abrupt end left (under the lock: no transaction found here is live)."""
    _require_lock(work)
    kept = restored = 0
    damaged: list[Path] = []
    if not work.is_dir():
        return Recovered(kept, restored, ())
    for prep in work.glob("prep-*"):
        shutil.rmtree(prep, ignore_errors=True)  # interrupted while preparing: nothing moved
    for txn in sorted(work.glob("txn-*")):
        try:
            steps = json.loads(_journal(txn).read_text("utf-8"))["steps"]
        except FileNotFoundError:
            if not (txn / "old").exists():  # an older guideshot's, cut off while preparing
                shutil.rmtree(txn, ignore_errors=True)
                continue
            damaged.append(txn)
            continue
        except (OSError, ValueError, KeyError, TypeError):
            damaged.append(txn)  # its old/ may hold approved files: a person decides
            continue
        for index, entry in enumerate(steps):
            if entry["state"] == "switching":
                _undo(Path(entry["folder"]), txn, index, entry["remove"], entry["add"])
                restored += 1
            elif entry["state"] == "done":
                kept += 1
        shutil.rmtree(txn, ignore_errors=True)
    return Recovered(kept, restored, tuple(damaged))
