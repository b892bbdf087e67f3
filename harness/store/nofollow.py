"""Reading inside a folder without following links: a name opened here is a real folder or a
regular file in the folder it was opened from, never where a link points.

Folders are opened one level at a time (a descriptor each, names resolved against the
parent's descriptor), so swapping a folder for a link after it was checked changes nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a FIFO planted under a listed name must not wait for a writer.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_CHUNK = 1 << 20


class NotPlain(OSError):
    """The name is a link, a folder where a file was expected, a device or the like."""


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


@contextmanager
def folder(name: str | Path, parent: int | None = None) -> Iterator[int]:
    """A descriptor of the real folder `name` (in `parent`'s folder when given)."""
    info = os.stat(name, dir_fd=parent, follow_symlinks=False)  # FileNotFoundError if missing
    if not stat.S_ISDIR(info.st_mode):
        raise NotPlain(f"{_kind(info.st_mode)}, not a folder")
    handle = os.open(name, _FOLDER, dir_fd=parent)  # ELOOP if it became a link since
    try:
        yield handle
    finally:
        os.close(handle)


@contextmanager
def given(path: Path) -> Iterator[int]:
    """A descriptor of a folder the user named (--baseline): links in its path are theirs."""
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield handle
    finally:
        os.close(handle)


def read_regular(parent: int, name: str, limit: int) -> bytes:
    """The bytes of the regular file `name` in `parent`; NotPlain for anything else.

    Raises FileNotFoundError when it is missing and NotPlain when it is over `limit` bytes.
    """
    info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    if not stat.S_ISREG(info.st_mode):
        raise NotPlain(_kind(info.st_mode))
    handle = os.open(name, _FILE, dir_fd=parent)
    try:
        opened = os.fstat(handle)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise NotPlain("replaced while it was being read")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, _CHUNK):
            size += len(chunk)
            if size > limit:
                raise NotPlain(f"larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def entries(handle: int) -> list[tuple[str, int]]:
    """Every name in the folder `handle` with its own mode (a link is a link)."""
    found = []
    with os.scandir(handle) as listing:
        for entry in listing:
            found.append((entry.name, entry.stat(follow_symlinks=False).st_mode))
    return sorted(found)
