"""An approved picture follows the scenario at once: a mask or highlight written after
approval reaches the baseline's annotated picture and the printed guide through `check`,
`run` and `guide`, while the raw capture stays as approved; `run` and `check` agree that the
screen is the same; an unchanged project re-draws nothing. Through the CLI, as subprocesses,
on a one-flow guide project and the embedded simulator."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock
from PIL import Image

from harness.capture import CaptureRecord
from harness.store import read_record
from harness.theme import DEFAULT_THEME
from simulator import create_app
from simulator.server import start_server
from tests.harness.drift_proxy import rewriting_proxy
from tests.harness.noise_site import NOISY_FLOW, NoiseSettings, noise_site

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI

ROOT = Path(__file__).resolve().parents[2]
GUIDESHOT = ROOT / ".venv" / "bin" / "guideshot"
FLOW, DEVICE = "login-userid", "android"
STEP_ONE = "01-ログイン-を押す"
FIRST_EXPECT = "    expect: {url: /nenkin/login}\n"
MASK = "    mask:\n      - {text: 「ねんきんネット」へようこそ, exact: true}\n"
HIGHLIGHT = "    highlight:\n      - {role: link, name: 新規登録}\n"

GUIDE = f"""\
title: スマホで年金の情報を確認しよう
name: one-flow
editions: [{{device: {DEVICE}, label: Android}}]
page: {{size: A4, orientation: landscape, steps_per_page: 4}}
chapters:
  - number: "2"
    title: ログインしよう
    sections:
      - label: 2-B 「ねんきんネット」のログイン方法
        flows: [{FLOW}]
"""


def guideshot(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        [str(GUIDESHOT), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
        timeout=600,
        check=False,
    )
    return done.returncode, done.stderr + done.stdout


@pytest.fixture(scope="module")
def approved_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A guide of one flow, its scenario the committed one, approved by this checkout's own
    capture (`run` into an empty screenshots/)."""
    root = tmp_path_factory.mktemp("approved")
    shutil.copytree(ROOT / "scenarios" / "fragments", root / "scenarios" / "fragments")
    shutil.copy(ROOT / "scenarios" / f"{FLOW}.yaml", root / "scenarios")
    (root / "guide.yaml").write_text(GUIDE, "utf-8")
    status, said = guideshot(root, "run", "--flow", FLOW, "--device", DEVICE)
    assert status == 0, said
    return root


@pytest.fixture
def project(approved_project: Path, tmp_path: Path) -> Path:
    """A copy of the approved project of one's own, its working files left behind."""
    copy = tmp_path / "project"
    shutil.copytree(approved_project, copy, ignore=shutil.ignore_patterns(".guideshot"))
    return copy


def step_files(project: Path) -> tuple[Path, Path, Path]:
    folder = project / "screenshots" / DEVICE / FLOW
    return folder / f"{STEP_ONE}.png", folder / f"{STEP_ONE}.raw.png", folder / f"{STEP_ONE}.json"


def edit_step_one(project: Path, addition: str) -> None:
    scenario = project / "scenarios" / f"{FLOW}.yaml"
    text = scenario.read_text("utf-8")
    assert text.count(FIRST_EXPECT) == 1
    scenario.write_text(text.replace(FIRST_EXPECT, FIRST_EXPECT + addition), "utf-8")


def record_of(path: Path) -> CaptureRecord:
    record = read_record(path)
    assert record is not None
    return record


def share_like_raw(picture: Path, raw: Path, record: CaptureRecord) -> float:
    """The share of the pixels inside the record's first mask that are the raw capture's."""
    left, top, right, bottom = record.masks[0].scaled(record.environment.scale)
    with Image.open(picture) as drawn, Image.open(raw) as original:
        area = (left, top, right, bottom)
        a = np.asarray(drawn.convert("RGB").crop(area), dtype=np.int16)
        b = np.asarray(original.convert("RGB").crop(area), dtype=np.int16)
    return float(np.all(a == b, axis=2).mean())


def printed_mask_area(built: Path, raw: Path, record: CaptureRecord) -> tuple[float, float]:
    """In the edition's picture (JPEG, maybe scaled), inside the record's first mask, shrunk
    past the edges resizing blurs: how far its pixels are from the raw capture's there (mean
    absolute difference), and how far from the mask's flat grey."""
    with Image.open(built) as printed, Image.open(raw) as original:
        factor = printed.width / original.width
        scaled = original.convert("RGB").resize(printed.size, Image.Resampling.LANCZOS)
        left, top, right, bottom = record.masks[0].scaled(record.environment.scale)
        area = (
            round((left + 3) * factor),
            round((top + 3) * factor),
            round((right - 3) * factor),
            round((bottom - 3) * factor),
        )
        a = np.asarray(printed.convert("RGB").crop(area), dtype=np.float64)
        b = np.asarray(scaled.crop(area), dtype=np.float64)
    grey = np.array(DEFAULT_THEME.mask_fill, dtype=np.float64)
    return float(np.abs(a - b).mean()), float(np.abs(a - grey).mean())


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check(project: Path) -> tuple[int, str]:
    return guideshot(project, "check", "--flow", FLOW, "--device", DEVICE)


