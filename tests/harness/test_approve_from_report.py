"""`guideshot approve --from REPORT`: accepting what a check found from its report alone.

One real drift (a changed sentence served through the rewriting proxy) is checked once;
each test approves from a copy of that report into its own copy of the baseline, after
the local staging is gone, as on a machine that only downloaded the CI's artifact.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli import main
from harness.drift.verdict import StepStatus
from harness.report import load_json
from harness.report.bundle import captures_root
from simulator import create_app
from simulator.server import start_server
from tests.harness.drift_proxy import RunningProxy, rewriting_proxy

pytestmark = pytest.mark.slow  # end-to-end runs through the CLI

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
GUIDE = SCENARIOS.parent / "guide"  # the committed editions, whose pages are named
DEVICE = "android"
FLOW = "register-userid"
TOP_SENTENCE = "ご自身の年金の情報を手軽に確認できるサービスです。"
CHANGE = [(TOP_SENTENCE, TOP_SENTENCE.replace("手軽に", "簡単に"))]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def guideshot(*args: str, baseline: Path) -> int:
    return main([*args, "--baseline", str(baseline)])


def check(site: RunningProxy, baseline: Path, report: Path) -> int:
    return check_saying(site, baseline, report)[0]


def check_saying(site: RunningProxy, baseline: Path, report: Path) -> tuple[int, str]:
    """`check` one flow; its exit status and what it printed."""
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        status = main(
            [
                "check",
                "--flow",
                FLOW,
                "--device",
                DEVICE,
                "--base-url",
                site.url,
                "--baseline",
                str(baseline),
                "--report",
                str(report),
                "--scenarios",
                str(SCENARIOS),
                "--guide",
                str(GUIDE),
            ]
        )
    return status, said.getvalue()


@dataclass(frozen=True)
class Drifted:
    baseline: Path  # approved before the change (never modified)
    report: Path  # the report of the check that found the drift
    site_url: str  # the simulator, unchanged
    output: str  # what that check printed


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drifted]:
    root = tmp_path_factory.mktemp("drifted")
    baseline, report = root / "shots", root / "report"
    with start_server(create_app()) as server:
        with rewriting_proxy(server.url) as plain, pytest.MonkeyPatch.context() as patch:
            patch.chdir(root)
            status = main(
                [
                    "run",
                    "--flow",
                    FLOW,
                    "--device",
                    DEVICE,
                    "--base-url",
                    plain.url,
                    "--out",
                    str(baseline),
                    "--scenarios",
                    str(SCENARIOS),
                ]
            )
            assert status == 0
        before = tree_digest(baseline)
        with rewriting_proxy(server.url, CHANGE) as site:
            status, output = check_saying(site, baseline, report)
            assert status == 1, output
        assert site.hits[TOP_SENTENCE] > 0
        assert tree_digest(baseline) == before
        yield Drifted(baseline, report, server.url, output)


@pytest.fixture
def own(drifted: Drifted, tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of the baseline, a copy of the report elsewhere); no local staging."""
    baseline = tmp_path / "clone" / "shots"
    shutil.copytree(drifted.baseline, baseline)
    downloaded = tmp_path / "downloads" / "guideshot-report"
    shutil.copytree(drifted.report, downloaded)
    assert not (baseline.parent / ".guideshot").exists()
    return baseline, downloaded


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error: ")]


