"""The folders `check --report` and `merge --report` replace: only a guideshot report (it
carries .guideshot-report, or holds only what guideshot writes) is replaced, and only whole.

Everything else — a website, a link (the path or inside it), a folder or parent that cannot
be written — is one line, exit status 2, with every file before and after the same (hashed).
Refusals happen before anything runs, so most tests need no browser; the two that check a
real site are marked slow.
"""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.cli import main
from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus, StepVerdict
from harness.report.folder import MARKER, MARKER_TEXT, new_report, tidy_asides
from harness.report.json_report import render_json
from harness.report.merge import write_shard_info
from tests.harness.fault_site import FaultSite, fault_site, write_scenarios
from tests.harness.folder_state import immutable, read_only_bind, state

USAGE_ERROR = 2
REPORT_FILES = {"index.html", "junit.xml", "report.json", "summary.md"}


def guideshot(cwd: Path, *args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(cwd)
        status = main(list(args))
    return status, stderr.getvalue()


@pytest.fixture(autouse=True)
def scenarios(tmp_path: Path) -> Path:
    return write_scenarios(tmp_path / "scenarios", {"a-ok": "/ok"})


def check_into(root: Path, report: Path | str, *extra: str) -> tuple[int, str]:
    """`check` of one flow on an address nothing answers: a folder it refuses stops it first."""
    scenarios = root / "scenarios"
    return guideshot(
        root,
        "check",
        "--base-url",
        "http://127.0.0.1:9/",
        "--scenarios",
        str(scenarios),
        "--baseline",
        str(root / "shots"),
        "--report",
        str(report),
        *extra,
    )


def marked_report(folder: Path, *, stale: str = "from an earlier check") -> Path:
    """A report as guideshot writes it, with one earlier capture in it."""
    capture = folder / "captures" / "android" / "old-flow" / "01-x.png"
    capture.parent.mkdir(parents=True)
    capture.write_text(stale)
    (folder / "report.json").write_text("{}")
    (folder / MARKER).write_text(MARKER_TEXT)
    return folder


def asides(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".guideshot-" in p.name)


def test_check_refuses_a_website_and_changes_none_of_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "css").mkdir(parents=True)
    (site / "index.html").write_text("<h1>my thesis</h1>")
    (site / "report.json").write_text('{"mine": true}')
    (site / "css" / "style.css").write_text("h1 {}")
    before = state(site)

    status, stderr = check_into(tmp_path, site)

    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {site}: the folder holds files that are not a guideshot report (it "
        f"has no {MARKER}); choose an empty or new folder"
    ]
    assert state(site) == before
    assert asides(tmp_path) == []


def test_check_refuses_a_report_path_that_is_a_link(tmp_path: Path) -> None:
    real = marked_report(tmp_path / "elsewhere")
    link = tmp_path / "report"
    link.symlink_to(real)
    before = state(tmp_path)

    status, stderr = check_into(tmp_path, link)

    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {link}: is a symbolic link; give the folder itself (a report is never "
        "written through a link)"
    ]
    assert state(tmp_path) == before


def test_check_refuses_a_report_holding_a_link_and_leaves_its_target(tmp_path: Path) -> None:
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    (decoy / "precious.txt").write_text("keep")
    report = marked_report(tmp_path / "report")
    (report / "images").mkdir()
    (report / "images" / "android").symlink_to(decoy)
    before = state(tmp_path)

    status, stderr = check_into(tmp_path, report)

    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {report}: {report}/images/android is a symbolic link; a report "
        "folder holding links is never cleared: remove the link or choose another folder"
    ]
    assert state(tmp_path) == before


def test_check_refuses_a_report_whose_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("a file")
    before = state(tmp_path)

    status, stderr = check_into(tmp_path, tmp_path / "notes" / "report")

    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {tmp_path}/notes/report: {tmp_path}/notes is not a folder; choose a "
        "folder for the report"
    ]
    assert state(tmp_path) == before


def test_check_refuses_an_immutable_report_folder(tmp_path: Path) -> None:
    report = marked_report(tmp_path / "report")
    with immutable(report):
        before = state(tmp_path)
        status, stderr = check_into(tmp_path, report)
        after = state(tmp_path)
    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {report}: cannot change {report} (read-only); choose a folder you "
        "can write"
    ]
    assert after == before


def test_check_refuses_a_report_on_a_read_only_file_system(tmp_path: Path) -> None:
    mounted = tmp_path / "mounted"
    report = marked_report(mounted / "report")
    with read_only_bind(mounted):
        before = state(tmp_path)
        status, stderr = check_into(tmp_path, report)
        after = state(tmp_path)
    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {report}: cannot change {report} (read-only); choose a folder you "
        "can write"
    ]
    assert after == before


