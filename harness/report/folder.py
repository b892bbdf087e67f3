"""The folder a report goes to (`check --report`, `merge --report`): replaced only when it
is guideshot's own, and only whole.

Every report carries MARKER, written first. A folder is replaced only when it carries the
marker, is empty, or is a report written before the marker existed (LEGACY: nothing but
the files and folders guideshot writes, report.json among them; once replaced it carries
the marker). Anything else — a folder with other files, a symbolic link (the path itself
or anything inside), a mount point, a folder or parent that cannot be written — is refused
in one line before anything runs.

The new report is written aside, in a hidden sibling folder (same parent, so the same file
system), and switched in by two renames at the end; until then the old report is as it
was, and a failure or interruption removes the aside folder. A process killed between the
two renames leaves the old report under a hidden name: the next report to the same place
puts it back (or removes it, if the new one got in).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from harness.errors import PlainError
from harness.output_folder import OutputKind
from harness.output_folder import refusal as output_refusal

MARKER = ".guideshot-report"
MARKER_TEXT = "guideshot-report/1\n"

# What guideshot wrote into a report folder before reports carried MARKER.
LEGACY_FILES = frozenset({"index.html", "junit.xml", "report.json", "summary.md", "shard.json"})
LEGACY_FOLDERS = frozenset({"images", "captures"})  # holding only .png and .json files
LEGACY_SUFFIXES = (".png", ".json")


class ReportFolderError(PlainError):
    """The report folder cannot be (safely) replaced: one line, the old report untouched."""


def _aside_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(name)}\.guideshot-(new|old)-(\d+)-")


def is_legacy_report(folder: Path) -> bool:
    """Only what guideshot used to write, report.json among it."""
    top = {entry.name: entry for entry in folder.iterdir()}
    if "report.json" not in top:
        return False
    for name, entry in top.items():
        if name in LEGACY_FILES and entry.is_file():
            continue
        if name not in LEGACY_FOLDERS or not entry.is_dir():
            return False
        for _root, _dirs, files in os.walk(entry):
            if any(not file.endswith(LEGACY_SUFFIXES) for file in files):
                return False
    return True


REPORT = OutputKind("report", MARKER, MARKER_TEXT, also_owned=is_legacy_report)


def is_marked(folder: Path) -> bool:
    return REPORT.carries_marker(folder)


def refusal(target: Path, flag: str = "--report") -> str | None:
    """Why `target` must not be replaced by a new report, in one line; None if it may."""
    return output_refusal(target, f"{flag} {target}", REPORT)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tidy_asides(target: Path) -> None:
    """Remove what a killed report writer left beside `target` (only marked folders of
    processes that are gone); an old report left between the two renames is put back."""
    parent, pattern = target.parent, _aside_pattern(target.name)
    for entry in sorted(parent.iterdir()) if parent.is_dir() else []:
        match = pattern.match(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir():
            continue
        if not (is_marked(entry) or is_legacy_report(entry) or not any(entry.iterdir())):
            continue  # named like ours, but not a report: not ours to remove
        pid = int(match.group(2))
        if pid == os.getpid() or _pid_alive(pid):
            continue
        if match.group(1) == "old" and not os.path.lexists(target):
            os.rename(entry, target)
        else:
            shutil.rmtree(entry, ignore_errors=True)


@dataclass
class ReportAside:
    """The folder a new report is written to, until `commit` puts it in `target`'s place."""

    target: Path
    path: Path
    committed: bool = False

    def commit(self) -> None:
        """Switch the new report in: the old one out of the way, the new one in, the old one
        deleted. OSError leaves the old report where it was."""
        old: Path | None = None
        if os.path.lexists(self.target):
            old = self._sibling("old")
            try:
                os.rename(self.target, old)
            except BaseException:
                old.rmdir()
                raise
        try:
            os.rename(self.path, self.target)
        except BaseException:
            if old is not None:
                os.rename(old, self.target)
            raise
        self.committed = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _sibling(self, kind: str) -> Path:
        prefix = f".{self.target.name}.guideshot-{kind}-{os.getpid()}-"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.target.parent))


@contextmanager
def new_report(target: Path, flag: str = "--report") -> Iterator[ReportAside]:
    """A fresh, marked folder beside `target` for the new report; removed on leaving unless
    committed. ReportFolderError (nothing changed) when `target` may not be replaced."""
    problem = refusal(target, flag)
    if problem is not None:
        raise ReportFolderError(problem)
    target = Path(os.path.abspath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tidy_asides(target)
        prefix = f".{target.name}.guideshot-new-{os.getpid()}-"
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    except OSError as exc:
        raise _cannot_write(flag, target, exc) from None
    aside = ReportAside(target, path)
    try:
        try:
            path.chmod(0o755)  # mkdtemp's 0700: a report is read by others (CI, review)
            (path / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise _cannot_write(flag, target, exc) from None
        yield aside
    finally:
        if not aside.committed:
            shutil.rmtree(path, ignore_errors=True)


def _cannot_write(flag: str, target: Path, exc: OSError) -> ReportFolderError:
    return ReportFolderError(
        f"{flag} {target}: cannot write beside it ({exc.strerror or exc}); choose a folder "
        "you can write"
    )
