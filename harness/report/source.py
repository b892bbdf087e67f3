"""Opening a report to approve from: the folder `check` wrote, or the zip a CI hands out.

Anything else (a folder without report.json, a zip holding another tree, a path outside
the zip) is refused in one line, before anything is read from it.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from harness.drift.verdict import CheckReport
from harness.errors import PlainError
from harness.report.json_report import load_json

REPORT_JSON = "report.json"


class NotAReport(PlainError):
    """The path given to --from is not a guideshot report: one line naming it."""


def _hint(path: Path) -> str:
    return (
        f"--from {path}: {{}}; pass the folder `guideshot check` wrote (report/) "
        "or the zip of it a CI uploaded"
    )


def _extract(archive: Path, into: Path) -> Path:
    """Unpack `archive` under `into`; the folder holding report.json inside it."""
    hint = _hint(archive)
    try:
        with zipfile.ZipFile(archive) as bundle:
            names = bundle.namelist()
            for name in names:
                parts = PurePosixPath(name).parts
                if PurePosixPath(name).is_absolute() or ".." in parts:
                    raise NotAReport(hint.format(f"the zip names a path outside itself ({name})"))
            tops = [name for name in names if PurePosixPath(name).name == REPORT_JSON]
            if not tops:
                raise NotAReport(hint.format("the zip holds no report.json"))
            top = min(tops, key=lambda name: len(PurePosixPath(name).parts))
            into.mkdir(parents=True, exist_ok=True)
            bundle.extractall(into)
    except (zipfile.BadZipFile, OSError) as exc:
        raise NotAReport(hint.format(f"not a readable zip ({exc})")) from exc
    return into / PurePosixPath(top).parent


def open_report(path: Path, scratch: Path) -> tuple[Path, CheckReport]:
    """The report folder (a zip is unpacked into a fresh folder under `scratch`)."""
    hint = _hint(path)
    if not path.exists():
        raise NotAReport(hint.format("no such file or folder"))
    folder = path
    if path.is_file():
        folder = _extract(path, scratch / f"from-{uuid.uuid4().hex}")
    try:
        report = load_json((folder / REPORT_JSON).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotAReport(hint.format("it holds no report.json")) from None
    except (OSError, ValueError) as exc:
        raise NotAReport(hint.format(f"its report.json cannot be read ({exc})")) from exc
    return folder, report


def discard(folder: Path, scratch: Path) -> None:
    """Remove a folder `open_report` unpacked (never the user's own report folder)."""
    if scratch in folder.parents:
        unpacked = scratch / folder.relative_to(scratch).parts[0]
        shutil.rmtree(unpacked, ignore_errors=True)