def test_a_new_report_that_fails_is_removed_and_the_old_one_stays(tmp_path: Path) -> None:
    report = marked_report(tmp_path / "report")
    before = state(report)
    with pytest.raises(KeyboardInterrupt), new_report(report) as aside:
        (aside.path / "index.html").write_text("half")
        raise KeyboardInterrupt
    assert state(report) == before
    assert asides(tmp_path) == []


def test_a_new_report_replaces_the_old_one_whole(tmp_path: Path) -> None:
    report = marked_report(tmp_path / "report")
    with new_report(report) as aside:
        (aside.path / "index.html").write_text("new")
        aside.commit()
    assert sorted(state(report)) == [MARKER, "index.html"]
    assert not aside.path.exists() and asides(tmp_path) == []


def test_an_old_report_a_killed_switch_left_aside_is_put_back(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(gone.stdout)
    left = marked_report(tmp_path / f".report.guideshot-old-{dead_pid}-x1")
    half = marked_report(tmp_path / f".report.guideshot-new-{dead_pid}-x2")
    before = state(left)

    tidy_asides(tmp_path / "report")

    assert state(tmp_path / "report") == before
    assert not half.exists() and asides(tmp_path) == []


# merge ---------------------------------------------------------------------------------


def shard(folder: Path, index: int, flow: str, picture: str) -> Path:
    """A shard's --report folder as `check --shard i/2` writes it: one matching flow, its
    report image and its captures."""
    plan = [("a", "android"), ("b", "android")]
    step = StepVerdict(
        flow=flow,
        device="android",
        number=1,
        caption="押す",
        scenario_file=f"scenarios/{flow}.yaml",
        scenario_line=7,
        status=StepStatus.MATCH,
        current_image=f"images/android/{flow}/01-current.png",
    )
    verdict = FlowVerdict(
        flow=flow, device="android", title=flow, scenario_file=step.scenario_file, steps=[step]
    )
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT)
    (folder / "report.json").write_text(render_json(CheckReport(base_url="x", flows=[verdict])))
    write_shard_info(folder, index, 2, plan)
    for part in ("images", "captures"):
        (folder / part / "android" / flow).mkdir(parents=True)
        (folder / part / "android" / flow / "01-current.png").write_text(picture)
    return folder


@pytest.fixture
def shards(tmp_path: Path) -> list[Path]:
    return [shard(tmp_path / "s1", 1, "a", "new a"), shard(tmp_path / "s2", 2, "b", "new b")]


def merge(root: Path, shards: list[Path], out: Path) -> tuple[int, str]:
    return guideshot(root, "merge", *map(str, shards), "--report", str(out))


def test_merge_writes_fresh_and_no_older_capture_survives(
    tmp_path: Path, shards: list[Path]
) -> None:
    out = marked_report(tmp_path / "report", stale="a picture an older check took")
    (out / "images" / "android" / "b").mkdir(parents=True)
    (out / "images" / "android" / "b" / "02-current.png").write_text("older")

    status, stderr = merge(tmp_path, shards, out)

    assert status == 0, stderr
    assert "no drift" in stderr
    assert sorted(state(out)) == sorted(
        [
            MARKER,
            *REPORT_FILES,
            *[f"{part}{rest}" for part in ("images", "captures") for rest in ("", "/android")],
            *[
                f"{part}/android/{flow}{rest}"
                for part in ("images", "captures")
                for flow in "ab"
                for rest in ("", "/01-current.png")
            ],
        ]
    )
    assert (out / "captures" / "android" / "a" / "01-current.png").read_text() == "new a"
    assert asides(tmp_path) == []


def test_merge_replaces_a_report_written_before_reports_were_marked(
    tmp_path: Path, shards: list[Path]
) -> None:
    out = marked_report(tmp_path / "report")
    (out / MARKER).unlink()  # what every earlier guideshot wrote: its files only
    (out / "index.html").write_text("<!doctype html>")

    assert merge(tmp_path, shards, out)[0] == 0
    assert (out / MARKER).read_text() == MARKER_TEXT
    assert not (out / "captures" / "android" / "old-flow").exists()


