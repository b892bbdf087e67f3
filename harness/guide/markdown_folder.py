"""The folder a Markdown export goes to: replaced only when it is guideshot's own export (or
empty or new), only whole, and never through a link.

The export is written aside, in a hidden sibling folder, and swapped in at the end
(harness.guide.files), so a failed or interrupted export leaves the old one as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.guide.files import staging_dir, swap_in, write_atomic

MARKER = ".guideshot-markdown"
MARKER_TEXT = "guideshot-markdown/1\n"


def _is_marked(folder: Path) -> bool:
    marker = folder / MARKER
    try:
        return not marker.is_symlink() and marker.read_text("utf-8") == MARKER_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def refusal(target: Path) -> str | None:
    """Why `target` must not receive the export, in one line; None when it may."""
    where = f"--format markdown {target}"
    try:
        if target.is_symlink():
            return f"{where}: is a symbolic link; give the folder itself"
        parent = Path(os.path.abspath(target)).parent
        if not target.exists():
            ancestor = next(p for p in (parent, *parent.parents) if os.path.lexists(p))
            if not ancestor.is_dir():
                return f"{where}: {ancestor} is not a folder; choose a folder for the export"
            if not os.access(ancestor, os.W_OK | os.X_OK):
                return f"{where}: cannot write in {ancestor}; choose a folder you can write"
            return None
        if not target.is_dir():
            return f"{where}: is a file; choose a folder"
        if any(target.iterdir()) and not _is_marked(target):
            return (
                f"{where}: the folder holds files that are not a guideshot Markdown export "
                f"(it has no {MARKER}); choose an empty or new folder"
            )
        for root, dirs, files in os.walk(target):
            for name in [*dirs, *files]:
                if (Path(root) / name).is_symlink():
                    return f"{where}: {Path(root) / name} is a symbolic link; remove it first"
        if not os.access(parent, os.W_OK | os.X_OK):
            return f"{where}: cannot write in {parent}; choose a folder you can write"
    except OSError as exc:
        return f"{where}: cannot read it ({exc.strerror or exc}); choose another folder"
    return None


@contextmanager
def new_export(target: Path) -> Iterator[Path]:
    """A fresh, marked folder beside `target`; swapped in when the block ends without an
    exception, removed otherwise. Check `refusal` first."""
    staged = staging_dir(target)
    try:
        write_atomic(staged / MARKER, MARKER_TEXT.encode("utf-8"))
        yield staged
        swap_in(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
