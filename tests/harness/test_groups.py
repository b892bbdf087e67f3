"""One line per change: grouping a check's differences and saying where they are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.drift.groups import (
    GroupProblem,
    find_group,
    group_changes,
    group_id,
    steps_by_flow,
    unshared_sentences,
    where,
    without_step,
)
from harness.drift.verdict import (
    CheckReport,
    Difference,
    DifferenceKind,
    FlowVerdict,
    StepStatus,
    StepVerdict,
    TextChange,
)
from harness.report.editions import edition_label

RENAME = TextChange(kind="changed", old="ねんきんネット", new="ねんきんネット（新）")


def _step(
    flow: str,
    device: str,
    number: int,
    *,
    status: StepStatus = StepStatus.DRIFT,
    texts: tuple[TextChange, ...] = (),
    differences: tuple[tuple[DifferenceKind, str], ...] = (),
    page: int | None = None,
) -> StepVerdict:
    said = [Difference(kind=kind, sentence=sentence) for kind, sentence in differences]
    if texts:
        said.insert(
            0,
            Difference(
                kind=DifferenceKind.TEXT_CHANGED,
                sentence=f"step {number}: the screen's text changed",
            ),
        )
    return StepVerdict(
        flow=flow,
        device=device,
        number=number,
        caption=f"caption {number}",
        scenario_file=f"scenarios/{flow}.yaml",
        scenario_line=number * 4,
        status=status,
        differences=said,
        text_changes=list(texts),
        guide_page={device: page} if page is not None else {},
    )


def _report(*steps: StepVerdict) -> CheckReport:
    flows: dict[tuple[str, str], FlowVerdict] = {}
    for step in steps:
        key = (step.flow, step.device)
        flows.setdefault(
            key,
            FlowVerdict(flow=step.flow, device=step.device, title=step.flow, scenario_file="s"),
        ).steps.append(step)
    return CheckReport(base_url="http://127.0.0.1:9/", flows=list(flows.values()))


def test_the_same_rename_on_every_step_is_one_group_with_pages_as_ranges() -> None:
    pages = {1: 3, 2: 3, 3: 4, 4: 5}
    steps = [
        _step("login", device, n, texts=(RENAME,), page=pages[n])
        for device in ("android", "iphone")
        for n in (1, 2, 3, 4)
    ]
    (group,) = group_changes(_report(*steps))
    assert group.kind == "text changed"
    assert group.members() == [(d, "login", n) for d in ("android", "iphone") for n in (1, 2, 3, 4)]
    assert group.sentence(edition_label) == (
        "「ねんきんネット」 is now 「ねんきんネット（新）」 on 8 steps: "
        "Android p.3 ①–p.5 ④, iPhone p.3 ①–p.5 ④"
    )
    # The id is the change's, not the steps': the same change in another run, the same id.
    again = group_changes(_report(steps[0]))
    assert again[0].id == group.id == group_id(("text changed", "changed", *RENAME_PAIR))


RENAME_PAIR = ("ねんきんネット", "ねんきんネット（新）")


def test_a_step_with_two_changes_joins_the_shared_group_and_keeps_its_own_line() -> None:
    other = TextChange(kind="added", new="お知らせ")
    moved = (
        DifferenceKind.ELEMENT_MOVED,
        "step ②: 「次へ」 moved from (1, 2) 3×4 to (1, 9) 3×4 CSS px",
    )
    pixels = (DifferenceKind.PIXELS_CHANGED, "step ②: 1,200 pixels (0.30%) changed in 2 areas")
    report = _report(
        _step("a", "android", 1, texts=(RENAME,)),
        _step("a", "android", 2, texts=(RENAME, other), differences=(moved, pixels)),
    )
    groups = group_changes(report)
    assert [(g.what, len(g.steps)) for g in groups] == [
        ("「ねんきんネット」 is now 「ねんきんネット（新）」", 2),
        ("new line 「お知らせ」", 1),
        ("「次へ」 moved from (1, 2) 3×4 to (1, 9) 3×4 CSS px", 1),
    ]  # the pixels are what the other changes drew: no line of their own
    assert groups[1].sentence(edition_label) == "new line 「お知らせ」 on 1 step: Android a ②"


def test_a_screen_rewritten_throughout_is_one_line_not_one_per_line() -> None:
    lines = tuple(TextChange(kind="changed", old=f"old {n}", new=f"new {n}") for n in range(9))
    (group,) = group_changes(_report(_step("a", "iphone", 5, texts=lines)))
    assert group.what == "「old 0」 is now 「new 0」; 「old 1」 is now 「new 1」 and 7 more lines"


def test_the_same_move_groups_and_a_different_box_does_not() -> None:
    def moved(number: int, y: int) -> StepVerdict:
        sentence = f"step {number}: 「次へ」 moved from (10, 20) 80×40 to (10, {y}) 80×40 CSS px"
        return _step(
            "a", "android", number, differences=((DifferenceKind.ELEMENT_MOVED, sentence),)
        )

    groups = group_changes(_report(moved(1, 60), moved(2, 60), moved(3, 99)))
    assert [[s.number for s in g.steps] for g in groups] == [[1, 2], [3]]
    assert groups[0].kind == "element moved"


def test_pixels_alone_group_by_their_areas_and_new_steps_by_status() -> None:
    def pixels(number: int, count: str) -> StepVerdict:
        sentence = f"step {number}: {count} pixels (0.10%) changed in 1 area"
        return _step(
            "a", "android", number, differences=((DifferenceKind.PIXELS_CHANGED, sentence),)
        )

    new = [_step("b", "iphone", n, status=StepStatus.NEW) for n in (1, 2, 3)]
    matching = _step("c", "iphone", 1, status=StepStatus.MATCH)
    groups = group_changes(
        _report(pixels(1, "900"), pixels(2, "900"), pixels(3, "12"), *new, matching)
    )
    assert [(g.kind, [s.number for s in g.steps]) for g in groups] == [
        ("pixels changed", [1, 2]),
        ("pixels changed", [3]),
        ("new", [1, 2, 3]),
    ]
    assert (
        groups[2].sentence(edition_label) == "no approved screenshot yet on 3 steps: iPhone b ①–③"
    )


def test_ranges_break_at_a_gap_a_new_flow_and_a_new_edition() -> None:
    steps = [
        _step("a", "android", 1, page=3),
        _step("a", "android", 2, page=3),
        _step("a", "android", 4, page=4),
        _step("b", "android", 1, page=4),
        _step("b", "android", 2, page=4),
        _step("c", "android", 7),
        _step("a", "Pixel 5", 1),
        _step("a", "Pixel 5", 2),
    ]
    assert where(steps, edition_label) == ("Android p.3 ①–②, p.4 ④, p.4 ①–②, c ⑦, Pixel 5 a ①–②")


def test_the_step_is_taken_out_of_each_kind_of_sentence() -> None:
    assert without_step("step ④: 「A」 is now labelled 「B」") == "「A」 is now labelled 「B」"
    assert without_step("step ⑫ was not reached: an earlier step failed") == (
        "was not reached: an earlier step failed"
    )
    assert without_step("step (51): 12 pixels") == "12 pixels"
    assert without_step("the flow's start can no longer be performed") == (
        "the flow's start can no longer be performed"
    )


def test_a_group_is_found_by_id_and_an_unknown_id_lists_the_known_ones() -> None:
    report = _report(
        _step("a", "android", 1, texts=(RENAME,)), _step("a", "iphone", 1, texts=(RENAME,))
    )
    (group,) = group_changes(report)
    assert find_group([group], group.id) is group
    with pytest.raises(GroupProblem) as problem:
        find_group([group], "../../etc")
    assert str(problem.value) == (
        f"no change has the group id '../../etc'; its changes: {group.id} (text changed, 2 steps)"
    )
    assert steps_by_flow(group) == {("android", "a"): [1], ("iphone", "a"): [1]}


@pytest.mark.parametrize(
    ("device", "flow"),
    [("android", "../escape"), ("../..", "a"), ("android", ".hidden"), ("a/b", "a")],
)
def test_a_report_naming_a_path_as_a_step_cannot_be_approved(device: str, flow: str) -> None:
    (group,) = group_changes(_report(_step(flow, device, 1, texts=(RENAME,))))
    with pytest.raises(GroupProblem, match="which is no device and flow guideshot writes"):
        steps_by_flow(group)


def test_approve_group_needs_from_and_no_other_selection(tmp_path: Path) -> None:
    for args, said in (
        (["--group", "abc"], "error: --group needs --from REPORT"),
        (["--group", "abc", "--from", "r", "--flow", "x"], "error: --group names its own steps"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "harness", "approve", *args, "--baseline", str(tmp_path / "s")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2
        assert result.stderr.strip().startswith(said) and len(result.stderr.splitlines()) == 1


def test_a_step_says_alone_only_what_no_shared_change_says() -> None:
    moved = (
        DifferenceKind.ELEMENT_MOVED,
        "step ②: 「次へ」 moved from (1, 2) 3×4 to (1, 9) 3×4 CSS px",
    )
    pixels = (DifferenceKind.PIXELS_CHANGED, "step ②: 1,200 pixels (0.30%) changed in 2 areas")
    environment = (DifferenceKind.ENVIRONMENT_CHANGED, "step ③: captured in another environment")
    first = _step("a", "android", 1, texts=(RENAME,), differences=(pixels,))
    second = _step("a", "android", 2, texts=(RENAME,), differences=(moved, pixels))
    matching = _step("a", "android", 3, status=StepStatus.MATCH, differences=(environment,))
    groups = group_changes(_report(first, second, matching))
    assert unshared_sentences(first, groups) == []  # the rename is said, and drew the pixels
    assert unshared_sentences(second, groups) == [moved[1], pixels[1]]
    assert unshared_sentences(matching, groups) == []
