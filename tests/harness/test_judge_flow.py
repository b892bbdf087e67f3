"""judge_flow on the committed screenshots: match, damaged baselines, new and removed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from harness.capture.results import FlowResult, StepCapture
from harness.drift.flow import Approved, ReportImages, Unreadable, approved_captures, judge_flow
from harness.drift.verdict import DifferenceKind, StepStatus
from harness.scenario.load import load_all

ROOT = Path(__file__).resolve().parents[2]
FLOW = next(f for f in load_all(ROOT / "scenarios") if f.id == "register-userid")
APPROVED = ROOT / "screenshots" / "android" / "register-userid"


def readable(folder: Path) -> dict[int, Approved]:
    found = approved_captures(folder)
    assert not [v for v in found.values() if isinstance(v, Unreadable)]
    return {number: value for number, value in found.items() if not isinstance(value, Unreadable)}


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    root = tmp_path / "shots"
    shutil.copytree(APPROVED, root / "android" / "register-userid")
    return root


def current_result(numbers: tuple[int, ...] = (1, 2, 3, 4)) -> FlowResult:
    """The approved captures replayed as if the run had just taken them."""
    captures = [
        StepCapture(record=record, raw_png=raw.read_bytes())
        for number, (record, raw) in sorted(readable(APPROVED).items())
        if number in numbers
    ]
    return FlowResult(flow=FLOW.id, device="android", captures=captures)


def test_the_same_captures_match(baseline: Path, tmp_path: Path) -> None:
    verdict = judge_flow(FLOW, current_result(), baseline, ReportImages(tmp_path / "report"))
    assert [step.status for step in verdict.steps] == [StepStatus.MATCH] * 4
    assert not (tmp_path / "report").exists()  # no images are copied for matching steps


def _unreadable_step_one(baseline: Path, tmp_path: Path) -> str:
    verdict = judge_flow(FLOW, current_result(), baseline, ReportImages(tmp_path / "report"))
    step_one = verdict.steps[0]
    assert step_one.status is StepStatus.UNREADABLE
    assert [step.status for step in verdict.steps[1:]] == [StepStatus.MATCH] * 3
    assert verdict.status is StepStatus.UNREADABLE
    (difference,) = step_one.differences
    assert difference.kind is DifferenceKind.BASELINE
    assert difference.sentence.startswith("step ①: baseline unreadable: ")
    return difference.sentence


def test_a_baseline_image_replaced_by_hand_is_unreadable_not_its_old_self(
    baseline: Path, tmp_path: Path
) -> None:
    folder = baseline / "android" / "register-userid"
    records = readable(folder)
    first, second = records[1][1], records[2][1]
    shutil.copyfile(second, first)  # step ①'s record still carries the old hash
    sentence = _unreadable_step_one(baseline, tmp_path)
    assert f"{first} does not match its record's raw_sha256" in sentence


def test_a_truncated_baseline_png_is_unreadable(baseline: Path, tmp_path: Path) -> None:
    folder = baseline / "android" / "register-userid"
    record, raw = readable(folder)[1]
    raw.write_bytes(raw.read_bytes()[:5000])
    sentence = _unreadable_step_one(baseline, tmp_path)
    assert f"{raw} does not match its record's raw_sha256" in sentence
    # The record agreeing with the damaged file does not make it readable.
    record_path = folder / f"{Path(record.image).stem}.json"
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()
    record_path.write_text(record.model_copy(update={"raw_sha256": digest}).model_dump_json())
    assert f"{raw} is not a readable PNG" in _unreadable_step_one(baseline, tmp_path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "is not a capture record"),
        (b'{"name": "someone else\'s file"}', "is not a capture record (flow: Field required)"),
        (b"", "is not a capture record"),
    ],
)
def test_an_invalid_or_foreign_record_is_unreadable(
    baseline: Path, tmp_path: Path, content: bytes, reason: str
) -> None:
    folder = baseline / "android" / "register-userid"
    record_path = next(folder.glob("01-*.json"))
    record_path.write_bytes(content)
    assert f"{record_path} {reason}" in _unreadable_step_one(baseline, tmp_path)


@pytest.mark.parametrize("missing", ["*.raw.png", "*[!w].png", "*.json"])
def test_a_missing_file_of_the_set_is_unreadable(
    baseline: Path, tmp_path: Path, missing: str
) -> None:
    folder = baseline / "android" / "register-userid"
    (gone,) = folder.glob(f"01-{missing}")
    gone.unlink()
    assert f"{gone} is missing" in _unreadable_step_one(baseline, tmp_path)


def test_a_step_without_a_baseline_is_new_never_passing(baseline: Path, tmp_path: Path) -> None:
    folder = baseline / "android" / "register-userid"
    for path in folder.glob("04-*"):
        path.unlink()
    verdict = judge_flow(
        FLOW, current_result((1, 2, 3, 4)), baseline, ReportImages(tmp_path / "report")
    )
    assert verdict.steps[3].status is StepStatus.NEW
    assert verdict.status is StepStatus.NEW  # never reported as passing
