"""Unpacking a report zip from elsewhere: bounded, and whole or not at all.

Every name is checked before a byte is written (no absolute path, drive, backslash, '..',
symbolic link, encrypted entry or name given twice). The entries are then streamed into a
fresh folder while counting what they really unpack to and what they really consume — the
sizes the zip's headers claim are never trusted — so a zip bomb stops at a limit, not at a
full disk. Any failure (a limit, a bad CRC half way, Ctrl-C, SIGTERM) removes the folder;
a process killed outright leaves it to the next one, which removes the folders of processes
that no longer run (`sweep`).
"""

from __future__ import annotations

import io
import lzma
import os
import shutil
import signal
import stat
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import FrameType

import psutil

from harness.errors import PlainError

MIB = 1 << 20
# Below this many bytes an entry's ratio is not judged (as Apache POI's ZipSecureFile does):
# a small file of repeated text may compress very well without being a bomb.
RATIO_GRACE = MIB
_CHUNK = 64 * 1024
_UNREADABLE = (
    zipfile.BadZipFile,  # a bad CRC, a truncated or damaged archive
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # zipfile's "password required"
    ValueError,
    OSError,
)


class ZipRefused(PlainError):
    """The zip is not unpacked (the folder is gone): what is wrong, and how to get past it
    when it is a limit (`remedy`; None when only another report will do)."""

    def __init__(self, reason: str, remedy: str | None = None) -> None:
        super().__init__(reason if remedy is None else f"{reason}; {remedy}")
        self.remedy = remedy


@dataclass(frozen=True)
class ZipLimits:
    """Defaults far above a real report: the largest (every step of the 20 flow × device
    new, 168 steps) unpacks to 119 MB in 742 entries, none over 21× its compressed size."""

    max_unpacked_mb: float = 2048.0  # all entries together, as unpacked (MiB)
    max_entries: int = 20_000
    max_ratio: float = 200.0  # one entry's unpacked bytes per compressed byte it consumed

    @property
    def max_bytes(self) -> int:
        return int(self.max_unpacked_mb * MIB)


class LimitError(PlainError):
    """A limit given in the environment that is not a number of 1 or more."""


# Each limit's option is also read from the environment, as --browser-path is from
# GUIDESHOT_BROWSER: for `review` and for CI jobs that set it once.
ENVIRONMENT = {
    "max_unpacked_mb": "GUIDESHOT_MAX_UNPACKED_MB",
    "max_entries": "GUIDESHOT_MAX_ENTRIES",
    "max_ratio": "GUIDESHOT_MAX_RATIO",
}


def at_least_one(text: str) -> float:
    """A limit as written: a finite number, 1 or more (ValueError otherwise)."""
    value = float(text)
    if not 1 <= value < float("inf"):
        raise ValueError(f"{text!r} is not a number of 1 or more")
    return value


def limits_from(
    environ: Mapping[str, str],
    max_unpacked_mb: float | None = None,
    max_entries: float | None = None,
    max_ratio: float | None = None,
) -> ZipLimits:
    """The limits given (options), else from the environment, else the defaults."""
    given = {"max_unpacked_mb": max_unpacked_mb, "max_entries": max_entries, "max_ratio": max_ratio}
    values: dict[str, float] = {}
    for name, variable in ENVIRONMENT.items():
        value = given[name]
        if value is None and variable in environ:
            try:
                value = at_least_one(environ[variable])
            except ValueError:
                raise LimitError(
                    f"{variable}={environ[variable]!r}: give a number of 1 or more"
                ) from None
        if value is not None:
            values[name] = value
    defaults = ZipLimits()
    return ZipLimits(
        max_unpacked_mb=values.get("max_unpacked_mb", defaults.max_unpacked_mb),
        max_entries=int(values.get("max_entries", defaults.max_entries)),
        max_ratio=values.get("max_ratio", defaults.max_ratio),
    )


class _Counted(io.BufferedReader):
    """The archive, counting the bytes zipfile reads from it: what an entry really consumes."""

    consumed = 0

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self.consumed += len(data)
        return data


def _shown(name: str) -> str:
    return name if name.isprintable() else repr(name)


