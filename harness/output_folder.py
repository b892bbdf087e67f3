"""A folder guideshot replaces whole with its own output (a report, a Markdown export).

It may be replaced only when it is new, empty or guideshot's own (it carries the output's
marker file, or the owner's test says so otherwise), and never through a link: a link (the
path itself or anything inside), a mount point, a folder or parent that cannot be written
is refused in one line before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class OutputKind:
    noun: str  # "report": how the refusals name what would be written
    marker: str  # the file every such folder carries, written first
    marker_text: str
    # Another way a folder can be guideshot's own (e.g. a report older than the marker).
    also_owned: Callable[[Path], bool] = lambda _folder: False

    def carries_marker(self, folder: Path) -> bool:
        marker = folder / self.marker
        try:
            return not marker.is_symlink() and marker.read_text("utf-8") == self.marker_text
        except (OSError, UnicodeDecodeError):
            return False


def refusal(target: Path, where: str, kind: OutputKind) -> str | None:
    """Why `target` must not be replaced by new output, in one line (starting with `where`,
    the option and path as the user gave them); None if it may."""
    try:
        return _refusal(target, where, kind)
    except OSError as exc:
        return f"{where}: cannot read it ({exc.strerror or exc}); choose another folder"


def _refusal(target: Path, where: str, kind: OutputKind) -> str | None:
    parent = Path(os.path.abspath(target)).parent
    if target.is_symlink():
        return (
            f"{where}: is a symbolic link; give the folder itself (a {kind.noun} is never "
            "written through a link)"
        )
    if not target.exists():
        ancestor = next(p for p in (parent, *parent.parents) if os.path.lexists(p))
        if not ancestor.is_dir():
            return f"{where}: {ancestor} is not a folder; choose a folder for the {kind.noun}"
        if not os.access(ancestor, os.W_OK | os.X_OK):
            return f"{where}: cannot write in {ancestor}; choose a folder you can write"
        return None
    if not target.is_dir():
        return f"{where}: is a file; choose a folder"
    if os.path.ismount(target):
        return (
            f"{where}: is a mount point; give a folder inside it (a {kind.noun} is replaced whole)"
        )
    if any(target.iterdir()) and not kind.carries_marker(target) and not kind.also_owned(target):
        return (
            f"{where}: the folder holds files that are not a guideshot {kind.noun} (it has no "
            f"{kind.marker}); choose an empty or new folder"
        )
    inside = _problem_inside(target, where, kind.noun)
    if inside is not None:
        return inside
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{where}: cannot write in {parent}; choose a folder you can write"
    return None


def _problem_inside(folder: Path, where: str, noun: str) -> str | None:
    """A link, a mount point or a folder this process cannot change, anywhere inside."""
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        if not os.access(here, os.W_OK | os.X_OK):
            return f"{where}: cannot change {here} (read-only); choose a folder you can write"
        for name in [*dirs, *files]:
            path = here / name
            if path.is_symlink():
                return (
                    f"{where}: {path} is a symbolic link; a {noun} folder holding links is "
                    "never cleared: remove the link or choose another folder"
                )
            if name in dirs and os.path.ismount(path):
                return f"{where}: {path} is a mount point; choose another folder"
    return None
