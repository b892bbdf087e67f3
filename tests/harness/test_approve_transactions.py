"""`guideshot approve` as a transaction, through the CLI: refused stagings change nothing,
a full disk or a read-only folder leaves the baseline as it was, an interruption leaves every
step wholly old or wholly new and says which, and an abrupt end is recovered next time.

The staged captures are made by the product's own staging (stage_flow) from the committed
screenshots with a changed screen, so no browser is needed here.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from harness.capture import CaptureRecord
from harness.capture.results import FlowFailure, FlowResult, StepCapture
from harness.cli import main
from harness.files import write_bytes_atomic
from harness.store import switch
from harness.store.layout import staging_root, work_root
from harness.store.staging import MANIFEST, stage_flow

ROOT = Path(__file__).resolve().parents[2]
FLOW, DEVICE = "register-userid", "android"
COMMITTED = ROOT / "screenshots" / DEVICE / FLOW
Snapshot = dict[str, bytes]


def snapshot(folder: Path) -> Snapshot:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def approve(baseline: Path, *args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = main(["approve", "--baseline", str(baseline), *args])
    return status, stderr.getvalue()


def changed_capture(record: CaptureRecord, raw: bytes) -> tuple[StepCapture, bytes]:
    """The same step with a changed screen: a blue block in the corner."""
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image.paste((0, 0, 255), (0, 0, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    new_raw = buffer.getvalue()
    new_record = record.model_copy(update={"raw_sha256": hashlib.sha256(new_raw).hexdigest()})
    return StepCapture(record=new_record, raw_png=new_raw), new_raw + b"annotated"


def committed_steps() -> list[tuple[CaptureRecord, bytes]]:
    records = [
        CaptureRecord.model_validate_json(path.read_bytes())
        for path in sorted(COMMITTED.glob("*.json"))
    ]
    return [(record, (COMMITTED / record.raw_image).read_bytes()) for record in records]


class Project:
    """A baseline copied from the committed screenshots, and helpers to stage captures."""

    def __init__(self, root: Path) -> None:
        self.baseline = root / "shots"
        self.folder = self.baseline / DEVICE / FLOW
        shutil.copytree(COMMITTED, self.folder)
        self.old = snapshot(self.folder)

    def stage(
        self,
        numbers: tuple[int, ...] = (1, 2, 3, 4),
        expected: tuple[int, ...] = (1, 2, 3, 4),
        failure: FlowFailure | None = None,
    ) -> Snapshot:
        """Stage changed captures of `numbers`; what a full approval would leave."""
        pairs = [
            changed_capture(record, raw)
            for record, raw in committed_steps()
            if record.number in numbers
        ]
        result = FlowResult(
            flow=FLOW, device=DEVICE, captures=[c for c, _ in pairs], failure=failure
        )
        stage_flow(
            staging_root(self.baseline), result, [a for _, a in pairs], self.folder, expected
        )
        staged = staging_root(self.baseline) / DEVICE / FLOW
        return {name: data for name, data in snapshot(staged).items() if name != MANIFEST}

    def step_state(self, number: int, new: Snapshot) -> str:
        """'old' or 'new' when the step's files are wholly one set; 'mixed' otherwise."""
        prefix = f"{number:02d}-"
        now = {n: d for n, d in snapshot(self.folder).items() if n.startswith(prefix)}
        if now == {n: d for n, d in self.old.items() if n.startswith(prefix)}:
            return "old"
        if now == {n: d for n, d in new.items() if n.startswith(prefix)}:
            return "new"
        return "mixed"

    def no_temporaries(self) -> None:
        assert not [p for p in self.baseline.rglob("*") if p.name.endswith(".tmp")]
        assert not list(work_root(self.baseline).glob("txn-*"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def test_approve_switches_every_step_and_prints_each(project: Project) -> None:
    new = project.stage()
    status, stderr = approve(project.baseline)
    assert status == 0, stderr
    assert snapshot(project.folder) == new
    assert stderr.count(f"replaced {DEVICE}/{FLOW}/") == 4
    assert "approved: 0 added, 4 replaced, 0 removed" in stderr
    project.no_temporaries()


def test_a_short_staging_is_refused_and_deletes_nothing(project: Project) -> None:
    project.stage(numbers=(1, 2))  # the scenario has four steps: two were never captured
    status, stderr = approve(project.baseline)
    assert status == 2
    assert "the latest run did not complete" in stderr
    assert "nothing was approved" in stderr
    assert snapshot(project.folder) == project.old


def test_a_failed_run_is_refused_even_with_captures_from_before(project: Project) -> None:
    failure = FlowFailure(
        number=3,
        caption="c",
        scenario_file="scenarios/register-userid.yaml",
        scenario_line=20,
        message="role=button name=「次へ」 is not on the screen",
        looked_for=None,
        wanted=None,
        candidates=(),
        screenshot=None,
    )
    project.stage(numbers=(1, 2), failure=failure)
    status, stderr = approve(project.baseline)
    assert status == 2
    assert "is not on the screen" in stderr
    assert snapshot(project.folder) == project.old


def test_a_step_the_scenario_dropped_is_removed_only_on_a_complete_staging(
    project: Project,
) -> None:
    new = project.stage(numbers=(1, 2, 3), expected=(1, 2, 3))
    status, stderr = approve(project.baseline)
    assert status == 0, stderr
    assert snapshot(project.folder) == new
    assert stderr.count("removed ") == 3  # step ④'s raw, annotated and record


def test_a_stale_staging_is_refused(project: Project) -> None:
    project.stage()
    raw = next(project.folder.glob("02-*.raw.png"))
    raw.write_bytes(raw.read_bytes() + b"approved by someone else since")
    edited = snapshot(project.folder)
    status, stderr = approve(project.baseline)
    assert status == 2
    assert "changed since this capture was staged" in stderr
    assert snapshot(project.folder) == edited


def test_a_staging_without_manifest_is_refused(project: Project) -> None:
    project.stage()
    (staging_root(project.baseline) / DEVICE / FLOW / MANIFEST).unlink()
    status, stderr = approve(project.baseline)
    assert status == 2
    assert "no manifest" in stderr
    assert snapshot(project.folder) == project.old


def _fail_after(calls: int, error: OSError, real: Callable[..., Any]) -> Callable[..., Any]:
    count = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        count["n"] += 1
        if count["n"] > calls:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_a_full_disk_while_preparing_leaves_the_baseline_as_it_was(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.stage()
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(work_root(project.baseline)))
    fail = _fail_after(5, full, write_bytes_atomic)
    monkeypatch.setattr("harness.store.switch.write_bytes_atomic", fail)
    status, stderr = approve(project.baseline)
    assert status == 2
    assert stderr.count("\n") == 1, stderr  # one line
    assert "No space left on device" in stderr and "is as it was" in stderr
    assert snapshot(project.folder) == project.old
    project.no_temporaries()


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_baseline_midway_is_rolled_back(
    project: Project, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    project.stage()
    denied = OSError(code, os.strerror(code), str(project.folder))
    monkeypatch.setattr(switch, "_switch", _fail_after(2, denied, switch._switch))
    status, stderr = approve(project.baseline)
    assert status == 2
    assert os.strerror(code) in stderr
    assert snapshot(project.folder) == project.old  # the two switched steps were put back
    project.no_temporaries()


def test_ctrl_c_during_approve_finishes_the_step_and_says_what_was_approved(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = project.stage()
    real_apply = switch.apply

    def interrupt_after_first(work: Path, steps: Any, on_done: Any = None) -> switch.Applied:
        def done(step: switch.StepSwitch) -> None:
            if on_done is not None:
                on_done(step)
            os.kill(os.getpid(), signal.SIGINT)

        return real_apply(work, steps, done)

    monkeypatch.setattr("harness.store.approve.apply", interrupt_after_first)
    status, stderr = approve(project.baseline)
    assert status == 130
    assert "interrupted: 1 of 4 steps approved (0 added, 1 replaced, 0 removed)" in stderr
    assert stderr.count(f"{DEVICE}/{FLOW}/0") == 1 + 3  # the approved one, then the three not
    assert [project.step_state(n, new) for n in (1, 2, 3, 4)] == ["new", "old", "old", "old"]
    project.no_temporaries()


class Killed(BaseException):
    """Stands in for the process dying: nothing in guideshot catches it."""


def test_an_abrupt_end_mid_step_is_recovered_by_the_next_command(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = project.stage()
    real_switch = switch._switch
    calls = {"n": 0}

    def die_half_way(folder: Path, txn: Path, index: int, step: switch.StepSwitch) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second step: old files moved out, new ones not yet in
            (txn / "old" / str(index)).mkdir(parents=True)
            for name in step.remove:
                os.replace(folder / name, txn / "old" / str(index) / name)
            raise Killed
        real_switch(folder, txn, index, step)

    monkeypatch.setattr(switch, "_switch", die_half_way)
    with pytest.raises(Killed):
        approve(project.baseline)
    assert project.step_state(2, new) == "mixed"  # what a killed process leaves
    monkeypatch.setattr(switch, "_switch", real_switch)

    status, stderr = approve(project.baseline)

    assert "recovered an interrupted write: 1 step(s) kept as switched, 1 step(s) put back" in (
        stderr
    )
    assert status == 0, stderr
    assert [project.step_state(n, new) for n in (1, 2, 3, 4)] == ["new"] * 4
    assert "replaced" in stderr and "approved: 0 added, 3 replaced" in stderr
    project.no_temporaries()


def test_a_temporary_file_left_in_the_baseline_is_cleaned_by_the_next_command(
    project: Project,
) -> None:
    new = project.stage()
    stray = project.folder / ".01-x.raw.png.k2j4.tmp"
    stray.write_bytes(b"half a picture")
    status, stderr = approve(project.baseline)
    assert status == 0, stderr
    assert "removed 1 temporary file(s)" in stderr
    assert snapshot(project.folder) == new
