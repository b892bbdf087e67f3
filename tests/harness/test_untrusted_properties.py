"""Property tests of the report's checked reader, the planner and the zip unpacker: whatever
strings a manifest or a zip holds (flows, devices, file names, traversals, absolute paths,
links), nothing planned or unpacked lands outside the selected flow's folder or the fresh
unpacked folder, and no link's target is ever carried.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from harness.report.unzip import ZipLimits, ZipRefused, unpack
from harness.scenario.model import SLUG
from harness.store.approve import plan_approval
from harness.store.manifest import StagedFlow, StagingProblem
from harness.store.names import DEVICE_NAME, is_device_name, is_flow_id, is_step_stem, step_files
from harness.store.staged_read import staged_folders

BOUNDED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
NASTY = [
    "..", ".", "", "/", "../..", "../../home", "/etc", "/tmp/x", "a/b", "a\\b", "..\\x", "C:",
    "C:\\x", "\0", "a\0b", " android", "android ", ".hidden", "~", "-rf", "android/..",
    "Pixel 5", "iPad (gen 7) landscape", "Galaxy S9+", "login-userid", "01-a.png",
    "01-a.raw.png", "01-a.json", "01-../x.png", "01-..png", "01-a/b.png", "１２-a.png",
]  # fmt: skip
OUTSIDE = b"the outside file a link points to"


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=12),
        st.lists(st.sampled_from(["..", ".", "a", "", "home", "android"]), max_size=4).map(
            "/".join
        ),
    )


def _sometimes(
    data: st.DataObject, usual: Any, anything: st.SearchStrategy[Any], label: str
) -> Any:
    """`usual` four times in five, else anything: a valid scene with a few fields attacked
    (independent halves would leave almost no example valid)."""
    attacked = data.draw(st.integers(0, 4), label=f"attack {label}") == 0
    return data.draw(anything, label=label) if attacked else usual


devices = st.one_of(_text(), st.from_regex(DEVICE_NAME, fullmatch=True))
flows = st.one_of(_text(), st.from_regex(SLUG, fullmatch=True).map(lambda s: s[:40]))
stems = st.one_of(_text(), st.from_regex(r"0[1-3]-[\w-]{1,8}", fullmatch=True), st.just("01-step"))


def _plain(name: str) -> bool:
    """A single path component that cannot climb, hide or start at the root, anywhere."""
    return (
        bool(name)
        and name not in (".", "..")
        and not name.startswith(".")
        and not any(c in name for c in "/\\\0:")
        and PurePosixPath(name).parts == (name,)
    )


@BOUNDED
@given(device=devices, flow=flows, stem=stems, number=st.integers(-2, 120))
def test_every_accepted_name_is_one_plain_component(
    device: str, flow: str, stem: str, number: int
) -> None:
    base = "/srv/repo/screenshots"
    if is_device_name(device) and is_flow_id(flow):
        assert _plain(device) and _plain(flow)
        joined = os.path.join(base, device, flow)
        assert os.path.normpath(joined) == joined
    if is_step_stem(stem, number):
        for name in step_files(stem):
            assert _plain(name)
            joined = os.path.join(base, "android", "flow", name)
            assert os.path.dirname(os.path.normpath(joined)) == f"{base}/android/flow"


def _step(number: int, stem: str, names: tuple[str, str, str] | None = None) -> dict[str, Any]:
    raw, image, record = names or step_files(stem)
    return {
        "number": number,
        "raw_image": raw,
        "image": image,
        "record": record,
        "sha256": {raw: "0" * 64, image: "0" * 64, record: "0" * 64},
        "baseline_raw_sha256": None,
    }


@BOUNDED
@given(data=st.data(), number=st.integers(-2, 120))
def test_a_manifest_the_model_accepts_names_only_plain_files(
    data: st.DataObject, number: int
) -> None:
    device = _sometimes(data, "android", devices, "device")
    flow = _sometimes(data, "notices", flows, "flow")
    stem = _sometimes(data, f"{number:02d}-step", stems, "stem")
    names = _sometimes(data, None, st.tuples(_text(), _text(), _text()), "names")
    document = {
        "flow": flow,
        "device": device,
        "complete": True,
        "expected_steps": [number],
        "steps": [_step(number, stem, names)],
    }
    try:
        manifest = StagedFlow.model_validate_json(json.dumps(document))
    except ValueError:
        event("refused")
        return
    event("accepted")
    assert _plain(manifest.flow) and _plain(manifest.device)
    for step in manifest.steps:
        assert set(step.sha256) == {step.raw_image, step.image, step.record}
        assert all(_plain(name) for name in step.sha256)


def _creatable(name: str) -> bool:
    return (
        bool(name)
        and name not in (".", "..")
        and "/" not in name
        and "\0" not in name
        and len(name.encode("utf-8", "surrogatepass")) <= 200
        and name.isprintable()
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in name)
    )


FILE_KINDS = ["file", "link", "folder", "missing"]
# One of a step's three files replaced by a link (to a file outside), a folder, or nothing.
one_file_not_plain = st.tuples(st.integers(0, 2), st.sampled_from(FILE_KINDS[1:])).map(
    lambda odd: tuple(odd[1] if index == odd[0] else "file" for index in range(3))
)
LEVELS = ["device", "flow"]


def _plant(folder: Path, name: str, kind: str, outside: Path, data: bytes) -> str:
    """Make `name` in `folder` as `kind`; the sha256 a manifest would list for it."""
    if not _creatable(name) or kind == "missing" or (folder / name).exists():
        return hashlib.sha256(data).hexdigest()
    if kind == "file":
        (folder / name).write_bytes(data)
    elif kind == "link":  # its listed hash is the target's: the hash check alone passes
        (folder / name).symlink_to(outside)
        return hashlib.sha256(OUTSIDE).hexdigest()
    else:
        (folder / name).mkdir()
    return hashlib.sha256(data).hexdigest()


@settings(BOUNDED, max_examples=200)
@given(data=st.data(), number=st.integers(0, 12))
def test_nothing_is_planned_outside_the_selected_flows_folder(
    data: st.DataObject, number: int
) -> None:
    """A captures tree on disk with arbitrary folder names, manifest strings and file kinds
    (links to a file outside included): every planned switch is in
    baseline/<folder device>/<folder flow>, names one plain file, and never carries a
    link target's bytes."""
    folder_device = _sometimes(data, "android", devices.filter(_creatable), "device folder")
    folder_flow = _sometimes(data, "notices", flows.filter(_creatable), "flow folder")
    device = _sometimes(data, folder_device, devices, "manifest device")
    flow = _sometimes(data, folder_flow, flows, "manifest flow")
    stem = _sometimes(data, f"{number:02d}-step", stems, "stem")
    names = _sometimes(data, None, st.tuples(_text(), _text(), _text()), "names")
    kinds = _sometimes(data, ("file",) * 3, one_file_not_plain, "kinds")
    link_levels = _sometimes(data, set(), st.sets(st.sampled_from(LEVELS)), "links")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        outside = root / "outside.bin"
        outside.write_bytes(OUTSIDE)
        real = root / "elsewhere" / folder_device / folder_flow
        real.mkdir(parents=True)
        captures = root / "report" / "captures"
        captures.mkdir(parents=True)
        # The device and flow folders themselves, or links to real ones elsewhere.
        if "device" in link_levels:
            (captures / folder_device).symlink_to(real.parent, target_is_directory=True)
        else:
            (captures / folder_device).mkdir()
        folder = captures / folder_device / folder_flow
        if "flow" in link_levels and "device" not in link_levels:
            folder.symlink_to(real, target_is_directory=True)
        elif not folder.exists():
            folder.mkdir()
        step = _step(number, stem, names)
        for name, kind in zip(
            (step["raw_image"], step["image"], step["record"]), kinds, strict=True
        ):
            if isinstance(name, str):
                step["sha256"][name] = _plant(folder, name, kind, outside, name.encode() + b"!")
        manifest = {
            "flow": flow,
            "device": device,
            "complete": True,
            "expected_steps": [number],
            "steps": [step],
        }
        (folder / "manifest.json").write_text(json.dumps(manifest))
        baseline = root / "repo" / "shots"
        baseline.mkdir(parents=True)
        try:
            selected = staged_folders(captures, (), ()) or [folder]
        except StagingProblem:
            selected = [folder]  # as review's Approve would name it
        plan = plan_approval(selected, baseline, [])
        event("planned" if plan.switches else "refused")
        allowed = baseline / folder_device / folder_flow
        for switch in plan.switches:
            assert switch.folder == allowed
            for name in (*switch.remove, *switch.add):
                assert _plain(name)
                assert os.path.dirname(os.path.normpath(switch.folder / name)) == str(allowed)
            assert OUTSIDE not in switch.add.values()
        if plan.switches:
            assert not link_levels and all(kind == "file" for kind in kinds)
            assert (folder_device, folder_flow) == (manifest["device"], manifest["flow"])


