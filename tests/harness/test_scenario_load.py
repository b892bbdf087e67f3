"""Valid scenario files load into numbered flows with fragments, sources and defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scenario import (
    ExpectAction,
    FillAction,
    HookAction,
    PressAction,
    ScrollAction,
    Source,
    TapAction,
    Target,
    Tolerance,
)
from harness.scenario.load import load_all, load_flow

VALID = Path(__file__).parent / "scenario_cases" / "valid"
FRAGMENTS = VALID / "fragments"


def test_load_all_reads_every_flow_sorted_by_file_name() -> None:
    assert [flow.id for flow in load_all(VALID)] == ["login-mynaportal", "login-userid"]


def test_flow_fields_and_numbers() -> None:
    flow = load_flow(VALID / "login-userid.yaml")
    assert flow.section == "2-B 「ねんきんネット」のログイン方法"
    assert flow.devices == ("android", "iphone")
    assert flow.persona == "kazuko"
    assert flow.start == "/nenkin/"
    assert flow.outcome is None
    assert [s.number for s in flow.steps] == [1, 2, 3, 4, None, 5]
    assert [s.number for s in flow.numbered] == [1, 2, 3, 4, 5]
    assert flow.source == Source(file=str(VALID / "login-userid.yaml"), line=2)


def test_steps_keep_their_lines() -> None:
    flow = load_flow(VALID / "login-userid.yaml")
    assert [s.source.line for s in flow.steps] == [10, 14, 18, 21, 30, 32]


def test_actions_are_plain_actions_and_before_is_kept() -> None:
    step = load_flow(VALID / "login-userid.yaml").steps[3]
    assert step.action == TapAction(action="tap", target=Target(role="button", name="ログイン"))
    assert [type(a) for a in step.before] == [FillAction, FillAction]
    assert step.before[1] == FillAction(
        action="fill", target=Target(label="パスワード"), value="Renshu2026pw"
    )
    assert [m.describe() for m in step.mask] == ["label=「ユーザID」", "label=「パスワード」"]
    assert step.expect is not None and step.expect.url == "/nenkin/home*"


@pytest.mark.parametrize(
    ("index", "capture", "highlight"),
    [
        (0, "before", ["role=link name=「ログイン」"]),  # tap: the target, before the tap
        (1, "before", ["role=banner"]),  # an explicit highlight replaces the target
        (2, "after", []),  # scroll: nothing touched, captured after
        (3, "before", ["role=button name=「ログイン」"]),
        (4, "none", []),  # silent
        (5, "after", []),  # expect: a screen, nothing boxed
    ],
)
def test_capture_and_highlight_defaults(index: int, capture: str, highlight: list[str]) -> None:
    step = load_flow(VALID / "login-userid.yaml").steps[index]
    assert step.capture == capture
    assert [t.describe() for t in step.highlight] == highlight


def test_caption_ending_in_hyouji_is_not_boxed_and_explicit_capture_wins() -> None:
    last = load_flow(VALID / "login-mynaportal.yaml").steps[-1]
    assert last.caption == "「ねんきんネット」を表示"
    assert last.highlight == ()
    assert last.capture == "after"


def test_fragments_are_spliced_with_their_own_lines_and_include_sites() -> None:
    flow = load_flow(VALID / "login-mynaportal.yaml")
    flow_file, card, pin = (
        str(VALID / "login-mynaportal.yaml"),
        str(FRAGMENTS / "mynaportal-card-login.yaml"),
        str(FRAGMENTS / "pin-entry.yaml"),
    )
    assert [(s.number, str(s.source)) for s in flow.steps] == [
        (1, f"{flow_file}:8"),
        (2, f"{card}:4"),
        (3, f"{pin}:4"),
        (None, f"{pin}:8"),
        (4, f"{card}:8"),
        (5, f"{flow_file}:12"),
    ]
    assert flow.steps[2].included_from == (
        Source(file=flow_file, line=11),
        Source(file=card, line=7),
    )
    assert flow.steps[1].included_from == (Source(file=flow_file, line=11),)
    assert flow.steps[0].included_from == ()
    assert flow.steps[2].action == FillAction(
        action="fill", target=Target(placeholder="数字4桁"), value="1234"
    )
    assert flow.steps[3].action == PressAction(action="press", key="Enter")
    assert flow.steps[4].action == HookAction(
        action="hook", name="card_tap", params={"persona": "kazuko"}
    )
    assert flow.outcome == "これでログインできました"


def test_fragments_dir_can_be_given(tmp_path: Path) -> None:
    flow_path = tmp_path / "login-mynaportal.yaml"
    flow_path.write_text((VALID / "login-mynaportal.yaml").read_text("utf-8"), "utf-8")
    flow = load_flow(flow_path, fragments_dir=FRAGMENTS)
    assert len(flow.numbered) == 5


def test_scroll_defaults_and_expect_action() -> None:
    steps = load_flow(VALID / "login-userid.yaml").steps
    scroll = steps[2].action
    assert isinstance(scroll, ScrollAction)
    assert (scroll.direction, scroll.by, scroll.to) == (
        "up",
        None,
        Target(role="button", name="ログイン"),
    )
    assert steps[5].action == ExpectAction(action="expect")


def test_tolerance_for_merges_step_over_flow() -> None:
    flow = load_flow(VALID / "login-userid.yaml")
    assert flow.tolerance_for(flow.steps[3]) == Tolerance(pixel_threshold=0.1, max_diff_pixels=50)
    assert flow.tolerance_for(flow.steps[0]) == Tolerance(pixel_threshold=0.1, max_diff_pixels=20)


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (Target(role="button", name="ログイン"), "role=button name=「ログイン」"),
        (Target(role="banner"), "role=banner"),
        (Target(label="ユーザID", exact=True), "label=「ユーザID」 exact"),
        (Target(css="#menu > a", nth=2), "css=#menu > a nth=2"),
        (
            Target(text="つながる", within=Target(role="listitem", name="ねんきんネット")),
            "text=「つながる」 within(role=listitem name=「ねんきんネット」)",
        ),
    ],
)
def test_target_describe(target: Target, text: str) -> None:
    assert target.describe() == text


def test_yaml_1_1_surprises_stay_strings(tmp_path: Path) -> None:
    (tmp_path / "dates.yaml").write_text(
        "id: dates\nsection: s\ntitle: t\ndevices: [android]\nstart: /\nsteps:\n"
        "  - caption: 生年月日を入力する\n    action: fill\n    target: {label: 生年月日}\n"
        "    value: 1960-04-01\n"
        "  - caption: 「いいえ」を選ぶ\n    action: select\n    target: {label: 配信}\n"
        "    value: no\n",
        "utf-8",
    )
    steps = load_flow(tmp_path / "dates.yaml").steps
    assert [getattr(s.action, "value", None) for s in steps] == ["1960-04-01", "no"]


FLOW_LEVEL = """\
id: dynamic
section: S
title: T
devices: [android]
start: /
mask: [{role: contentinfo}]
ignore: [{css: .clock}]
ignore_text: ['Queries took [0-9.]+ ?ms']
steps:
  - caption: 「Run SQL」を押す
    action: tap
    target: {role: button, name: Run SQL}
    mask: [{label: 氏名}]
    ignore_text: ['最新のログイン日時.*']
  - action: fill
    target: {css: .CodeMirror-code}
    value: select 1
  - include: editor
