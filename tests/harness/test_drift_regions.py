"""What the scenario leaves out of a step's comparison: masks, ignored regions, ignore_text."""

from __future__ import annotations

from PIL import Image, ImageDraw

from harness.capture import Box, CaptureRecord, Environment
from harness.drift import Thresholds, comparable_text, judge_step, text_regions
from harness.drift.textdiff import scrub
from harness.drift.verdict import DifferenceKind, StepStatus

FOOTER = Box(x=0, y=600, width=400, height=60)
LINES = ("Datasette: fixtures", "select * from trees", "Powered by Datasette · Queries took 4.2ms")
BOXES = (Box(x=8, y=8, width=200, height=30), Box(x=8, y=60, width=300, height=20))


def record(text: tuple[str, ...], footer_line: str, **fields: object) -> CaptureRecord:
    """A capture whose last line sits in the footer, with a raw image of its own hash."""
    values: dict[str, object] = {
        "flow": "sql",
        "device": "android",
        "number": 1,
        "caption": "「Run SQL」を押す",
        "action": "tap",
        "locator": None,
        "target_name": None,
        "target_box": None,
        "url": "/fixtures",
        "title": "fixtures",
        "visible_text": "\n".join((*text[:2], footer_line)),
        "line_boxes": (*BOXES, Box(x=10, y=620, width=380, height=20)),
        "scroll": (0.0, 0.0),
        "raw_sha256": footer_line,  # differs whenever the footer does
        "environment": Environment(
            browser="chromium",
            browser_version="1",
            engine="chromium",
            font="f",
            scale=1.0,
            viewport=(400, 664),
            harness_version="0",
        ),
        "scenario_file": "sql.yaml",
        "scenario_line": 1,
        "image": "01.png",
        "raw_image": "01.raw.png",
    }
    values.update(fields)
    return CaptureRecord.model_validate(values)


def picture(footer_shade: int) -> Image.Image:
    image = Image.new("RGB", (400, 664), "white")
    ImageDraw.Draw(image).rectangle((20, 625, 120, 635), fill=(footer_shade,) * 3)
    return image


def judge(approved: CaptureRecord, current: CaptureRecord) -> set[DifferenceKind]:
    verdict, _ = judge_step(approved, current, picture(0), picture(200), Thresholds())
    return {d.kind for d in verdict.differences}


def test_without_regions_the_changing_footer_is_drift_in_pixels_and_text() -> None:
    old = record(LINES, "Queries took 4.2ms")
    new = record(LINES, "Queries took 13.7ms")
    assert judge(old, new) == {DifferenceKind.TEXT_CHANGED, DifferenceKind.PIXELS_CHANGED}


def test_a_mask_leaves_its_lines_out_of_the_text_as_well_as_the_pixels() -> None:
    old = record(LINES, "Queries took 4.2ms")  # approved before the mask was written
    new = record(LINES, "Queries took 13.7ms", masks=(FOOTER,))
    assert judge(old, new) == set()


def test_the_other_captures_regions_are_placed_by_the_page_not_the_viewport() -> None:
    # The current capture is scrolled 80 px further: its footer mask, 80 px higher in the
    # viewport, stands where the approved capture shows a line above the footer.
    scrolled = Box(x=0, y=520, width=400, height=60)
    old = record(
        LINES, "Queries took 4.2ms", line_boxes=(*BOXES, Box(x=10, y=540, width=380, height=20))
    )
    new = record(LINES, "Queries took 13.7ms", masks=(scrolled,), scroll=(0.0, 80.0))
    assert text_regions(old, new) == (FOOTER,)  # the mask where it stands on old's screen
    assert comparable_text(old, text_regions(old, new), ()).splitlines()[-1] == "Queries took 4.2ms"
    unscrolled = new.model_copy(update={"scroll": (0.0, 0.0)})
    assert len(comparable_text(old, text_regions(old, unscrolled), ()).splitlines()) == 2


