"""One writer of screenshots/ at a time, and an Undo that cannot destroy a later approval.

Two real `approve` processes released together by a pipe end with every step wholly one
set and a true line from each; a process holding the lock makes `approve` wait a bounded
time and name it; a live transaction survives another command's start; review's Undo
refuses once a later approval changed what it approved.

Staged sets and reports are made by the product's own staging (stage_flow, bundle_flow)
from the committed screenshots with a painted block, so no browser is needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from harness.capture import CaptureRecord
from harness.capture.results import FlowResult, StepCapture
from harness.cli import main
from harness.cli.common import recover_interrupted
from harness.drift.verdict import CheckReport, FlowVerdict, StepStatus, StepVerdict
from harness.files import write_text_atomic
from harness.report.bundle import bundle_flow, captures_root
from harness.report.json_report import render_json
from harness.review.decisions import Decision, Review, ReviewRefused
from harness.store import switch
from harness.store.captures import Outcome, WriteSummary, publish_flow
from harness.store.layout import staging_root, work_root
from harness.store.lock import WAIT_ENV, BaselineBusy, baseline_lock, holds_lock
from harness.store.staging import MANIFEST, stage_flow

ROOT = Path(__file__).resolve().parents[2]
FLOW, DEVICE = "register-userid", "android"
COMMITTED = ROOT / "screenshots" / DEVICE / FLOW
NUMBERS = (1, 2, 3, 4)
GUIDESHOT = [sys.executable, "-m", "harness"]
Snapshot = dict[str, bytes]

# Imports first, then says so and blocks until the test closes the shared pipe: both
# processes start `main` at the same moment, whatever their start-up took.
AT_THE_SIGNAL = """
import os, sys
from harness.cli import main
ready, go = int(sys.argv[1]), int(sys.argv[2])
os.write(ready, b"r")
os.read(go, 1)
sys.exit(main(sys.argv[3:]))
"""

# Holds the baseline lock (as `review` would) until its stdin closes or it is killed.
HOLDING = """
import sys
from pathlib import Path
from harness.store.lock import baseline_lock
with baseline_lock(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""

# An approve paused after its first step: its transaction is live, half done.
PAUSED = """
import sys
from pathlib import Path
from harness.store.approve import plan_approval
from harness.store.layout import work_root
from harness.store.lock import baseline_lock
from harness.store.switch import apply
baseline, staged = Path(sys.argv[1]), Path(sys.argv[2])
with baseline_lock(baseline, "approve"):
    plan = plan_approval([staged], baseline, [])
    paused = []
    def pause(step):
        if not paused:
            paused.append(step)
            print("paused", flush=True)
            sys.stdin.readline()
    apply(work_root(baseline), plan.switches, pause)
print("done", flush=True)
"""


def snapshot(folder: Path) -> Snapshot:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def step_of(files: Snapshot, number: int) -> Snapshot:
    return {name: data for name, data in files.items() if name.startswith(f"{number:02d}-")}


def image_of(folder: Path, number: int) -> str:
    """The annotated picture's name of step `number`, which labels the step."""
    (name,) = [
        p.name for p in folder.glob(f"{number:02d}-*.png") if not p.name.endswith(".raw.png")
    ]
    return name


def committed_steps() -> list[tuple[CaptureRecord, bytes]]:
    records = [
        CaptureRecord.model_validate_json(path.read_bytes())
        for path in sorted(COMMITTED.glob("*.json"))
    ]
    return [(record, (COMMITTED / record.raw_image).read_bytes()) for record in records]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def painted(colour: tuple[int, int, int]) -> tuple[FlowResult, list[bytes]]:
    """The committed flow with a changed screen: a block of `colour` in every capture."""
    captures, annotated = [], []
    for record, raw in committed_steps():
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        image.paste(colour, (0, 0, 48, 48))
        new_raw = _png(image)
        image.paste((255, 0, 0), (60, 60, 80, 80))  # stands for the red box of annotation
        digest = hashlib.sha256(new_raw).hexdigest()
        captures.append(StepCapture(record.model_copy(update={"raw_sha256": digest}), new_raw))
        annotated.append(_png(image))
    return FlowResult(flow=FLOW, device=DEVICE, captures=captures), annotated


def stage(root: Path, colour: tuple[int, int, int], approved: Path) -> Path:
    """Stage a painted set under `root` against the approved folder as it is now."""
    result, annotated = painted(colour)
    return stage_flow(root, result, annotated, approved, NUMBERS)


def staged_files(staged: Path) -> Snapshot:
    return {name: data for name, data in snapshot(staged).items() if name != MANIFEST}


def write_report(report: Path, colour: tuple[int, int, int], approved: Path) -> Snapshot:
    """A report as `check` leaves it for `approve --from` and `review`: its captures bundled
    from a staged set, and a report.json whose every step drifted."""
    staged = stage(report.parent / f".staging-{report.name}", colour, approved)
    steps = [
        StepVerdict(
            flow=FLOW,
            device=DEVICE,
            number=record.number,
            caption=record.caption,
            scenario_file=record.scenario_file,
            scenario_line=record.scenario_line,
            status=StepStatus.DRIFT,
        )
        for record, _ in committed_steps()
    ]
    verdict = FlowVerdict(
        flow=FLOW, device=DEVICE, title=FLOW, scenario_file=steps[0].scenario_file, steps=steps
    )
    bundled = bundle_flow(report, staged, verdict)
    assert bundled is not None
    report_json = render_json(CheckReport(base_url="http://127.0.0.1:9/", flows=[verdict]))
    write_text_atomic(report / "report.json", report_json)
    return staged_files(staged)


@dataclass
class Project:
    baseline: Path

    @property
    def folder(self) -> Path:
        return self.baseline / DEVICE / FLOW

    @property
    def work(self) -> Path:
        return work_root(self.baseline)

    def no_transactions(self) -> None:
        assert not [p.name for p in self.work.glob("*") if p.name.startswith(("txn-", "prep-"))]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    baseline = tmp_path / "shots"
    shutil.copytree(COMMITTED, baseline / DEVICE / FLOW)
    return Project(baseline)


def guideshot_env(wait: float) -> dict[str, str]:
    return {**os.environ, WAIT_ENV: f"{wait:g}"}


def approve_in_process(baseline: Path, *args: str) -> tuple[int, str]:
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        status = main(["approve", "--baseline", str(baseline), *args])
    return status, said.getvalue()


def read_line(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """The process's next stdout line, waiting for it (at most `timeout` seconds)."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        assert selector.select(timeout), "the helper process said nothing"
    return process.stdout.readline().strip()


@contextlib.contextmanager
def helper(code: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """A Python helper process whose stdin the test writes; killed if still running."""
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


# -- two approves at once ----------------------------------------------------------------


BLUE, GREEN = (0, 0, 255), (0, 200, 0)
REPLACED = re.compile(r"^replaced +(\S+)$")


def approve_together(
    project: Project, report: Path
) -> list[tuple[str, subprocess.CompletedProcess[str]]]:
    """`approve` (local staging) and `approve --from report`, released at one moment."""
    commands = {
        "staged": ["approve", "--baseline", str(project.baseline)],
        "report": ["approve", "--from", str(report), "--baseline", str(project.baseline)],
    }
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    processes = {}
    try:
        for name, argv in commands.items():
            processes[name] = subprocess.Popen(
                [sys.executable, "-c", AT_THE_SIGNAL, str(ready_write), str(go_read), *argv],
                pass_fds=(ready_write, go_read),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=guideshot_env(120),  # long enough that the second always waits
            )
        os.close(ready_write)
        os.close(go_read)
        ready = b""
        while len(ready) < len(processes):  # both imported and waiting
            chunk = os.read(ready_read, 2)
            assert chunk, "a process ended before the signal"
            ready += chunk
        os.close(go_write)  # end of file: the signal, to both at once
        results = []
        for name, process in processes.items():
            out, stderr = process.communicate(timeout=120)
            results.append(
                (name, subprocess.CompletedProcess(process.args, process.returncode, out, stderr))
            )
        return results
    finally:
        for fd in (ready_read, ready_write, go_read, go_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(5))
def test_two_approves_at_once_leave_whole_steps_and_true_lines(
    tmp_path: Path, attempt: int
) -> None:
    project = Project(tmp_path / "shots")
    shutil.copytree(COMMITTED, project.folder)
    original = snapshot(project.folder)
    sets = {
        "staged": staged_files(stage(staging_root(project.baseline), BLUE, project.folder)),
        "report": write_report(tmp_path / "report", GREEN, project.folder),
    }

    results = approve_together(project, tmp_path / "report")

    assert sorted(result.returncode for _, result in results) == [0, 2], results
    (winner,) = [name for name, result in results if result.returncode == 0]
    now = snapshot(project.folder)
    for number in NUMBERS:  # every step wholly the winner's set
        assert step_of(now, number) == step_of(sets[winner], number), number
        assert step_of(now, number) != step_of(original, number)
    for name, result in results:
        lines = result.stderr.splitlines()
        assert "Traceback" not in result.stderr
        replaced = [m.group(1) for line in lines if (m := REPLACED.match(line))]
        if name == winner:
            # It says it replaced each step, and each is on disk as its own set has it.
            assert len(replaced) == len(NUMBERS), lines
            for label in replaced:
                image = Path(label).name
                assert now[image] == sets[name][image]
            assert "approved: 0 added, 4 replaced, 0 removed" in lines
        else:
            # It waited, then found its captures stale: refused, nothing claimed.
            assert replaced == [], lines
            assert not [line for line in lines if line.startswith("approved:")], lines
            assert any("changed since this capture was staged" in line for line in lines), lines
            assert lines[-1].startswith("nothing was approved"), lines
    project.no_transactions()


# -- a held lock ----------------------------------------------------------------------------


@pytest.mark.slow
def test_approve_waits_a_bounded_time_then_names_the_holder(project: Project) -> None:
    stage(staging_root(project.baseline), BLUE, project.folder)
    before = snapshot(project.folder)
    with helper(HOLDING, str(project.baseline), "review") as holder:
        assert read_line(holder) == "held"
        started = time.monotonic()
        refused = subprocess.run(
            [*GUIDESHOT, "approve", "--baseline", str(project.baseline)],
            capture_output=True,
            text=True,
            env=guideshot_env(0.5),
            timeout=60,
        )
        waited = time.monotonic() - started
        assert refused.returncode == 2
        assert refused.stderr.splitlines() == [
            f"error: another review (pid {holder.pid}) is changing {project.baseline}/ "
            "(waited 0.5 s); nothing was changed, try again when it has finished"
        ]
        assert 0.5 <= waited < 30
        assert snapshot(project.folder) == before
        holder.kill()  # a holder that dies releases the lock
        holder.wait(timeout=30)
    approved = subprocess.run(
        [*GUIDESHOT, "approve", "--baseline", str(project.baseline)],
        capture_output=True,
        text=True,
        env=guideshot_env(0.5),
        timeout=60,
    )
    assert approved.returncode == 0, approved.stderr
    assert "approved: 0 added, 4 replaced, 0 removed" in approved.stderr


@pytest.mark.slow
def test_review_approve_and_undo_refuse_while_another_process_holds_the_lock(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_report(tmp_path / "report", GREEN, project.folder)
    review = Review(captures_root(tmp_path / "report"), project.baseline, project.work)
    review.approve(DEVICE, FLOW, 3)
    approved = snapshot(project.folder)
    monkeypatch.setenv(WAIT_ENV, "0.2")
    with helper(HOLDING, str(project.baseline), "approve") as holder:
        assert read_line(holder) == "held"
        busy = f"another approve (pid {holder.pid}) is changing {project.baseline}/"
        with pytest.raises(ReviewRefused, match=re.escape(busy)):
            review.approve(DEVICE, FLOW, 2)
        with pytest.raises(ReviewRefused, match=re.escape(busy)):
            review.undo()
        assert snapshot(project.folder) == approved
    assert review.undo() == [f"{DEVICE}/{FLOW}/{image_of(project.folder, 3)}"]


@pytest.mark.slow
def test_run_publishes_each_flow_under_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "shots"
    result, annotated = painted(BLUE)
    monkeypatch.setenv(WAIT_ENV, "0.2")
    with helper(HOLDING, str(baseline), "approve") as holder:
        assert read_line(holder) == "held"
        busy = f"another approve (pid {holder.pid}) is changing {baseline}/"
        with pytest.raises(BaselineBusy, match=re.escape(busy)):
            publish_flow(baseline, work_root(baseline), result, annotated, WriteSummary())
        assert not baseline.exists()
    summary = WriteSummary()
    publish_flow(baseline, work_root(baseline), result, annotated, summary)
    assert summary.count(Outcome.NEW) == len(NUMBERS)


def test_the_lock_keeps_out_another_thread_of_the_same_process(project: Project) -> None:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with baseline_lock(project.baseline, "run"):
            held.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(60)
        busy = f"another run (pid {os.getpid()}) is changing {project.baseline}/ (waited 0.1 s)"
        with (
            pytest.raises(BaselineBusy, match=re.escape(busy)),
            baseline_lock(project.baseline, "approve", wait_s=0.1),
        ):
            pass
    finally:
        release.set()
        thread.join(60)
    # Free once the thread let go; and its holder may take it again (recovery in approve).
    with (
        baseline_lock(project.baseline, "approve", wait_s=0),
        baseline_lock(project.baseline, "recovery", wait_s=0),
    ):
        assert holds_lock(project.work)
    assert not holds_lock(project.work)


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_lock_wait_that_is_not_seconds_is_one_line(
    project: Project, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    stage(staging_root(project.baseline), BLUE, project.folder)
    before = snapshot(project.folder)
    monkeypatch.setenv(WAIT_ENV, value)
    status, stderr = approve_in_process(project.baseline)
    assert status == 2
    assert stderr.splitlines() == [
        f"error: {WAIT_ENV}={value}: give the seconds to wait for another guideshot to finish "
        "changing the screenshots (0 or more; default 15)"
    ]
    assert snapshot(project.folder) == before


# -- recovery never touches a live transaction -------------------------------------------------


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_a_live_transaction_survives_other_commands_starting(
    project: Project, tmp_path: Path
) -> None:
    staged = stage(staging_root(project.baseline), BLUE, project.folder)
    new = staged_files(staged)
    write_report(tmp_path / "report", GREEN, project.folder)
    with helper(PAUSED, str(project.baseline), str(staged)) as paused:
        assert read_line(paused) == "paused"
        (txn,) = project.work.glob("txn-*")
        live = tree_digest(txn)
        half = snapshot(project.folder)

        recover_interrupted(project.baseline)  # as `check` starts: the lock is busy, skipped
        busy = subprocess.run(
            [*GUIDESHOT, "approve", "--baseline", str(project.baseline)],
            capture_output=True,
            text=True,
            env=guideshot_env(0.2),
            timeout=60,
        )
        assert busy.returncode == 2
        assert f"another approve (pid {paused.pid})" in busy.stderr
        review = subprocess.Popen(
            [*GUIDESHOT, "review", str(tmp_path / "report"), "--baseline", str(project.baseline)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert read_line(review).startswith("http://127.0.0.1:")  # it has started
        finally:
            review.send_signal(signal.SIGTERM)
            review.communicate(timeout=30)

        assert tree_digest(txn) == live
        assert snapshot(project.folder) == half
        assert paused.stdin is not None
        paused.stdin.write("\n")
        paused.stdin.flush()
        assert read_line(paused) == "done"
    assert snapshot(project.folder) == new
    project.no_transactions()


class Killed(BaseException):
    """Stands in for the process dying: nothing in guideshot catches it."""


def test_an_end_while_preparing_leaves_no_transaction_and_nothing_moved(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    stage(staging_root(project.baseline), BLUE, project.folder)
    before = snapshot(project.folder)
    real = switch._write_journal

    def die_at_the_journal(txn: Path, entries: list[dict[str, object]]) -> None:
        assert not list(project.work.glob("txn-*"))  # prepared aside, not yet a transaction
        real(txn, entries)
        raise Killed

    monkeypatch.setattr(switch, "_write_journal", die_at_the_journal)
    with pytest.raises(Killed):
        approve_in_process(project.baseline)
    assert not list(project.work.glob("txn-*"))
    assert list(project.work.glob("prep-*"))
    monkeypatch.undo()
    recover_interrupted(project.baseline)
    project.no_transactions()
    assert snapshot(project.folder) == before


def test_a_transaction_with_an_unreadable_journal_is_left_and_named(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    txn = project.work / "txn-0123"
    (txn / "old" / "0").mkdir(parents=True)
    (txn / "old" / "0" / "01-x.png").write_bytes(b"an approved picture")
    (txn / "journal.json").write_text("{not json", encoding="utf-8")
    recover_interrupted(project.baseline)
    assert (txn / "old" / "0" / "01-x.png").read_bytes() == b"an approved picture"
    assert f"{txn}: an interrupted write whose journal cannot be read" in capsys.readouterr().err


def test_switching_without_the_lock_is_a_programming_error(project: Project) -> None:
    with pytest.raises(RuntimeError, match="needs its baseline_lock"):
        switch.apply(project.work, [switch.StepSwitch(project.folder, (), {"x": b""}, "x")])
    with baseline_lock(project.baseline, "test"):
        switch.apply(project.work, [switch.StepSwitch(project.folder, (), {"x": b"1"}, "x")])
    assert (project.folder / "x").read_bytes() == b"1"


# -- Undo is compare-and-swap -------------------------------------------------------------


def later_approve_of_step_3(project: Project) -> None:
    stage(staging_root(project.baseline), BLUE, project.folder)
    status, stderr = approve_in_process(project.baseline, "--flow", FLOW, "--step", "3")
    assert status == 0, stderr


def later_edit_of_step_3(project: Project) -> None:
    next(project.folder.glob("03-*.raw.png")).write_bytes(b"edited by hand")


def later_removal_of_step_3(project: Project) -> None:
    next(project.folder.glob("03-*.json")).unlink()


@pytest.mark.parametrize(
    ("later", "change"),
    [
        (later_approve_of_step_3, "json was replaced"),
        (later_edit_of_step_3, "raw.png was replaced"),
        (later_removal_of_step_3, "json was removed"),
    ],
)
def test_undo_after_a_later_change_refuses_and_keeps_it(
    project: Project, tmp_path: Path, later: Callable[[Project], None], change: str
) -> None:
    write_report(tmp_path / "report", GREEN, project.folder)
    review = Review(captures_root(tmp_path / "report"), project.baseline, project.work)
    assert len(review.approve(DEVICE, FLOW, None)) == len(NUMBERS)
    later(project)
    after = snapshot(project.folder)
    image = image_of(project.folder, 3)

    with pytest.raises(ReviewRefused) as refused:
        review.undo()

    assert str(refused.value).startswith(f"{DEVICE}/{FLOW}/{image} changed since this review ")
    assert str(refused.value).endswith(f"{change}); nothing was undone")
    assert snapshot(project.folder) == after  # the later change, byte for byte; no step undone
    assert review.can_undo
    assert set(review.decisions.values()) == {Decision.APPROVED}
    project.no_transactions()


def test_undo_with_nothing_changed_since_restores_byte_for_byte(
    project: Project, tmp_path: Path
) -> None:
    original = snapshot(project.folder)
    carried = write_report(tmp_path / "report", GREEN, project.folder)
    review = Review(captures_root(tmp_path / "report"), project.baseline, project.work)
    review.approve(DEVICE, FLOW, 2)
    review.approve(DEVICE, FLOW, None)
    assert snapshot(project.folder) == carried
    review.undo()  # the whole-flow approval: steps 1, 3, 4
    assert step_of(snapshot(project.folder), 2) == step_of(carried, 2)
    review.undo()
    assert snapshot(project.folder) == original
    assert not review.can_undo
    project.no_transactions()


# -- through the review server, as a person uses it -------------------------------------------


def _token(url: str) -> str:
    """The token the review page carries for its actions ('' where it has none)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode("utf-8")
    found = re.search(r'<meta name="guideshot-token" content="([^"]*)"', page)
    return found.group(1) if found else ""


def _post(url: str, action: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url + "api/" + action,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Origin": url.rstrip("/"),
            "X-Guideshot-Token": _token(url),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.slow
def test_review_undo_after_a_later_cli_approve_refuses_over_http(
    project: Project, tmp_path: Path
) -> None:
    write_report(tmp_path / "report", GREEN, project.folder)
    review = subprocess.Popen(
        [*GUIDESHOT, "review", str(tmp_path / "report"), "--baseline", str(project.baseline)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = read_line(review)
        status, answer = _post(url, "approve", {"device": DEVICE, "flow": FLOW, "step": 3})
        assert status == 200, answer
        stage(staging_root(project.baseline), BLUE, project.folder)
        later = subprocess.run(
            [*GUIDESHOT, "approve", "--baseline", str(project.baseline), "--flow", FLOW],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert later.returncode == 0, later.stderr
        after = snapshot(project.folder)

        status, answer = _post(url, "undo", {})

        assert status == 409
        image = image_of(project.folder, 3)
        assert str(answer["error"]).startswith(f"{DEVICE}/{FLOW}/{image} changed since this")
        assert str(answer["error"]).endswith("; nothing was undone")
        assert answer["can_undo"] is True
        assert snapshot(project.folder) == after
    finally:
        review.send_signal(signal.SIGTERM)
        _out, stderr = review.communicate(timeout=30)
    assert review.returncode == 143, stderr
    project.no_transactions()
