"""Every committed annotated screenshot: its circled number is drawn where the placement says,
and that place covers none of the screen's text or controls (the record's `text_boxes`),
except where the placement says no free place existed; then it sits on its own red box.

No browser: the records and PNGs in screenshots/ are read as they are committed.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PIL import Image

from harness.annotate import BadgePlacement, badge_placement, highlight_outlines, intersects
from harness.capture import CaptureRecord
from harness.store import read_record
from harness.theme import DEFAULT_THEME

ROOT = Path(__file__).resolve().parents[2]
RECORDS = sorted((ROOT / "screenshots").glob("*/*/*.json"))
# Measured on the committed set: screens so full that no place within reach is free.
MAX_OVERLAPPING = 3


def load(path: Path) -> CaptureRecord:
    record = read_record(path)
    assert record is not None, f"{path}: not a capture record"
    return record


@functools.cache
def placed(path: Path) -> tuple[CaptureRecord, BadgePlacement]:
    record = load(path)
    with Image.open(path.parent / record.image) as annotated:  # the header only: its size
        size = annotated.size
    return record, badge_placement(record, size, DEFAULT_THEME)


def test_every_record_knows_the_text_on_its_screen() -> None:
    assert len(RECORDS) > 150
    empty = [path.name for path in RECORDS if not load(path).text_boxes]
    assert empty == [], "re-run `guideshot run` to record text boxes"


@pytest.mark.parametrize(
    "path", RECORDS, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}"
)
def test_badge_is_drawn_clear_of_text_unless_nowhere_was_free(path: Path) -> None:
    record, placement = placed(path)
    with Image.open(path.parent / record.image) as annotated:
        image = annotated.convert("RGB")
    x0, y0, x1, _ = placement.rect
    d = x1 - x0
    # The committed picture has the disc there: its red fill just inside the white ring.
    ring = round(DEFAULT_THEME.badge_ring_width * record.environment.scale)
    assert image.getpixel((x0 + ring + 3, y0 + d // 2)) == DEFAULT_THEME.badge_fill, (
        f"{path.name}: the annotated PNG is stale; run `guideshot run`"
    )
    scale = record.environment.scale
    covered = [box for box in record.text_boxes if intersects(placement.rect, box.scaled(scale))]
    if placement.free:
        assert covered == [], f"{path.name}: the badge covers {covered[0]}"
    else:
        outlines = highlight_outlines(record, image.size, DEFAULT_THEME)
        assert outlines and intersects(placement.rect, outlines[0]), (
            f"{path.name}: without a free place the badge sits on its own box"
        )


def test_few_screens_leave_no_free_place() -> None:
    overlapping = [path.name for path in RECORDS if not placed(path)[1].free]
    assert len(overlapping) <= MAX_OVERLAPPING, overlapping