def test_without_scroll_offsets_only_a_captures_own_regions_apply() -> None:
    old = record(LINES, "Queries took 4.2ms", scroll=None)
    new = record(LINES, "Queries took 13.7ms", masks=(FOOTER,))
    assert text_regions(old, new) == ()
    assert text_regions(new, old) == (FOOTER,)


def test_an_ignored_region_is_left_out_of_both_comparisons() -> None:
    old = record(LINES, "Queries took 4.2ms", ignores=(FOOTER,))
    new = record(LINES, "Queries took 13.7ms", ignores=(FOOTER,))
    verdict, _ = judge_step(old, new, picture(0), picture(200), Thresholds())
    assert verdict.status is StepStatus.MATCH


def test_ignore_text_leaves_out_only_the_matched_part_of_a_line() -> None:
    patterns = ("Queries took [0-9.]+ ?ms",)
    old = record(LINES, "Powered by Datasette · Queries took 4.2ms")
    new = record(LINES, "Powered by Datasette · Queries took 13.7ms", ignore_text=patterns)
    assert comparable_text(new, (), patterns).splitlines()[-1] == "Powered by Datasette · …"
    assert DifferenceKind.TEXT_CHANGED not in judge(old, new)
    renamed = record(LINES, "Powered by Dataset · Queries took 13.7ms", ignore_text=patterns)
    assert DifferenceKind.TEXT_CHANGED in judge(old, renamed)  # the rest is still compared


def test_a_line_half_outside_a_region_is_still_compared() -> None:
    half = Box(x=0, y=630, width=400, height=60)  # covers the footer line's lower half only
    straddling = Box(x=0, y=632, width=400, height=60)  # less than half
    new = record(LINES, "Queries took 13.7ms")
    assert comparable_text(new, (half,), ()).splitlines() == list(LINES[:2])
    assert len(comparable_text(new, (straddling,), ()).splitlines()) == 3


def test_records_without_line_boxes_keep_every_line() -> None:
    old = record(LINES, "Queries took 4.2ms", line_boxes=())
    assert comparable_text(old, (FOOTER,), ()) == old.visible_text


def test_against_a_record_without_line_boxes_both_texts_are_compared_whole() -> None:
    old = record(LINES, "Queries took 4.2ms", line_boxes=(), masks=(FOOTER,))
    same = record(LINES, "Queries took 4.2ms", masks=(FOOTER,))
    verdict, _ = judge_step(old, same, picture(0), picture(0), Thresholds())
    assert verdict.status is StepStatus.MATCH  # not "the footer's line was removed"


def test_scrub_applies_every_pattern_to_every_line() -> None:
    text = "最新のログイン日時 2026年11月24日 10:31\n残り 3 件"
    assert scrub(text, ["最新のログイン日時.*", r"\d+ 件"]) == "…\n残り …"
    assert scrub(text, []) == text


def test_a_target_that_only_grew_is_said_to_have_grown() -> None:
    from harness.drift import geometry_problem

    run_sql = Box(x=124, y=298, width=84, height=31)
    old = record(LINES, "x", target_box=run_sql, target_name="Run SQL")
    named = {"target_name": "Run SQL"}
    grown = record(LINES, "x", target_box=run_sql.model_copy(update={"width": 124}), **named)
    moved = record(LINES, "x", target_box=run_sql.model_copy(update={"y": 340}), **named)
    squeezed = record(
        LINES, "x", target_box=run_sql.model_copy(update={"width": 124, "height": 20}), **named
    )
    limit = Thresholds().geometry_px
    assert (
        geometry_problem(old, grown, limit)
        == "step ①: 「Run SQL」 grew from 84×31 to 124×31 CSS px"
    )
    assert (
        geometry_problem(grown, old, limit)
        == "step ①: 「Run SQL」 shrank from 124×31 to 84×31 CSS px"
    )
    assert geometry_problem(old, squeezed, limit) == (
        "step ①: 「Run SQL」 changed shape from 84×31 to 124×20 CSS px"
    )
    assert geometry_problem(old, moved, limit) == (
        "step ①: 「Run SQL」 moved from (124, 298) 84×31 to (124, 340) 84×31 CSS px"
    )