"""

EDITOR_FRAGMENT = """\
id: editor
description: d
steps:
  - caption: 文を書く
    action: type
    target: {css: .CodeMirror-code}
    value: " limit 3"
    ignore: [{role: status}]
"""


def test_flow_mask_ignore_and_ignore_text_apply_to_every_pictured_step(tmp_path: Path) -> None:
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "editor.yaml").write_text(EDITOR_FRAGMENT, "utf-8")
    (tmp_path / "dynamic.yaml").write_text(FLOW_LEVEL, "utf-8")
    flow = load_flow(tmp_path / "dynamic.yaml")
    first, silent, spliced = flow.steps
    assert [t.describe() for t in flow.mask] == ["role=contentinfo"]
    # the flow's entries first, then the step's own; fragments' steps get the flow's too
    assert [t.describe() for t in first.mask] == ["label=「氏名」"]
    assert [t.describe() for t in first.flow_mask] == ["role=contentinfo"]
    assert [t.describe() for t in first.ignore] == ["css=.clock"]
    assert first.ignore_text == ("Queries took [0-9.]+ ?ms", "最新のログイン日時.*")
    assert spliced.mask == () and [t.describe() for t in spliced.flow_mask] == ["role=contentinfo"]
    assert [t.describe() for t in spliced.ignore] == ["css=.clock", "role=status"]
    assert spliced.ignore_text == ("Queries took [0-9.]+ ?ms",)
    assert spliced.action.action == "type" and spliced.capture == "after"
    assert silent.flow_mask == silent.ignore == () and silent.ignore_text == ()