zip_names = st.one_of(
    _text(),
    st.lists(
        st.sampled_from(["..", ".", "captures", "android", "x", "", "/", "C:"]), max_size=4
    ).map("/".join),
).filter(lambda name: bool(name) and "\0" not in name)


@settings(BOUNDED, max_examples=150)
@given(
    entries=st.lists(
        st.tuples(zip_names, st.sampled_from(["file", "link", "folder"]), st.binary(max_size=64)),
        max_size=6,
    ),
    marker_at=st.sampled_from(["report.json", "inner/report.json"]),
)
def test_an_unpacked_zip_stays_in_its_fresh_folder_or_leaves_nothing(
    entries: list[tuple[str, str, bytes]], marker_at: str
) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        archive = root / "report.zip"
        with warnings.catch_warnings(), zipfile.ZipFile(archive, "w") as bundle:
            warnings.simplefilter("ignore")  # a name given twice is part of the test
            bundle.writestr(marker_at, "{}")
            for name, kind, data in entries:
                info = zipfile.ZipInfo(name + "/" if kind == "folder" else name)
                if kind == "link":
                    info.create_system = 3
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                bundle.writestr(info, data)
        scratch = root / "repo" / ".guideshot"
        before = {p.relative_to(root) for p in root.rglob("*")}
        try:
            unpacked, top = unpack(archive, scratch, ZipLimits(), "report.json")
        except ZipRefused:
            event("refused")
            left = {p.relative_to(root) for p in root.rglob("*")}
            assert left <= {*before, Path("repo"), Path("repo/.guideshot")}
            return
        event("unpacked")
        assert top == unpacked or unpacked in top.parents
        for path in unpacked.rglob("*"):
            assert not path.is_symlink()
            assert path.resolve().is_relative_to(unpacked.resolve())
        made = {p.relative_to(root) for p in root.rglob("*")} - before
        assert all(
            p in (Path("repo"), Path("repo/.guideshot")) or (root / p).is_relative_to(unpacked)
            for p in made
        )


def test_the_strategies_reach_both_outcomes() -> None:
    """The properties above are not vacuous: valid names exist in each strategy's reach."""
    assert is_device_name("Pixel 4a (5G)") and is_flow_id("login-userid")
    assert is_step_stem("01-step", 1) and not is_step_stem("01-step", 2)
    with pytest.raises(ValueError):
        StagedFlow.model_validate_json(
            json.dumps({"flow": "../x", "device": "android", "complete": True,
                        "expected_steps": [], "steps": []})
        )  # fmt: skip
