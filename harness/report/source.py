"""Opening a report to approve or review from: the folder `check` wrote, or the zip a CI
hands out. The one way in for a report, which is untrusted data.

A zip is unpacked within limits into a fresh folder (unzip.py). Then everything is checked
before anything is used: report.json (a regular file, a guideshot report), and every flow
folder under captures/ as staged_read.py reads it (names guideshot writes, equal to the
manifest's; real folders and regular files, never links; every file with its hash). Anything
else is refused in one line naming the file or field, and an unpacked folder is removed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NamedTuple

from harness.drift.verdict import CheckReport
from harness.errors import PlainError
from harness.report.bundle import captures_root
from harness.report.json_report import load_json
from harness.report.unzip import LimitError, ZipLimits, ZipRefused, limits_from, unpack
from harness.store import nofollow
from harness.store.staged_read import FILE_LIMIT, read_staged, staged_folders
from harness.store.staging import StagingProblem

REPORT_JSON = "report.json"
UNPACKED_PREFIX = "from-"


class NotAReport(PlainError):
    """The path given to --from is not a guideshot report: one line naming it."""


class OpenedReport(NamedTuple):
    folder: Path  # the report's folder (inside the unpacked folder for a zip)
    report: CheckReport


def _hint(path: Path) -> str:
    return (
        f"--from {path}: {{}}; pass the folder `guideshot check` wrote (report/) "
        "or the zip of it a CI uploaded"
    )


def _read_report(folder: Path, hint: str) -> CheckReport:
    try:
        with nofollow.given(folder) as handle:
            text = nofollow.read_regular(handle, REPORT_JSON, FILE_LIMIT).decode("utf-8")
    except FileNotFoundError:
        raise NotAReport(hint.format("it holds no report.json")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotAReport(hint.format(f"its report.json cannot be read ({exc})")) from exc
    try:
        return load_json(text)
    except ValueError as exc:  # pydantic's ValidationError is one
        first = str(exc).splitlines()[0]
        raise NotAReport(hint.format(f"its report.json cannot be read ({first})")) from exc


def _check_captures(folder: Path, path: Path) -> None:
    """Every flow folder the report carries, read as approve would read it."""
    try:
        for flow_folder in staged_folders(captures_root(folder), (), ()):
            read_staged(flow_folder)
    except StagingProblem as problem:
        raise NotAReport(f"--from {path}: {problem}") from problem


def _unpacked(path: Path, scratch: Path, limits: ZipLimits | None) -> tuple[Path, Path]:
    try:
        chosen = limits if limits is not None else limits_from(os.environ)
        return unpack(path, scratch, chosen, REPORT_JSON)
    except LimitError as exc:
        raise NotAReport(str(exc)) from exc
    except ZipRefused as exc:
        if exc.remedy is None:
            raise NotAReport(_hint(path).format(exc)) from exc
        raise NotAReport(f"--from {path}: {exc}") from exc


def open_report(path: Path, scratch: Path, limits: ZipLimits | None = None) -> OpenedReport:
    """The report at `path`, checked whole; a zip is unpacked into a new folder under
    `scratch` within `limits` (None: the environment's GUIDESHOT_MAX_* or the defaults)."""
    hint = _hint(path)
    if not path.exists():
        raise NotAReport(hint.format("no such file or folder"))
    if not path.is_file():
        report = _read_report(path, hint)
        _check_captures(path, path)
        return OpenedReport(path, report)
    unpacked, folder = _unpacked(path, scratch, limits)
    try:
        report = _read_report(folder, hint)
        _check_captures(folder, path)
    except BaseException:
        shutil.rmtree(unpacked, ignore_errors=True)
        raise
    return OpenedReport(folder, report)


def discard(folder: Path, scratch: Path) -> None:
    """Remove a folder `open_report` unpacked (never the user's own report folder)."""
    if scratch in folder.parents:
        unpacked = scratch / folder.relative_to(scratch).parts[0]
        if unpacked.name.startswith(UNPACKED_PREFIX):
            shutil.rmtree(unpacked, ignore_errors=True)
