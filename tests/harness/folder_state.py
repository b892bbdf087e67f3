"""What a folder holds, to compare before and after, and privileged ways to make it
unwritable for root (for whom chmod changes nothing): each skips the test when the machine
does not allow it."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def state(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (hidden ones too): a file's SHA-256, a link's target."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"link → {os.readlink(path)}"
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _privileged(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"`{' '.join(command)}` is not allowed here: {done.stderr.strip()}")


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """`chattr +i`: not even root may add, remove or rename entries in it."""
    _privileged("chattr", "+i", str(path))
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextmanager
def read_only_bind(path: Path) -> Iterator[None]:
    """`path` bound onto itself read-only: a read-only file system, for root too."""
    _privileged("mount", "--bind", str(path), str(path))
    try:
        _privileged("mount", "-o", "remount,ro,bind", str(path))
        yield
    finally:
        subprocess.run(["umount", str(path)], check=True)