@pytest.mark.browser
def test_the_report_carries_the_changed_steps_captures(drifted: Drifted) -> None:
    report = load_json((drifted.report / "report.json").read_text(encoding="utf-8"))
    changed = [s.number for s in report.steps() if s.status is not StepStatus.MATCH]
    assert changed == [1]
    folder = captures_root(drifted.report) / DEVICE / FLOW
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [step["number"] for step in manifest["steps"]] == [1]
    (step,) = manifest["steps"]
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["manifest.json", step["raw_image"], step["image"], step["record"]])
    for name, digest in step["sha256"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


@pytest.mark.browser
def test_the_drifted_step_names_its_guide_page(drifted: Drifted) -> None:
    text = (drifted.report / "report.json").read_text(encoding="utf-8")
    report = load_json(text)
    (step,) = [s for s in report.steps() if s.status is not StepStatus.MATCH]
    assert step.guide_page == {"android": 17}  # register-userid ① in the committed edition
    assert json.loads(text)["reprint"] == {"android": [17]}
    assert "(Android p.17 ①)" in drifted.output
    assert "pages to reprint: Android: p.17" in drifted.output
    html = (drifted.report / "index.html").read_text(encoding="utf-8")
    assert '<span class="guide-page">Android p.17 ①</span>' in html
    assert "Pages to reprint" in html


@pytest.mark.browser
@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_approve_from_a_copied_report_then_check_is_clean(
    drifted: Drifted,
    own: tuple[Path, Path],
    as_zip: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    baseline, downloaded = own
    source = downloaded
    if as_zip:  # as GitHub hands an artifact out: the folder's files at the zip's root
        source = Path(shutil.make_archive(str(downloaded), "zip", root_dir=downloaded))
        shutil.rmtree(downloaded)
    before = tree_digest(baseline)
    capsys.readouterr()
    status = guideshot("approve", "--from", str(source), baseline=baseline)
    output = capsys.readouterr().err
    assert status == 0, output
    after = tree_digest(baseline)
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert [Path(name).name[:3] for name in changed] == ["01-"] * 3
    assert "approved: 0 added, 1 replaced, 0 removed" in output
    assert (
        "guide: the Android edition is now stale; rebuild with `guideshot guide --device android`"
        in output
    )
    assert not list((baseline.parent / ".guideshot").glob("from-*")), "the unpacked zip is left"
    with rewriting_proxy(drifted.site_url, CHANGE) as site:
        assert check(site, baseline, baseline.parent / "report") == 0


@pytest.mark.browser
def test_a_report_whose_baseline_changed_since_is_refused(
    own: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline, downloaded = own
    (raw,) = (baseline / DEVICE / FLOW).glob("01-*.raw.png")
    (other,) = (baseline / DEVICE / FLOW).glob("02-*.raw.png")
    raw.write_bytes(other.read_bytes())  # someone approved something else since
    before = tree_digest(baseline)
    capsys.readouterr()
    status = guideshot("approve", "--from", str(downloaded), baseline=baseline)
    output = capsys.readouterr().err
    assert status == 2
    (line,) = error_lines(output)
    assert f"{DEVICE}/{FLOW}/01-" in line and "changed since this capture was staged" in line
    assert tree_digest(baseline) == before


def _change_browser_version(folder: Path) -> None:
    """Rewrite the carried record as if another Chromium had captured it (hashes kept true)."""
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for step in manifest["steps"]:
        record_path = folder / step["record"]
        record = json.loads(record_path.read_text(encoding="utf-8"))
        record["environment"]["browser_version"] = "999.0.0.1"
        data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        record_path.write_bytes(data)
        step["sha256"][step["record"]] = hashlib.sha256(data).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


@pytest.mark.browser
def test_captures_from_another_environment_need_accept_environment(
    own: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline, downloaded = own
    _change_browser_version(captures_root(downloaded) / DEVICE / FLOW)
    before = tree_digest(baseline)
    capsys.readouterr()
    assert guideshot("approve", "--from", str(downloaded), baseline=baseline) == 2
    (line,) = error_lines(capsys.readouterr().err)
    assert line.startswith(f"error: {DEVICE} ({FLOW}): captured in another environment")
    assert "→ 999.0.0.1" in line and "--accept-environment" in line
    assert tree_digest(baseline) == before
    status = guideshot(
        "approve", "--from", str(downloaded), "--accept-environment", baseline=baseline
    )
    assert status == 0
    assert tree_digest(baseline) != before


@pytest.mark.browser
def test_selection_options_apply_to_a_report(
    own: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline, downloaded = own
    before = tree_digest(baseline)
    capsys.readouterr()
    assert (
        guideshot("approve", "--from", str(downloaded), "--device", "iphone", baseline=baseline)
        == 2
    )
    (line,) = error_lines(capsys.readouterr().err)
    assert line == (
        f"error: --from {downloaded}: the report carries no captures to approve for --device iphone"
    )
    status = guideshot(
        "approve", "--from", str(downloaded), "--flow", FLOW, "--step", "2", baseline=baseline
    )
    assert status == 2
    (line,) = error_lines(capsys.readouterr().err)
    assert line == f"error: {DEVICE}/{FLOW}: no staged capture for step 2"
    assert tree_digest(baseline) == before


def test_not_a_report_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "shots"
    (baseline / DEVICE).mkdir(parents=True)
    folder = tmp_path / "holiday-photos"
    folder.mkdir()
    (folder / "beach.png").write_bytes(b"\x89PNG")
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as bundle:
        bundle.writestr("src/main.c", "int main(void) { return 0; }\n")
    evil_zip = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil_zip, "w") as bundle:
        bundle.writestr("report.json", "{}")
        bundle.writestr("../escape.txt", "out")
    not_zip = tmp_path / "report.zip"
    not_zip.write_bytes(b"not a zip at all")
    cases = {
        folder: "it holds no report.json",
        other_zip: "the zip holds no report.json",
        evil_zip: "the zip names a path outside itself (../escape.txt)",
        not_zip: "not a readable zip",
        tmp_path / "missing": "no such file or folder",
    }
    for source, reason in cases.items():
        capsys.readouterr()
        assert guideshot("approve", "--from", str(source), baseline=baseline) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        (line,) = captured.err.splitlines()
        assert line.startswith(f"error: --from {source}: {reason}")
        assert "pass the folder `guideshot check` wrote" in line
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in baseline.rglob("*")) == [DEVICE]


@pytest.mark.browser
def test_a_browser_update_that_moved_no_pixel_is_said_once(
    drifted: Drifted, own: tuple[Path, Path]
) -> None:
    baseline, _downloaded = own
    for path in (baseline / DEVICE / FLOW).glob("*.json"):  # approved by an older patch
        record = json.loads(path.read_text(encoding="utf-8"))
        record["environment"]["browser_version"] = "1.0.0.0"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    with rewriting_proxy(drifted.site_url, CHANGE) as site:
        status, output = check_saying(site, baseline, baseline.parent / "report")
    assert status == 1, output  # step ① still drifted
    notes = [line for line in output.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1, output
    assert "(browser_version 1.0.0.0 → " in notes[0] and "on 3 steps that still match" in notes[0]
    per_step = [line for line in output.splitlines() if "captured in another environment" in line]
    assert len(per_step) == 1 and "step ①" in per_step[0]  # only where the screen changed too