def test_a_mask_added_after_approval_reaches_the_baseline_and_the_printed_guide(
    project: Path,
) -> None:
    picture, raw, record_path = step_files(project)
    raw_before, approved = raw.read_bytes(), record_of(record_path)
    shutil.copy(picture, project / "before.png")
    assert approved.masks == ()
    edit_step_one(project, MASK)

    status, said = guideshot(project, "lint")
    assert status == 0, said

    status, said = check(project)
    assert status == 0, said
    assert f"{DEVICE} {FLOW}: 1 picture re-drawn for the scenario's masks" in said
    redrawn = record_of(record_path)
    assert len(redrawn.masks) == 1
    assert share_like_raw(picture, raw, redrawn) < 0.01  # the masked pixels are gone
    # The approved screen itself is untouched: same raw bytes, same screen fields.
    assert raw.read_bytes() == raw_before
    assert redrawn.raw_sha256 == approved.raw_sha256
    assert redrawn.visible_text == approved.visible_text
    # Before, the picture showed the raw pixels there: the mask is what changed it.
    assert share_like_raw(project / "before.png", raw, redrawn) > 0.5

    status, said = guideshot(project, "run", "--flow", FLOW, "--device", DEVICE)
    assert status == 0, said
    assert "differ" not in said and " 0 changed" in said, said
    assert "re-drawn" not in said  # already follows the scenario

    status, said = guideshot(project, "guide", "--device", DEVICE, "--no-pdf", "--no-frame")
    assert status == 0, said
    from_raw, from_grey = printed_mask_area(
        project / "guide" / DEVICE / "images" / FLOW / "01.jpg", raw, redrawn
    )
    assert from_grey < 3 < 20 < from_raw, (from_grey, from_raw)


def test_a_changed_highlight_is_redrawn_and_an_unchanged_project_redraws_nothing(
    project: Path,
) -> None:
    picture, _raw, record_path = step_files(project)
    old_picture, old_box = picture.read_bytes(), record_of(record_path).highlights
    edit_step_one(project, HIGHLIGHT)

    status, said = check(project)
    assert status == 0, said
    assert f"{DEVICE} {FLOW}: 1 picture re-drawn for the scenario's highlights" in said
    assert picture.read_bytes() != old_picture
    assert record_of(record_path).highlights != old_box

    shots = tree_digest(project / "screenshots")
    status, said = check(project)
    assert status == 0, said
    assert "re-drawn" not in said
    assert tree_digest(project / "screenshots") == shots
    status, said = guideshot(project, "run", "--flow", FLOW, "--device", DEVICE)
    assert status == 0, said
    assert "re-drawn" not in said and "differ" not in said
    # run refreshes an unchanged screen's record as it always did; its pictures stay.
    pictures = {name: digest for name, digest in shots.items() if name.endswith(".png")}
    assert {n: d for n, d in tree_digest(project / "screenshots").items() if n in pictures} == (
        pictures
    )


def test_guide_refuses_a_stale_picture_it_cannot_redraw_naming_the_step(project: Path) -> None:
    picture, raw, record_path = step_files(project)
    line = record_of(record_path).scenario_line
    approved_picture, approved_raw = picture.read_bytes(), raw.read_bytes()
    picture.write_bytes(picture.read_bytes() + b"\0")  # no longer the picture its record names

    # Another writer holds the baseline: the stale picture is not printed.
    lock = FileLock(project / ".guideshot" / "baseline.lock")
    (project / ".guideshot").mkdir(exist_ok=True)
    with lock:
        status, said = guideshot(
            project, "guide", "--device", DEVICE, "--no-pdf", env={"GUIDESHOT_LOCK_WAIT": "0"}
        )
    assert status == 2, said
    assert f"scenarios/{FLOW}.yaml:{line}: step 1" in said and "not re-drawn" in said
    assert "nothing was built" in said
    assert not (project / "guide" / DEVICE / "index.html").exists()

    # Its raw capture is missing: nothing to draw it from.
    raw.unlink()
    status, said = guideshot(project, "guide", "--device", DEVICE, "--no-pdf")
    assert status == 2, said
    assert f"scenarios/{FLOW}.yaml:{line}: step 1" in said and STEP_ONE in said

    # Restored, the same stale picture is simply drawn again from its raw capture and record.
    raw.write_bytes(approved_raw)
    status, said = guideshot(project, "guide", "--device", DEVICE, "--no-pdf")
    assert status == 0, said
    assert f"{DEVICE} {FLOW}: 1 picture re-drawn" in said
    assert picture.read_bytes() == approved_picture


