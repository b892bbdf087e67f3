"""The sentence for a step that can no longer be performed: what now stands in its place."""

from __future__ import annotations

from harness.capture import Box
from harness.capture.results import FlowFailure, ScreenElement
from harness.drift.flow import broken_difference
from harness.drift.verdict import DifferenceKind
from tests.harness.test_drift_regions import LINES, record

RUN_SQL = Box(x=124, y=298, width=84, height=31)
FORMAT_SQL = ScreenElement("button", "Format SQL", Box(x=16, y=298, width=100, height=31))


def failure(*on_screen: ScreenElement, caption: str = "「Run SQL」を押す") -> FlowFailure:
    return FlowFailure(
        number=3,
        caption=caption,
        scenario_file="sql.yaml",
        scenario_line=12,
        message="role=button name=「Run SQL」 is not on the screen",
        looked_for="role=button name=「Run SQL」",
        wanted="Run SQL",
        candidates=("button 「Format SQL」",),
        screenshot=None,
        on_screen=on_screen,
        role="button",
    )


APPROVED = record(LINES, "footer", target_box=RUN_SQL, target_name="Run SQL")


def test_what_stands_where_the_target_stood_is_the_target_relabelled() -> None:
    execute = ScreenElement("button", "Execute query", RUN_SQL.model_copy(update={"width": 124}))
    difference = broken_difference(failure(FORMAT_SQL, execute), APPROVED)
    assert difference.kind is DifferenceKind.LABEL_CHANGED
    assert difference.sentence == (
        "step ③: 「Run SQL」 is now labelled 「Execute query」; the caption quotes the old label"
    )


def test_a_caption_without_the_label_is_not_said_to_quote_it() -> None:
    execute = ScreenElement("button", "Execute query", RUN_SQL)
    sentence = broken_difference(failure(execute, caption="実行する"), APPROVED).sentence
    assert sentence.endswith("is now labelled 「Execute query」; the scenario names the old one")


def test_another_role_in_the_same_place_is_not_the_target() -> None:
    link = ScreenElement("link", "Execute query", RUN_SQL)
    difference = broken_difference(failure(FORMAT_SQL, link), APPROVED)
    assert difference.kind is DifferenceKind.STEP_BROKEN
    assert difference.sentence == (
        "step ③ can no longer be performed: role=button name=「Run SQL」 is not on the screen;"
        " closest on the screen: button 「Format SQL」"
    )


def test_a_neighbour_the_approved_screen_already_showed_is_not_a_relabel() -> None:
    neighbour = ScreenElement("button", "select * from trees", RUN_SQL)  # a line of LINES
    difference = broken_difference(failure(neighbour), APPROVED)
    assert difference.kind is DifferenceKind.STEP_BROKEN


def test_without_an_approved_box_nothing_is_guessed_from_place() -> None:
    execute = ScreenElement("button", "Execute query", RUN_SQL)
    assert broken_difference(failure(execute), None).kind is DifferenceKind.STEP_BROKEN
