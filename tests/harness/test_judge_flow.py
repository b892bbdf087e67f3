"""judge_flow on the committed screenshots: match, a hand-altered baseline, new and removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.judge_flow import ReportImages, approved_captures, judge_flow
from harness.runner import FlowResult, StepCapture
from harness.scenario.load import load_all
from harness.verdict import DifferenceKind, StepStatus

ROOT = Path(__file__).resolve().parents[2]
FLOW = next(f for f in load_all(ROOT / "scenarios") if f.id == "register-userid")
APPROVED = ROOT / "screenshots" / "android" / "register-userid"


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    root = tmp_path / "shots"
    shutil.copytree(APPROVED, root / "android" / "register-userid")
    return root


def current_result(numbers: tuple[int, ...] = (1, 2, 3, 4)) -> FlowResult:
    """The approved captures replayed as if the run had just taken them."""
    captures = [
        StepCapture(record=record, raw_png=raw.read_bytes())
        for number, (record, raw) in sorted(approved_captures(APPROVED).items())
        if number in numbers
    ]
    return FlowResult(flow=FLOW.id, device="android", captures=captures)


def test_the_same_captures_match(baseline: Path, tmp_path: Path) -> None:
    verdict = judge_flow(FLOW, current_result(), baseline, ReportImages(tmp_path / "report"))
    assert [step.status for step in verdict.steps] == [StepStatus.MATCH] * 4
    assert not (tmp_path / "report").exists()  # no images are copied for matching steps


def test_a_baseline_image_replaced_by_hand_is_judged_by_its_pixels(
    baseline: Path, tmp_path: Path
) -> None:
    folder = baseline / "android" / "register-userid"
    records = approved_captures(folder)
    first, second = records[1][1], records[2][1]
    shutil.copyfile(second, first)  # step ①'s record still carries the old hash
    verdict = judge_flow(FLOW, current_result(), baseline, ReportImages(tmp_path / "report"))
    step_one = verdict.steps[0]
    assert step_one.status is StepStatus.DRIFT
    assert DifferenceKind.PIXELS_CHANGED in {d.kind for d in step_one.differences}
    assert step_one.diff_image is not None
    assert (tmp_path / "report" / step_one.diff_image).is_file()


def test_a_step_without_a_baseline_is_new_never_passing(baseline: Path, tmp_path: Path) -> None:
    folder = baseline / "android" / "register-userid"
    for path in folder.glob("04-*"):
        path.unlink()
    verdict = judge_flow(
        FLOW, current_result((1, 2, 3, 4)), baseline, ReportImages(tmp_path / "report")
    )
    assert verdict.steps[3].status is StepStatus.NEW
    assert verdict.status is StepStatus.NEW  # never reported as passing
