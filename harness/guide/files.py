"""Atomic file and folder replacement: an interrupted build never leaves a half-written guide."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the guide is meant to be shared
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def staging_dir(target: Path) -> Path:
    """A fresh folder beside `target` to build into before swapping it in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    staged.chmod(0o755)  # mkdtemp makes 0700
    return staged


def swap_in(staged: Path, target: Path) -> None:
    """Replace `target` with `staged`; the old folder is only removed once the new one is in."""
    retired: Path | None = None
    if target.exists():
        retired = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old."))
        os.replace(target, retired / target.name)
    os.replace(staged, target)
    if retired is not None:
        shutil.rmtree(retired)
