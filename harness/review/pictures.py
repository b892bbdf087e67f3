"""Opening a file of the served report (a picture, a trace) without following a link out of it.

Each component is opened relative to the folder before it with O_NOFOLLOW, so a symbolic
link anywhere on the way is refused, never followed, even one swapped in while the path
is walked (checking with lstat and then opening by name would leave that gap). The file
itself must be a regular file: a FIFO would block the open (hence O_NONBLOCK) and a device
is not a picture.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def _open_file(root: Path, parts: Sequence[str]) -> int | None:
    try:
        folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        for part in parts[:-1]:
            inner = os.open(part, _FOLDER, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], _FILE, dir_fd=folder)
    except OSError:  # ELOOP for a link, ENOTDIR, ENOENT, EACCES …
        return None
    finally:
        os.close(folder)


def open_inside(root: Path, parts: Sequence[str]) -> BinaryIO | None:
    """The regular file at root/parts, opened for reading; None for anything else."""
    if not parts:
        return None
    fd = _open_file(root, parts)
    if fd is None:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")
