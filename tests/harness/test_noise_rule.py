"""The noise rule on the committed screenshots (harness/drift/noise.py), without a browser:
a pixel change both current captures show is drift, one the second capture does not repeat
is noise, and nothing is captured again unless a step differs in pixels alone."""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from harness.capture.results import FlowResult, StepCapture
from harness.drift.flow import ReportImages, approved_captures, judge_flow
from harness.drift.verdict import DifferenceKind, StepStatus, StepVerdict
from harness.scenario.load import load_all

ROOT = Path(__file__).resolve().parents[2]
FLOW = next(f for f in load_all(ROOT / "scenarios") if f.id == "register-userid")
APPROVED = ROOT / "screenshots" / "android" / "register-userid"
Paint = Callable[[ImageDraw.ImageDraw], None]


def block(color: str, x: int = 40) -> Paint:
    """A small square near the top-left corner, where it overlaps no boxed target."""
    return lambda draw: draw.rectangle((x, 300, x + 5, 305), fill=color)


def captures(paint: Paint | None) -> FlowResult:
    """The approved captures as a run would bring them back, step ① painted on."""
    found = approved_captures(APPROVED)
    result = FlowResult(flow=FLOW.id, device="android")
    for number, value in sorted(found.items()):
        assert isinstance(value, tuple)
        record, raw_path = value
        raw = raw_path.read_bytes()
        if number == 1 and paint is not None:
            image = Image.open(io.BytesIO(raw)).convert("RGB")
            paint(ImageDraw.Draw(image))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            raw = buffer.getvalue()
            record = record.model_copy(update={"raw_sha256": hashlib.sha256(raw).hexdigest()})
        result.captures.append(StepCapture(record=record, raw_png=raw))
    return result


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    root = tmp_path / "shots"
    shutil.copytree(APPROVED, root / "android" / "register-userid")
    return root


def judged(
    baseline: Path, tmp_path: Path, first: Paint | None, second: Paint | None
) -> tuple[StepVerdict, int]:
    """Step ①'s verdict, and how many second captures were asked for."""
    asked: list[int] = []

    def again() -> FlowResult:
        asked.append(1)
        return captures(second)

    verdict = judge_flow(
        FLOW, captures(first), baseline, ReportImages(tmp_path / "report"), again=again
    )
    assert all(s.status is StepStatus.MATCH for s in verdict.steps if s.number != 1)
    return verdict.steps[0], len(asked)


def test_an_unchanged_flow_is_never_captured_again(baseline: Path, tmp_path: Path) -> None:
    step, asked = judged(baseline, tmp_path, None, None)
    assert step.status is StepStatus.MATCH
    assert asked == 0


def test_a_change_both_captures_show_is_drift_however_small(baseline: Path, tmp_path: Path) -> None:
    step, asked = judged(baseline, tmp_path, block("#ff0000"), block("#ff0000"))
    assert asked == 1
    assert step.status is StepStatus.DRIFT
    (difference,) = step.differences
    assert difference.kind is DifferenceKind.PIXELS_CHANGED
    assert difference.sentence.endswith(
        "a second capture in a fresh browser repeated it (1 of 1 area)"
    )


def test_a_change_the_second_capture_does_not_show_is_noise(baseline: Path, tmp_path: Path) -> None:
    step, asked = judged(baseline, tmp_path, block("#ff0000"), None)
    assert asked == 1
    assert step.status is StepStatus.NOISE
    (difference,) = step.differences
    assert difference.kind is DifferenceKind.RENDERING_NOISE
    assert step.diff_image is not None
    picture = Image.open(tmp_path / "report" / step.diff_image).convert("RGB")
    assert picture.getpixel((42, 302)) == (255, 170, 0)  # the noisy pixels, in amber


def test_a_change_the_second_capture_shows_otherwise_is_noise(
    baseline: Path, tmp_path: Path
) -> None:
    step, _ = judged(baseline, tmp_path, block("#ff0000"), block("#0000ff"))
    assert step.status is StepStatus.NOISE


def test_a_repeated_area_beside_a_noisy_one_is_drift(baseline: Path, tmp_path: Path) -> None:
    def both(draw: ImageDraw.ImageDraw) -> None:
        block("#ff0000")(draw)
        block("#00aa00", x=900)(draw)

    step, _ = judged(baseline, tmp_path, both, block("#00aa00", x=900))
    assert step.status is StepStatus.DRIFT
    assert step.differences[0].sentence.endswith("repeated it (1 of 2 areas)")


def test_without_a_second_capture_a_pixel_change_stays_drift(
    baseline: Path, tmp_path: Path
) -> None:
    verdict = judge_flow(FLOW, captures(block("#ff0000")), baseline, ReportImages(tmp_path))
    assert verdict.steps[0].status is StepStatus.DRIFT
