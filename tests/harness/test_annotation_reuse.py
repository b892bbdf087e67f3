"""A run or check of an unchanged screen reuses the approved annotated picture rather than
drawing and encoding it again, and only when that picture is exactly what drawing would give."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import pytest

import harness.store.captures
from harness.annotate.png import annotation_inputs, draw_png
from harness.capture import Box, CaptureRecord
from harness.capture.results import FlowResult, StepCapture
from harness.drift.flow import approved_captures
from harness.store import annotate_captures, read_record, record_json

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "screenshots" / "iphone" / "login-userid"


def fresh_captures() -> list[StepCapture]:
    """What a run of login-userid on the iPhone captures: records not yet drawn."""
    found = sorted(approved_captures(COMMITTED).items())
    return [
        StepCapture(record=record.model_copy(update={"annotation": None}), raw_png=raw.read_bytes())
        for _number, value in found
        if isinstance(value, tuple)
        for record, raw in [value]
    ]


def approve(folder: Path, result: FlowResult, pictures: list[bytes]) -> None:
    folder.mkdir(parents=True)
    for capture, png in zip(result.captures, pictures, strict=True):
        record = capture.record
        (folder / record.image).write_bytes(png)
        (folder / record.raw_image).write_bytes(capture.raw_png)
        (folder / f"{Path(record.image).stem}.json").write_text(record_json(record), "utf-8")


def count_drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []

    def counted(raw_png: bytes, record: CaptureRecord) -> bytes:
        drawn.append(record.image)
        return draw_png(raw_png, record)

    monkeypatch.setattr(harness.store.captures, "draw_png", counted)
    return drawn


def test_a_drawn_picture_is_stamped_with_its_inputs_and_digest(tmp_path: Path) -> None:
    result = FlowResult(flow="login-userid", device="iphone", captures=fresh_captures())
    pictures = annotate_captures(result, tmp_path / "nothing-approved")
    for capture, png in zip(result.captures, pictures, strict=True):
        stamp = capture.record.annotation
        assert stamp is not None
        assert stamp.image_sha256 == sha256(png).hexdigest()
        assert capture.annotated_png == png
        unstamped = capture.record.model_copy(update={"annotation": None})
        assert png == draw_png(capture.raw_png, unstamped)


def test_an_unchanged_capture_reuses_the_approved_picture_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = tmp_path / "approved"
    first = FlowResult(flow="login-userid", device="iphone", captures=fresh_captures())
    pictures = annotate_captures(first, approved)
    approve(approved, first, pictures)
    drawn = count_drawings(monkeypatch)

    again = FlowResult(flow="login-userid", device="iphone", captures=fresh_captures())
    assert annotate_captures(again, approved) == pictures
    assert drawn == []
    assert [c.record for c in again.captures] == [c.record for c in first.captures]


def test_a_changed_record_or_a_damaged_picture_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = tmp_path / "approved"
    first = FlowResult(flow="login-userid", device="iphone", captures=fresh_captures())
    approve(approved, first, annotate_captures(first, approved))
    damaged, moved = first.captures[0].record, first.captures[1].record
    (approved / damaged.image).write_bytes(b"\x89PNG not the picture its record names")
    drawn = count_drawings(monkeypatch)

    captures = fresh_captures()
    box = Box(x=10, y=20, width=100, height=40)
    captures[1] = StepCapture(
        record=captures[1].record.model_copy(update={"highlights": (box,)}),
        raw_png=captures[1].raw_png,
    )
    again = FlowResult(flow="login-userid", device="iphone", captures=captures)
    pictures = annotate_captures(again, approved)
    assert drawn == [damaged.image, moved.image]
    second = again.captures[1]
    unstamped = second.record.model_copy(update={"annotation": None})
    assert pictures[1] == draw_png(second.raw_png, unstamped)
    assert second.record.annotation != moved.annotation


def test_every_committed_record_is_stamped_for_the_current_drawing_code() -> None:
    """Otherwise `make demo` redraws every picture and rewrites every record: an edit to the
    drawing code must come with `guideshot run` re-stamping screenshots/."""
    stale = []
    for path in sorted((ROOT / "screenshots").glob("*/*/*.json")):
        record = read_record(path)
        assert record is not None, path
        unstamped = record.model_copy(update={"annotation": None})
        if record.annotation is None or record.annotation.inputs != annotation_inputs(unstamped):
            stale.append(str(path.relative_to(ROOT)))
    assert not stale, f"{len(stale)} records drawn by other code; run `guideshot run`: {stale[:3]}"
