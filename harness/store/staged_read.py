"""Reading staged flows, the local ones (.guideshot/current) and a report's, as untrusted data.

A flow folder is `<root>/<device>/<flow>/`: both names must be names guideshot writes and
equal to what its manifest says, both real folders (never links). Each file a step names is
read once, as a regular file in that folder (never through a link), and its bytes are
checked against the manifest's sha256 and carried on: what approve writes is what was
checked, never a second read of the file.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from harness.store import nofollow
from harness.store.manifest import MANIFEST, StagedFlow, StagedStep, StagingProblem, first_error
from harness.store.names import is_device_name, is_flow_id, shown

# Far above anything a capture holds (the largest picture of a full report is 0.8 MB).
FILE_LIMIT = 64 << 20
AGAIN = "run `guideshot check` again"


@dataclass(frozen=True)
class CheckedFlow:
    device: str  # the device folder's name, equal to the manifest's device
    flow: str  # the flow folder's name, equal to the manifest's flow
    manifest: StagedFlow
    files: Mapping[str, bytes]  # every file the steps name → its bytes, hash checked

    @property
    def steps(self) -> list[StagedStep]:
        return self.manifest.steps


def _names_problem(device: str, flow: str) -> str | None:
    if not is_device_name(device):
        return f"the folder {shown(device)} is not named after a device"
    if not is_flow_id(flow):
        return f"the folder {shown(flow)} is not named after a flow"
    return None


def _manifest(handle: int, folder: Path, where: str) -> StagedFlow:
    path = folder / MANIFEST
    try:
        data = nofollow.read_regular(handle, MANIFEST, FILE_LIMIT)
    except FileNotFoundError:
        raise StagingProblem(
            f"{where}: the staged captures have no manifest (an older or interrupted run); {AGAIN}"
        ) from None
    except OSError as exc:
        raise StagingProblem(f"{path}: {exc.strerror or exc}; {AGAIN}") from exc
    try:
        return StagedFlow.model_validate_json(data)
    except ValidationError as exc:
        raise StagingProblem(
            f"{path}: {first_error(exc)}; it is not a manifest guideshot wrote, {AGAIN}"
        ) from exc


def _read(handle: int, folder: Path, device: str, flow: str) -> CheckedFlow:
    where = f"{device}/{flow}"
    manifest = _manifest(handle, folder, where)
    for field, named, actual in (
        ("device", manifest.device, device),
        ("flow", manifest.flow, flow),
    ):
        if named != actual:
            raise StagingProblem(
                f"{folder / MANIFEST}: its {field} is {shown(named)} but it sits in the folder "
                f"{shown(actual)}; a manifest approves only its own folder, {AGAIN}"
            )
    if not manifest.complete:
        why = manifest.failure.splitlines()[0] if manifest.failure else "it is incomplete"
        raise StagingProblem(
            f"{where}: the latest run did not complete ({why}); fix it and run check again"
        )
    files: dict[str, bytes] = {}
    for step in manifest.steps:
        for name, digest in step.sha256.items():
            try:
                data = nofollow.read_regular(handle, name, FILE_LIMIT)
            except FileNotFoundError:
                data = None
            except OSError as exc:
                raise StagingProblem(
                    f"{folder / name}: {exc.strerror or exc}; guideshot approves only the "
                    f"regular files it staged, {AGAIN}"
                ) from exc
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                raise StagingProblem(
                    f"{folder / name}: missing or changed since it was staged; {AGAIN}"
                )
            files[name] = data
    return CheckedFlow(device, flow, manifest, files)


def read_staged(folder: Path) -> CheckedFlow:
    """The flow staged in `folder` (`<root>/<device>/<flow>`), checked as described above."""
    device, flow = folder.parent.name, folder.name
    problem = _names_problem(device, flow)
    if problem:
        raise StagingProblem(f"{folder}: {problem}; guideshot approves only what it staged")
    try:
        with (
            nofollow.folder(folder.parent.parent) as root,
            nofollow.folder(device, root) as device_handle,
            nofollow.folder(flow, device_handle) as handle,
        ):
            return _read(handle, folder, device, flow)
    except FileNotFoundError:
        raise StagingProblem(f"{folder}: no such folder; {AGAIN}") from None
    except nofollow.NotPlain as exc:
        raise StagingProblem(f"{folder}: {exc}; {AGAIN}") from exc


def _subfolders(handle: int, where: Path) -> list[str]:
    """The folders in `handle`, links refused; hidden entries and plain files left unread."""
    names = []
    for name, mode in nofollow.entries(handle):
        if name.startswith("."):
            continue  # staging's own .incoming/.outgoing, a file manager's .DS_Store
        if stat.S_ISLNK(mode):
            raise StagingProblem(
                f"{where / name}: a symbolic link; guideshot reads only real folders, {AGAIN}"
            )
        if stat.S_ISDIR(mode):
            names.append(name)
    return names


def staged_folders(root: Path, flows: Sequence[str], devices: Sequence[str]) -> list[Path]:
    """The flow folders under `root` (<device>/<flow>) the selection names (all when empty).

    Raises StagingProblem for a link or a folder no guideshot would have written, selected
    or not: such a tree did not come from guideshot as it is.
    """
    if not root.is_dir():
        return []
    found: list[Path] = []
    try:
        with nofollow.folder(root) as top:
            for device in _subfolders(top, root):
                with nofollow.folder(device, top) as device_handle:
                    for flow in _subfolders(device_handle, root / device):
                        problem = _names_problem(device, flow)
                        if problem:
                            raise StagingProblem(f"{root / device / flow}: {problem}; {AGAIN}")
                        found.append(root / device / flow)
    except nofollow.NotPlain as exc:
        raise StagingProblem(f"{root}: {exc}; {AGAIN}") from exc
    return [
        folder
        for folder in found
        if (not flows or folder.name in flows) and (not devices or folder.parent.name in devices)
    ]