# ------------------------------------------- personal data that differs from run to run

SENTENCE = (
    "<p>「ねんきんネット」は、インターネットを通じて"
    "ご自身の年金の情報を手軽に確認できるサービスです。</p>"
)
HASH_MASK = '    mask:\n      - {css: "#hash"}\n'


def with_hash(salt: str) -> tuple[str, str]:
    """The top page's sentence replaced by a password hash with this salt, as an admin page
    shows one: the same length every time, other characters."""
    return SENTENCE, f'<p id="hash">pbkdf2_sha256$600000${salt}$Qm9v=</p>'


@pytest.fixture(scope="module")
def simulator_url() -> Iterator[str]:
    with start_server(create_app()) as server:
        yield server.url


def test_a_mask_over_data_that_changes_each_run_makes_run_and_check_agree(
    simulator_url: str, tmp_path: Path
) -> None:
    project = tmp_path
    shutil.copytree(ROOT / "scenarios" / "fragments", project / "scenarios" / "fragments")
    shutil.copy(ROOT / "scenarios" / f"{FLOW}.yaml", project / "scenarios")
    selection = ("--flow", FLOW, "--device", DEVICE)
    with rewriting_proxy(simulator_url, [with_hash("k3Jd9aQ2")]) as proxy:
        status, said = guideshot(project, "run", *selection, "--base-url", proxy.url)
        assert proxy.hits[SENTENCE] > 0
    assert status == 0, said
    picture, raw, record_path = step_files(project)
    approved_raw = raw.read_bytes()
    edit_step_one(project, HASH_MASK)

    with rewriting_proxy(simulator_url, [with_hash("Zx81LmPq")]) as proxy:
        status, checked = guideshot(project, "check", *selection, "--base-url", proxy.url)
        assert status == 0, checked
        assert f"{DEVICE} {FLOW}: 1 picture re-drawn for the scenario's masks" in checked
        redrawn = record_of(record_path)
        assert share_like_raw(picture, raw, redrawn) < 0.01

        status, ran = guideshot(project, "run", *selection, "--base-url", proxy.url)
        assert proxy.hits[SENTENCE] > 0
    assert status == 0, ran
    assert "differ" not in ran and "4 unchanged, 0 changed" in ran, ran
    assert raw.read_bytes() == approved_raw  # the approved screen is kept, not replaced
    # The capture of this run, with the other hash, waits in staging as it was taken.
    staged = project / ".guideshot" / "current" / DEVICE / FLOW / raw.name
    assert staged.read_bytes() != approved_raw


# ----------------------------------------------------------------- rendering noise


def test_run_calls_rendering_noise_what_check_calls_it_not_a_changed_screen(
    tmp_path: Path,
) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "noisy.yaml").write_text(NOISY_FLOW, "utf-8")
    folder = tmp_path / "screenshots" / DEVICE / "noisy"
    site = ("--device", DEVICE, "--base-url")
    settings = NoiseSettings()
    with noise_site(settings) as url:
        status, said = guideshot(tmp_path, "run", *site, url)
        assert status == 0, said
        approved = tree_digest(folder)
        status, ran = guideshot(tmp_path, "run", *site, url)
        status_check, checked = guideshot(tmp_path, "check", *site, url)
    assert status == 0, ran
    # Every load rendered the word elsewhere: the second run's captures differ in pixels.
    staged = tmp_path / ".guideshot" / "current" / DEVICE / "noisy"
    raws = sorted(p.name for p in folder.glob("*.raw.png"))
    assert any((staged / n).read_bytes() != (folder / n).read_bytes() for n in raws)
    assert "differ" not in ran and "2 unchanged, 0 changed" in ran, ran
    assert tree_digest(folder) == approved
    assert status_check == 0, checked
    assert "rendering noise only" in checked


def test_guide_refuses_a_picture_captured_before_its_step_was_masked(project: Path) -> None:
    edit_step_one(project, MASK)
    status, said = guideshot(project, "guide", "--device", DEVICE, "--no-pdf")
    assert status == 2, said
    lines = (project / "scenarios" / f"{FLOW}.yaml").read_text("utf-8").splitlines()
    line = lines.index("  - caption: 「ログイン」を押す") + 1
    step = f"scenarios/{FLOW}.yaml:{line}: step 1 「「ログイン」を押す」"
    assert f"{step}: the scenario masks 1 thing(s) but" in said
    assert f"guideshot check --flow {FLOW} --device {DEVICE}" in said
    assert not (project / "guide" / DEVICE / "index.html").exists()

    status, said = check(project)
    assert status == 0, said
    status, said = guideshot(project, "guide", "--device", DEVICE, "--no-pdf")
    assert status == 0, said
