"""A flow that creates a record runs again and again, on both phones at once: setup signs
in, `{device}` names the record after the phone, cleanup deletes it (also after a failure,
and a cleanup that fails never hides the flow's own failure; and after a run killed before
its cleanup, by the next run). Django's admin, through the CLI."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from harness.capture.leftovers import JOURNAL, Owner
from harness.cli import main
from tests.harness.thirdparty.django_admin import DjangoAdmin, django_admin

FLOWS = Path(__file__).parent / "thirdparty" / "flows" / "django-state"


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoAdmin]:
    with django_admin(tmp_path_factory.mktemp("django")) as started:
        yield started


def cli(verb: str, flows: Path, admin: DjangoAdmin, shots: Path, *more: str) -> int:
    where = ["--out", str(shots)] if verb == "run" else ["--baseline", str(shots), *more]
    return main([verb, "-j", "2", "--scenarios", str(flows), "--base-url", admin.url, *where])


@pytest.mark.browser
@pytest.mark.slow
def test_a_flow_that_creates_a_record_passes_three_runs_in_a_row_then_check(
    admin: DjangoAdmin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shots = tmp_path / "shots"
    for _ in range(3):  # without cleanup the second run's Save says "already exists"
        assert cli("run", FLOWS, admin, shots) == 0
    assert cli("check", FLOWS, admin, shots, "--report", str(tmp_path / "report")) == 0
    assert sorted(p.name for p in (shots / "iphone" / "add-group").glob("*.raw.png")) == [
        "01-Type-the-group-s-name.raw.png",
        "02-Tap-Save.raw.png",
    ]


@pytest.mark.browser
@pytest.mark.slow
def test_cleanup_runs_after_a_failure_and_its_own_failure_is_added_not_swapped(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    flows = tmp_path / "flows"
    flows.mkdir()
    written = (FLOWS / "add-group.yaml").read_text("utf-8")
    broken = written.replace("expect: {text: was added successfully}", "expect: {text: Thanks}")
    # the group is deleted, then one more cleanup step finds nothing to tap
    broken += "  - {action: tap, target: {role: link, name: Nothing here}}\n"
    assert broken.count("Thanks") == 1
    (flows / "add-group.yaml").write_text(broken, "utf-8")

    assert cli("run", flows, admin, tmp_path / "broken-shots") == 1

    said = " ".join(capsys.readouterr().err.split())
    file = flows / "add-group.yaml"
    own = (
        f'{file}:21: step 2 「Tap "Save"」: expected text 「Thanks」 after the step, but the '
        "screen shows heading 「Select group to change」 at /admin/auth/group/"
    )
    cleanup = "; then cleanup: tap role=link name=「Nothing here」: nothing on the page matches it"
    assert said.count(f"{own}{cleanup} (at {file}:32)") == 2  # both phones
    # the cleanup deleted both groups before its last step failed: the flow runs again
    assert cli("run", FLOWS, admin, tmp_path / "shots") == 0


def groups(admin: DjangoAdmin) -> dict[str, int]:
    """The admin's groups, name → id, read from its SQLite (read-only, beside the server)."""
    database = admin.log.parent / "db.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=20) as connection:
        return dict(connection.execute("SELECT name, id FROM auth_group").fetchall())


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the run's process group, as a CI timeout does, and every process below it
    (the browser is a group of its own): nothing of it runs on."""
    below = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for child in below:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(below, timeout=10)


@pytest.mark.browser
@pytest.mark.slow
def test_a_run_killed_before_its_cleanup_is_cleaned_up_by_the_next_run(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    written = (FLOWS / "add-group.yaml").read_text("utf-8")
    # After Save the run waits for what never comes (8 s): the test kills it meanwhile.
    waiting = (
        "  - caption: Wait for the test\n"
        "    action: wait_for\n"
        "    target: {text: The test ends this run here}\n"
        "cleanup:"
    )
    (flows / "add-group.yaml").write_text(written.replace("cleanup:", waiting, 1), "utf-8")
    assert "Garden android" not in groups(admin)  # so the one polled for is this run's
    command = [sys.executable, "-m", "harness", "run", "--device", "android"]
    command += ["--scenarios", str(flows), "--base-url", admin.url, "--out", "killed-shots"]
    output = tmp_path / "killed-run.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while "Garden android" not in groups(admin):  # awaited: the Save went through
            assert process.poll() is None, output.read_text("utf-8")
            assert time.monotonic() < deadline, output.read_text("utf-8")
            time.sleep(0.05)
    finally:
        kill_group(process)
    left = groups(admin).get("Garden android")
    assert left is not None  # its cleanup never ran
    entries = list((tmp_path / JOURNAL).iterdir())
    assert len(entries) == 1, entries
    killed_run = json.loads(entries[0].read_text("utf-8"))["run"]

    monkeypatch.chdir(tmp_path)
    # Without the late cleanup this run's Save would say the group already exists.
    assert cli("run", FLOWS, admin, tmp_path / "shots") == 0
    said = capsys.readouterr().err
    line = f"android add-group: cleaned up after run {killed_run}, which ended before its cleanup"
    assert said.count(line) == 1, said
    assert "iphone add-group: cleaned" not in said
    assert left not in groups(admin).values()
    assert "Garden android" not in groups(admin)  # and the new run's own cleanup ran
    assert list((tmp_path / JOURNAL).iterdir()) == []


def entry(admin: DjangoAdmin, device: str, run: str, owner: Owner) -> dict[str, object]:
    """A journal entry as a run writes it before its setup."""
    return {
        "format": "guideshot pending-cleanup 1",
        "flow": "add-group",
        "device": device,
        "site": admin.url,
        "run": run,
        "owner": {"pid": owner.pid, "started": owner.started, "host": owner.host},
        "written": "2026-12-04T00:00:00+00:00",
    }


def ended_process() -> Owner:
    """A process that ran and ended (its pid may be reused: its start time tells)."""
    with subprocess.Popen([sys.executable, "-c", "pass"]) as process:
        started = psutil.Process(process.pid).create_time()
    return Owner(process.pid, started, Owner.current().host)


@pytest.mark.browser
@pytest.mark.slow
def test_a_running_process_entry_is_left_alone_a_damaged_or_failing_one_is_one_line(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    journal = tmp_path / JOURNAL
    journal.mkdir(parents=True)
    # A run killed before it created its group: its late cleanup finds nothing to delete.
    ended = ended_process()
    (journal / f"android--add-group--9f8e7d--{ended.pid}.json").write_text(
        json.dumps(entry(admin, "android", "9f8e7d", ended)), "utf-8"
    )
    damaged = journal / "iphone--add-group--3d4e5f--1.json"
    damaged.write_text('{"format": "guideshot pending-cl', "utf-8")  # cut short
    # Another run of the same flow on the same site, still going (a concurrent run):
    with subprocess.Popen([sys.executable, "-c", "input()"], stdin=subprocess.PIPE) as other:
        started = psutil.Process(other.pid).create_time()
        running = entry(admin, "android", "0a1b2c", Owner(other.pid, started, ended.host))
        live = journal / f"android--add-group--0a1b2c--{other.pid}.json"
        live.write_text(json.dumps(running), "utf-8")

        assert cli("run", FLOWS, admin, tmp_path / "shots") == 0
        assert other.poll() is None
        other.communicate(b"\n")
    said = [" ".join(line.split()) for line in capsys.readouterr().err.splitlines()]
    said = [line for line in said if "add-group:" in line]
    file = FLOWS / "add-group.yaml"
    assert sorted(said) == [
        "warning: android add-group: could not clean up after run 9f8e7d, which ended before "
        f"its cleanup (not tried again): {file}:27: cleanup: tap role=link "
        "name=「Garden android」 exact: nothing on the page matches it",
        f"warning: iphone add-group: ignored {JOURNAL}/{damaged.name}: not JSON (Unterminated "
        "string starting at: line 1 column 12 (char 11)); delete it once you checked the site",
    ]
    assert json.loads(live.read_text("utf-8")) == running  # untouched
    assert sorted(p.name for p in journal.iterdir()) == sorted([live.name, damaged.name])


def test_a_process_is_told_from_a_later_one_with_its_pid_and_from_a_zombie() -> None:
    me = Owner.current()
    assert me.running() is True
    assert Owner(me.pid, me.started - 5, me.host).running() is False  # the pid was reused
    assert Owner(me.pid, me.started, "another-host").running() is None  # cannot be asked
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    started = psutil.Process(process.pid).create_time()
    psutil.wait_procs([psutil.Process(process.pid)], timeout=10)  # ended, not yet reaped
    assert Owner(process.pid, started, me.host).running() is False
    process.wait()
    assert Owner(process.pid, started, me.host).running() is False