def test_merge_refuses_a_folder_that_is_not_a_report(tmp_path: Path, shards: list[Path]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<h1>mine</h1>")
    before = state(tmp_path)

    status, stderr = merge(tmp_path, shards, out)

    assert status == USAGE_ERROR
    assert stderr.splitlines() == [
        f"error: --report {out}: the folder holds files that are not a guideshot report (it "
        f"has no {MARKER}); choose an empty or new folder"
    ]
    assert state(tmp_path) == before


def test_merge_refuses_a_link_for_its_report(tmp_path: Path, shards: list[Path]) -> None:
    real = marked_report(tmp_path / "real")
    out = tmp_path / "report"
    out.symlink_to(real)
    before = state(tmp_path)

    assert merge(tmp_path, shards, out)[0] == USAGE_ERROR
    assert state(tmp_path) == before


def test_merge_refuses_a_shard_holding_a_link(tmp_path: Path, shards: list[Path]) -> None:
    secret = tmp_path / "secret.png"
    secret.write_text("not the shard's")
    (shards[1] / "captures" / "android" / "b" / "02-x.png").symlink_to(secret)
    out = marked_report(tmp_path / "report")
    before = state(tmp_path)

    status, stderr = merge(tmp_path, shards, out)

    assert status == USAGE_ERROR
    assert stderr.startswith(f"error: {shards[1]}/captures/android/b/02-x.png: a symbolic link")
    assert state(tmp_path) == before


def test_merge_into_a_shards_parent_is_refused(tmp_path: Path, shards: list[Path]) -> None:
    before = state(tmp_path)
    status, stderr = merge(tmp_path, shards, tmp_path)
    assert status == USAGE_ERROR
    assert stderr.startswith(f"error: --report {tmp_path}: choose a folder apart from")
    assert state(tmp_path) == before


def test_merge_holds_the_lock_beside_its_report(tmp_path: Path, shards: list[Path]) -> None:
    """While another process holds the lock (an approve, say), merge waits its bounded time
    and stops in one line, its report folder untouched."""
    out = marked_report(tmp_path / "report")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from harness.store.lock import baseline_lock\n"
         f"with baseline_lock(Path({str(out)!r}), 'approve'):\n"
         "    print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        before = state(out)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("GUIDESHOT_LOCK_WAIT", "0.2")
            status, stderr = merge(tmp_path, shards, out)
        assert status == USAGE_ERROR
        assert stderr.startswith(f"error: another approve (pid {holder.pid}) is changing")
        assert state(out) == before
    finally:
        holder.communicate("\n", timeout=30)
    assert merge(tmp_path, shards, out)[0] == 0  # once it is free


# through a real check (browser) ---------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[FaultSite]:
    with fault_site() as running:
        yield running


def check_site(root: Path, site: FaultSite, report: Path) -> tuple[int, str]:
    scenarios = root / "scenarios"
    return guideshot(
        root,
        "check",
        "--base-url",
        site.url,
        "--scenarios",
        str(scenarios),
        "--baseline",
        str(root / "shots"),
        "--report",
        str(report),
    )


@pytest.mark.browser
@pytest.mark.slow
def test_check_replaces_a_stale_report_whole(tmp_path: Path, site: FaultSite) -> None:
    report = marked_report(tmp_path / "report")
    (report / "images" / "android" / "old-flow").mkdir(parents=True)
    (report / "images" / "android" / "old-flow" / "01-current.png").write_text("stale")

    status, stderr = check_site(tmp_path, site, report)

    assert status == 1, stderr  # a-ok has no approved screenshot: new
    names = set(state(report))
    assert {MARKER, *REPORT_FILES} <= names
    assert not any("old-flow" in name for name in names)
    assert any(name.startswith("captures/android/a-ok/") for name in names)
    assert asides(tmp_path) == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_check_stopped_by_ctrl_c_leaves_the_old_report_as_it_was(tmp_path: Path) -> None:
    scenarios = write_scenarios(tmp_path / "hang", {"a-hang": "/hang"})
    report = marked_report(tmp_path / "report")
    before = state(report)
    with fault_site() as hanging:
        process = subprocess.Popen(
            [sys.executable, "-m", "harness", "check", "--base-url", hanging.url,
             "--scenarios", str(scenarios), "--baseline", str(tmp_path / "shots"),
             "--report", str(report)],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert hanging.hanging.wait(120), "the browser never reached the hanging page"
            assert len(asides(tmp_path)) == 1  # the new report, being written aside
            process.send_signal(signal.SIGINT)
            _out, stderr = process.communicate(timeout=90)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 130, stderr
    assert f"no report was written ({report} is as it was)" in stderr
    assert state(report) == before
    assert asides(tmp_path) == []