def _name(info: zipfile.ZipInfo) -> str:
    """The entry's name. One without the UTF-8 flag is read as UTF-8 when it is valid UTF-8
    (Info-ZIP's `zip -r` in a C locale writes the report's Japanese names so), else as the
    format's CP437; either way, ASCII bytes such as '/', '.' and '\\' read the same."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except UnicodeError:
        return info.filename


def _checked_path(info: zipfile.ZipInfo, seen: set[PurePosixPath]) -> PurePosixPath:
    name = _name(info)
    if (info.external_attr >> 16) & 0o170000 == stat.S_IFLNK:
        raise ZipRefused(f"the zip's entry {_shown(name)} is a symbolic link (a report has none)")
    if "\\" in name or ":" in name or "\0" in name:
        raise ZipRefused(f"the zip's entry {_shown(name)} has a backslash or a drive in its name")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise ZipRefused(f"the zip names a path outside itself ({_shown(name)})")
    if info.flag_bits & 0x1:
        raise ZipRefused(f"the zip's entry {_shown(name)} is encrypted (a report is not)")
    if path in seen and not info.is_dir():
        raise ZipRefused(f"the zip holds {_shown(name)} twice")
    seen.add(path)
    return path


@dataclass
class _Budget:
    """What the zip may still unpack to, counted as it is written."""

    limits: ZipLimits
    archive: _Counted
    archive_size: int  # the file's size on disk, not what its headers say
    total: int = 0

    def spend(self, name: str, written: int, consumed: int, size: int) -> None:
        """Count `size` more bytes of entry `name` (`written` so far from `consumed`)."""
        limits, ratio = self.limits, self.limits.max_ratio
        self.total += size
        if self.total > limits.max_bytes:
            raise ZipRefused(
                f"the zip unpacks to more than {limits.max_unpacked_mb:g} MiB (at {name})",
                "raise --max-unpacked-mb if it is a report you trust",
            )
        if written > RATIO_GRACE and written > ratio * max(consumed, 1):
            raise ZipRefused(
                f"the zip's entry {name} unpacks to more than {ratio:g} times its compressed "
                "size (a zip bomb)",
                "raise --max-ratio if it is a report you trust",
            )
        # Many entries each under the grace: the whole zip is judged by the same ratio.
        if self.total > RATIO_GRACE and self.total > ratio * max(self.archive_size, 1):
            raise ZipRefused(
                f"the zip unpacks to more than {ratio:g} times its size (a zip bomb, at {name})",
                "raise --max-ratio if it is a report you trust",
            )


def _copy(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: _Budget) -> None:
    """Stream one entry into `target`, a new file, within the budget."""
    name = _shown(_name(info))
    written = 0
    start = budget.archive.consumed
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    with bundle.open(info) as source, open(os.open(target, flags, 0o666), "wb") as sink:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            budget.spend(name, written, budget.archive.consumed - start, len(chunk))
            sink.write(chunk)


def _unpack(archive: Path, into: Path, limits: ZipLimits, marker: str) -> PurePosixPath:
    """Unpack into `into`; the folder (inside the zip) of the shallowest file named `marker`."""
    with (
        open(archive, "rb", buffering=0) as raw,
        _Counted(raw) as counted,
        zipfile.ZipFile(counted) as bundle,
    ):
        infos = bundle.infolist()
        if len(infos) > limits.max_entries:
            raise ZipRefused(
                f"the zip holds {len(infos)} entries, more than {limits.max_entries}",
                "raise --max-entries if it is a report you trust",
            )
        seen: set[PurePosixPath] = set()
        paths = [(info, _checked_path(info, seen)) for info in infos]
        marked = [path for info, path in paths if path.name == marker and not info.is_dir()]
        if not marked:
            raise ZipRefused(f"the zip holds no {marker}")
        budget = _Budget(limits, counted, os.fstat(raw.fileno()).st_size)
        for info, path in paths:
            target = into.joinpath(*path.parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy(bundle, info, target, budget)
    return min(marked, key=lambda path: len(path.parts)).parent


class _Terminated(BaseException):
    """SIGTERM while unpacking: unwind first (removing the folder), then end as asked."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise _Terminated


def unpack(archive: Path, scratch: Path, limits: ZipLimits, marker: str) -> tuple[Path, Path]:
    """Unpack `archive` into a new folder under `scratch` (`from-<pid>-…`): that folder, and
    the folder in it that holds the shallowest `marker` file (refused when there is none).

    On any failure the folder is removed first; then ZipRefused (or the interruption).
    """
    scratch.mkdir(parents=True, exist_ok=True)
    sweep(scratch)
    into = Path(tempfile.mkdtemp(prefix=f"from-{os.getpid()}-", dir=scratch))
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main else None
    previous = signal.SIG_DFL if previous is None else previous
    try:
        top = _unpack(archive, into, limits, marker)
    except BaseException as exc:
        shutil.rmtree(into, ignore_errors=True)
        if isinstance(exc, _Terminated):
            signal.signal(signal.SIGTERM, previous)
            os.kill(os.getpid(), signal.SIGTERM)  # as it would have ended, the folder gone
            raise ZipRefused("unpacking the zip was stopped by SIGTERM") from None
        if isinstance(exc, _UNREADABLE):
            raise ZipRefused(f"not a readable zip ({exc})") from exc
        raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    return into, into.joinpath(*top.parts)


def sweep(scratch: Path) -> None:
    """Remove the unpacked folders of processes that ended without removing their own."""
    for folder in scratch.glob("from-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and int(pid) != os.getpid() and not psutil.pid_exists(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
