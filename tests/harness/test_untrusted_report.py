"""A report (folder or zip) is untrusted data: crafted ones, sent through the CLI as an attacker
would hand them over, are refused in one line with exit 2, and nothing changes — neither a
decoy folder outside the repository nor the baseline (every file hashed before and after),
and no unpacked folder is left in .guideshot/.

The reports are built here from the committed screenshots of one flow, no browser needed: a
report.json and captures/<device>/<flow>/ with a manifest, as `check` writes them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import stat
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.drift.verdict import CheckReport
from harness.report import unzip
from harness.report.json_report import render_json

ROOT = Path(__file__).resolve().parents[2]
DEVICE, FLOW, OTHER = "android", "register-userid", "login-userid"
COMMITTED = ROOT / "screenshots" / DEVICE


def tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: a file's sha256, a link's target, or that it is a folder."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = f"link → {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Scene:
    """A repository (its baseline), a decoy home folder beside it, and a crafted report."""

    root: Path

    @property
    def baseline(self) -> Path:
        return self.root / "repo" / "shots"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def report(self) -> Path:
        return self.root / "downloads" / "report"

    @property
    def work(self) -> Path:
        return self.root / "repo" / ".guideshot"

    def captures(self, device: str = DEVICE, flow: str = FLOW) -> Path:
        return self.report / "captures" / device / flow

    def snapshot(self) -> tuple[dict[str, str], dict[str, str]]:
        return tree(self.home), tree(self.baseline)

    def manifest(self, device: str = DEVICE, flow: str = FLOW) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.captures(device, flow) / "manifest.json").read_text()
        )
        return data

    def write_manifest(
        self, manifest: dict[str, Any], device: str = DEVICE, flow: str = FLOW
    ) -> None:
        text = json.dumps(manifest, ensure_ascii=False, indent=2)
        (self.captures(device, flow) / "manifest.json").write_text(text, encoding="utf-8")


def stage(
    folder: Path,
    flow: str,
    *,
    device: str = DEVICE,
    as_device: str | None = None,
    as_flow: str | None = None,
) -> None:
    """captures/…/<flow>/ as `check` bundles it: every step of the committed flow with a
    changed raw and annotated picture, and a manifest naming `as_device`/`as_flow`."""
    folder.mkdir(parents=True)
    approved = COMMITTED / flow
    steps = []
    for record in sorted(approved.glob("*.json")):
        stem = record.stem
        raw_name, image_name, record_name = f"{stem}.raw.png", f"{stem}.png", f"{stem}.json"
        old_raw = (approved / raw_name).read_bytes()
        files = {
            raw_name: old_raw + b"changed",
            image_name: (approved / image_name).read_bytes() + b"changed",
            record_name: record.read_bytes(),
        }
        for name, data in files.items():
            (folder / name).write_bytes(data)
        steps.append(
            {
                "number": int(stem[:2]),
                "raw_image": raw_name,
                "image": image_name,
                "record": record_name,
                "sha256": {name: sha256(data) for name, data in files.items()},
                "baseline_raw_sha256": sha256(old_raw),
            }
        )
    manifest = {
        "flow": as_flow or flow,
        "device": as_device or device,
        "complete": True,
        "failure": None,
        "expected_steps": [step["number"] for step in steps],
        "steps": steps,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))


@pytest.fixture
def scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scene:
    scene = Scene(tmp_path)
    for flow in (FLOW, OTHER):
        shutil.copytree(COMMITTED / flow, scene.baseline / DEVICE / flow)
    # What a traversal would reach: start-up files, and folders named like a flow's.
    scene.home.mkdir()
    (scene.home / ".bashrc").write_text("echo hello\n")
    (scene.home / "notes.txt").write_text("mine\n")
    for sub in (FLOW, f"{DEVICE}/{FLOW}"):
        (scene.home / sub).mkdir(parents=True)
        (scene.home / sub / "keep.txt").write_text("keep\n")
    (scene.home / "secret.json").write_text('{"token": "s3cr3t"}\n')
    stage(scene.captures(), FLOW)
    (scene.report / "report.json").write_text(render_json(CheckReport(base_url="http://x")))
    monkeypatch.chdir(scene.root / "repo")
    return scene


def guideshot(*args: str) -> tuple[int, list[str]]:
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        status = main(list(args))
    return status, said.getvalue().splitlines()


def approve_from(scene: Scene, source: Path, *more: str) -> tuple[int, list[str]]:
    return guideshot("approve", "--from", str(source), "--baseline", str(scene.baseline), *more)


def refused(scene: Scene, source: Path, *more: str, verb: str = "approve") -> str:
    """Run `verb` on `source`; assert exit 2, one error line, nothing changed; that line."""
    before = scene.snapshot()
    if verb == "approve":
        status, lines = approve_from(scene, source, *more)
    else:
        status, lines = guideshot("review", str(source), "--baseline", str(scene.baseline), *more)
    assert status == 2, lines
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, lines
    assert scene.snapshot() == before
    assert not list(scene.work.glob("from-*")), "an unpacked folder was left"
    return errors[0]


def test_a_crafted_report_of_the_committed_flow_is_approved(scene: Scene) -> None:
    """The control case: the builder makes a report approve accepts (so each refusal below is
    the attack's doing), and an unlisted link in it is never read or copied."""
    (scene.captures() / "99-extra.png").symlink_to(scene.home / "secret.json")
    home = tree(scene.home)
    status, lines = approve_from(scene, scene.report)
    assert status == 0, lines
    assert "approved: 0 added, 4 replaced, 0 removed" in lines
    assert tree(scene.home) == home
    shots = scene.baseline / DEVICE / FLOW
    assert not (shots / "99-extra.png").exists()
    assert all(path.is_file() and not path.is_symlink() for path in shots.iterdir())


TRAVERSALS = {
    "device-dotdot": ("device", "../../home"),
    "device-absolute": ("device", "{home}"),
    "flow-dotdot": ("flow", "../../../home"),
    "flow-absolute": ("flow", "{home}"),
}


@pytest.mark.parametrize("verb", ["approve", "review"])
@pytest.mark.parametrize("field, value", list(TRAVERSALS.values()), ids=list(TRAVERSALS))
def test_a_manifest_naming_a_path_outside_is_refused(
    scene: Scene, field: str, value: str, verb: str
) -> None:
    manifest = scene.manifest()
    manifest[field] = value.format(home=scene.home)
    for step in manifest["steps"]:
        step["baseline_raw_sha256"] = None  # "new steps": nothing there to be stale against
    scene.write_manifest(manifest)
    line = refused(scene, scene.report, verb=verb)
    assert f"manifest.json: {field}: not a {field}" in line


@pytest.mark.parametrize("field", ["flow", "device"])
def test_a_manifest_in_another_flows_folder_cannot_approve_that_flow(
    scene: Scene, field: str
) -> None:
    """captures/android/login-userid/ holding register-userid's manifest (or another
    device's): `--flow login-userid` must not replace register-userid's pictures."""
    shutil.rmtree(scene.report / "captures")
    if field == "flow":
        stage(scene.captures(DEVICE, OTHER), FLOW)  # folder OTHER, manifest FLOW
        line = refused(scene, scene.report, "--flow", OTHER)
        assert f"its flow is '{FLOW}' but it sits in the folder '{OTHER}'" in line
    else:
        stage(scene.captures("iphone", FLOW), FLOW)  # folder iphone, manifest android
        line = refused(scene, scene.report, "--device", "iphone")
        assert "its device is 'android' but it sits in the folder 'iphone'" in line


def test_a_step_naming_a_file_its_hashes_do_not_list_is_refused(scene: Scene) -> None:
    """A link to a file outside, under a name the manifest's sha256 does not list, named as a
    step's record: once copied into screenshots/ unchecked."""
    (scene.captures() / "01-evil.json").symlink_to(scene.home / "secret.json")
    manifest = scene.manifest()
    manifest["steps"][0]["record"] = "01-evil.json"
    scene.write_manifest(manifest)
    line = refused(scene, scene.report)
    assert "raw_image and record must be" in line


def test_a_listed_file_that_is_a_link_is_refused(scene: Scene) -> None:
    """A step's record replaced by a link to a file outside, its hash listed truly."""
    manifest = scene.manifest()
    step = manifest["steps"][0]
    record = scene.captures() / step["record"]
    record.unlink()
    record.symlink_to(scene.home / "secret.json")
    step["sha256"][step["record"]] = sha256((scene.home / "secret.json").read_bytes())
    scene.write_manifest(manifest)
    line = refused(scene, scene.report)
    assert f"{step['record']}: a symbolic link" in line


def _outside_flow(scene: Scene) -> Path:
    """A well-formed flow folder outside the report, for links to point at."""
    outside = scene.home / "planted" / DEVICE / FLOW
    stage(outside, FLOW)
    return outside


@pytest.mark.parametrize("verb", ["approve", "review"])
@pytest.mark.parametrize("level", ["flow", "device", "captures"])
def test_a_folder_that_is_a_link_is_refused(scene: Scene, level: str, verb: str) -> None:
    outside = _outside_flow(scene)
    links = {
        "flow": (scene.captures(), outside),
        "device": (scene.captures().parent, outside.parent),
        "captures": (scene.report / "captures", outside.parent.parent),
    }
    link, target = links[level]
    shutil.rmtree(link)
    link.symlink_to(target, target_is_directory=True)
    line = refused(scene, scene.report, verb=verb)
    assert "a symbolic link" in line


def test_the_manifest_itself_as_a_link_is_refused(scene: Scene) -> None:
    outside = _outside_flow(scene)
    (scene.captures() / "manifest.json").unlink()
    (scene.captures() / "manifest.json").symlink_to(outside / "manifest.json")
    assert "manifest.json: a symbolic link" in refused(scene, scene.report)


def test_the_local_staging_is_read_the_same_way(scene: Scene) -> None:
    """.guideshot/current goes through the same checked reader as a report."""
    staged = scene.work / "current" / DEVICE / FLOW
    stage(staged, FLOW, as_flow="../../../home")
    before = scene.snapshot()
    status, lines = guideshot("approve", "--baseline", str(scene.baseline))
    assert status == 2, lines
    assert any("flow: not a flow id" in line for line in lines)
    assert scene.snapshot() == before


# Zips


def zip_of(
    folder: Path,
    target: Path,
    extra: Callable[[zipfile.ZipFile], None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """`folder`'s files at the zip's root (as GitHub hands an artifact out), then `extra`."""
    with zipfile.ZipFile(target, "w", compression) as bundle:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                bundle.write(path, path.relative_to(folder).as_posix())
        if extra is not None:
            extra(bundle)
    return target


def test_a_zip_of_a_crafted_report_is_approved_and_leaves_nothing(scene: Scene) -> None:
    source = zip_of(scene.report, scene.root / "report.zip")
    status, lines = approve_from(scene, source)
    assert status == 0, lines
    assert not list(scene.work.glob("from-*"))


def _without_utf8_flags(source: Path) -> None:
    """Clear the UTF-8 name flag in every header, as Info-ZIP's `zip -r` in a C locale
    writes the report's Japanese names: UTF-8 bytes the format says are CP437."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as bundle:
        offsets = [info.header_offset + 6 for info in bundle.infolist()]  # local headers
        central = bundle.start_dir
        for _info in bundle.infolist():
            offsets.append(central + 8)
            sizes = [
                int.from_bytes(data[central + at : central + at + 2], "little")
                for at in (28, 30, 32)
            ]
            central += 46 + sum(sizes)
    for at in offsets:
        flags = int.from_bytes(data[at : at + 2], "little") & ~0x800
        data[at : at + 2] = flags.to_bytes(2, "little")
    source.write_bytes(bytes(data))


def test_a_zip_whose_utf8_names_are_not_flagged_is_read_as_utf8(scene: Scene) -> None:
    source = zip_of(scene.report, scene.root / "info-zip.zip")
    _without_utf8_flags(source)
    with zipfile.ZipFile(source) as bundle:
        assert not any(info.flag_bits & 0x800 for info in bundle.infolist())
    status, lines = approve_from(scene, source)
    assert status == 0, lines
    assert "approved: 0 added, 4 replaced, 0 removed" in lines


def _zeros(size: int) -> Callable[[zipfile.ZipFile], None]:
    def add(bundle: zipfile.ZipFile) -> None:
        with bundle.open("captures/padding.bin", "w", force_zip64=True) as entry:
            block = bytes(1 << 20)
            for _ in range(size >> 20):
                entry.write(block)

    return add


def test_a_zip_bomb_stops_at_the_default_ratio_early(scene: Scene) -> None:
    """64 MiB of zeros in 64 KiB: refused long before it is written out (defaults)."""
    source = zip_of(scene.report, scene.root / "bomb.zip", _zeros(64 << 20))
    with zipfile.ZipFile(source) as bundle:
        assert bundle.getinfo("captures/padding.bin").compress_size < 128 << 10
    line = refused(scene, source)
    assert "captures/padding.bin unpacks to more than 200 times its compressed size" in line
    assert line.endswith("raise --max-ratio if it is a report you trust")


def test_many_small_bombs_stop_at_the_whole_zips_ratio(scene: Scene) -> None:
    """Entries each under the ratio's first MiB, together ~1000× the zip: the whole is judged."""
    shutil.rmtree(scene.report / "captures")

    def add(bundle: zipfile.ZipFile) -> None:
        for index in range(120):
            bundle.writestr(f"captures/pad-{index}.bin", bytes(1 << 20))

    source = zip_of(scene.report, scene.root / "bombs.zip", add)
    assert source.stat().st_size < 200 << 10
    line = refused(scene, source)
    assert "the zip unpacks to more than 200 times its size (a zip bomb, at captures/pad-" in line


@pytest.mark.parametrize(
    "option, value, expected",
    [
        ("--max-unpacked-mb", "1", "the zip unpacks to more than 1 MiB (at captures/"),
        ("--max-entries", "5", "the zip holds 15 entries, more than 5"),
        ("--max-ratio", "2", "captures/padding.bin unpacks to more than 2 times"),
    ],
    ids=["unpacked-mb", "entries", "ratio"],
)
def test_each_limit_can_be_lowered_and_is_named(
    scene: Scene, option: str, value: str, expected: str
) -> None:
    source = zip_of(scene.report, scene.root / "big.zip", _zeros(4 << 20))
    line = refused(scene, source, option, value)
    assert line.startswith(f"error: --from {source}: ")
    assert expected in line and option in line


def test_a_limit_from_the_environment_applies_to_review_too(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = zip_of(scene.report, scene.root / "big.zip", _zeros(4 << 20))
    monkeypatch.setenv("GUIDESHOT_MAX_UNPACKED_MB", "1")
    assert "more than 1 MiB" in refused(scene, source, verb="review")
    monkeypatch.setenv("GUIDESHOT_MAX_UNPACKED_MB", "lots")
    assert "GUIDESHOT_MAX_UNPACKED_MB='lots': give a number of 1 or more" in refused(
        scene, source, verb="review"
    )


def test_a_bad_crc_half_way_leaves_nothing_unpacked(scene: Scene) -> None:
    """Four stored entries of 1 MiB, the third damaged: the first two were written already."""
    payload = os.urandom(1 << 20)

    def add(bundle: zipfile.ZipFile) -> None:
        for index in range(4):
            bundle.writestr(f"captures/blob-{index}.bin", payload)

    source = zip_of(scene.report, scene.root / "damaged.zip", add, zipfile.ZIP_STORED)
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as bundle:
        info = bundle.getinfo("captures/blob-2.bin")
    data[info.header_offset + 30 + len(info.filename) + 1000] ^= 0xFF
    source.write_bytes(bytes(data))
    line = refused(scene, source)
    assert "not a readable zip (Bad CRC-32 for file 'captures/blob-2.bin')" in line


def test_ctrl_c_while_unpacking_leaves_nothing_unpacked(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = zip_of(scene.report, scene.root / "report.zip")
    real = unzip._copy
    calls = {"n": 0}

    def interrupted(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        real(*args)

    monkeypatch.setattr(unzip, "_copy", interrupted)
    before = scene.snapshot()
    status, _lines = approve_from(scene, source)
    assert status == 130
    assert calls["n"] == 5
    assert scene.snapshot() == before
    assert not list(scene.work.glob("from-*"))


def test_sigterm_while_unpacking_removes_the_folder_then_ends_as_asked(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM half way: the folder goes first, then the signal reaches the process's own
    handler (here a recorder standing in for the default, which would end pytest too)."""
    source = zip_of(scene.report, scene.root / "report.zip")
    received: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    real = unzip._copy
    calls = {"n": 0}

    def terminated(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            os.kill(os.getpid(), signal.SIGTERM)
        real(*args)

    monkeypatch.setattr(unzip, "_copy", terminated)
    try:
        line = refused(scene, source)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert received == [signal.SIGTERM]
    assert "unpacking the zip was stopped by SIGTERM" in line


def test_a_killed_unpack_is_swept_by_the_next_one(scene: Scene) -> None:
    """A folder left by a process that no longer runs (SIGKILL) goes at the next unpack."""
    left = scene.work / "from-999999999-abc"
    (left / "captures").mkdir(parents=True)
    source = zip_of(scene.report, scene.root / "report.zip")
    assert approve_from(scene, source)[0] == 0
    assert not left.exists()


def _link_entry(bundle: zipfile.ZipFile, name: str, target: str) -> None:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, as zip -y writes it
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    bundle.writestr(info, target)


@pytest.mark.parametrize(
    "name, target",
    [
        (f"captures/{DEVICE}/{FLOW}/99-link.png", "/etc/passwd"),
        (f"captures/{DEVICE}", "../../home"),
    ],
    ids=["file-link", "folder-link"],
)
def test_a_zip_with_a_link_entry_is_refused(scene: Scene, name: str, target: str) -> None:
    source = zip_of(scene.report, scene.root / "links.zip", lambda b: _link_entry(b, name, target))
    line = refused(scene, source)
    assert f"the zip's entry {name} is a symbolic link" in line


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../escape.txt", "the zip names a path outside itself (../escape.txt)"),
        ("captures/../../escape.txt", "outside itself (captures/../../escape.txt)"),
        ("/tmp/escape.txt", "outside itself (/tmp/escape.txt)"),
        ("C:/escape.txt", "has a backslash or a drive in its name"),
        ("captures\\..\\..\\escape.txt", "has a backslash or a drive in its name"),
        ("report.json", "holds report.json twice"),
    ],
    ids=["dotdot", "inner-dotdot", "absolute", "drive", "backslash", "twice"],
)
def test_a_zip_naming_paths_outside_is_refused(scene: Scene, name: str, reason: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a name written twice, and writes it
        source = zip_of(scene.report, scene.root / "paths.zip", lambda b: b.writestr(name, "out"))
    line = refused(scene, source)
    assert reason in line and "pass the folder `guideshot check` wrote" in line
    assert not (scene.root / "escape.txt").exists()
    assert not (scene.work.parent / "escape.txt").exists()
