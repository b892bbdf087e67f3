"""Setup, cleanup and placeholders in scenario files: loaded as silent steps, each problem
one exact line, and `{device}`/`{run}` filled only where the runner fills them."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scenario import FillAction, Flow, TapAction, Target
from harness.scenario.load import ScenarioError, load_flow
from harness.scenario.placeholders import fill, fill_model

HEAD = "id: f\nsection: S\ntitle: T\ndevices: [android]\nstart: /\n"  # lines 1-5
STEPS = "steps:\n  - caption: Save\n    action: tap\n    target: {role: button, name: Save}\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # problems name the file as given: scenarios/f.yaml


def load(tmp_path: Path, text: str) -> Flow:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "f.yaml").write_text(text, "utf-8")
    return load_flow(Path("scenarios/f.yaml"))


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        load(tmp_path, text)
    return str(raised.value).splitlines()


def test_setup_and_cleanup_load_as_silent_steps_at_their_lines(tmp_path: Path) -> None:
    flow = load(
        tmp_path,
        HEAD
        + "setup:\n  - {action: goto, url: /login}\n"  # line 7
        + "  - {action: fill, target: {label: Name}, value: 'Garden {device}'}\n"
        + STEPS  # lines 9-12
        + "cleanup:\n  - action: tap\n    target: {role: link, name: 'Garden {device}'}\n"
        + "    expect: {text: deleted}\n",
    )
    setup, cleanup = flow.setup, flow.cleanup
    assert [(s.action.action, s.source.line, s.number, s.capture) for s in setup] == [
        ("goto", 7, None, "none"),
        ("fill", 8, None, "none"),
    ]
    assert [(s.action.action, s.source.line) for s in cleanup] == [("tap", 14)]
    assert cleanup[0].expect is not None and cleanup[0].expect.text == "deleted"
    assert [s.number for s in flow.steps] == [1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + "setup:\n  - {action: tap, target: {text: x}}\n" + STEPS,
            "scenarios/f.yaml:7: setup[0].action: setup runs before the flow opens its start "
            "page: begin it with a goto",
        ),
        (
            HEAD + STEPS + "cleanup:\n  - {caption: Bye, action: goto, url: /}\n",
            "scenarios/f.yaml:11: cleanup[0].caption: cleanup steps are silent, never "
            "pictured; remove 'caption'",
        ),
        (
            HEAD + "steps:\n  - caption: Type\n    action: fill\n    target: {label: Name}\n"
            "    value: 'Garden {run}'\n",
            "scenarios/f.yaml:7: steps[0]: '{run}' changes every run, so this pictured step "
            "would drift on every check; use '{device}' with a cleanup, or move it to setup, "
            "cleanup or a silent step",
        ),
        (
            HEAD + "steps:\n  - caption: Tap\n    action: tap\n    target: {text: 'A {user}'}\n",
            "scenarios/f.yaml:9: steps[0].target.text: unknown placeholder '{user}' in "
            "'A {user}' (known: {device}, {run}; write '{{' and '}}' for braces)",
        ),
        (
            HEAD + "steps:\n  - caption: Tap\n    action: tap\n    target: {css: 'a{'}\n",
            "scenarios/f.yaml:9: steps[0].target.css: a lone '{' in 'a{': write '{{' for the brace",
        ),
    ],
    ids=["setup-without-goto", "captioned-cleanup", "run-in-a-pictured-step", "unknown", "lone"],
)
def test_state_problems_are_one_exact_line(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [expected]


def test_run_is_allowed_where_nothing_is_pictured(tmp_path: Path) -> None:
    flow = load(
        tmp_path,
        HEAD
        + "setup:\n  - {action: goto, url: '/make?name=x'}\n"
        + "  - {action: fill, target: {label: Name}, value: 'Garden {run}'}\n"
        + "steps:\n  - {action: fill, target: {label: Note}, value: 'n {run}'}\n"
        + "  - {caption: Save, action: tap, target: {text: Save}}\n",
    )
    assert flow is not None


def test_placeholders_are_filled_and_doubled_braces_become_one() -> None:
    values = {"device": "iphone", "run": "1a2b3c"}
    assert fill("Garden {device} {run} {{device}} }}", values) == "Garden iphone 1a2b3c {device} }"
    step = FillAction(action="fill", target=Target(label="Name {device}"), value="G {run}")
    filled = fill_model(step, values)
    assert (filled.target.label, filled.value) == ("Name iphone", "G 1a2b3c")
    tap = TapAction(action="tap", target=Target(role="link", name="{device}", within=step.target))
    assert fill_model(tap, values).target.describe() == (
        "role=link name=「iphone」 within(label=「Name iphone」)"
    )
