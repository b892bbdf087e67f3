"""Malformed scenario files: each problem is one exact line with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scenario.load import ScenarioError, load_all, load_flow

# Six lines; the first step starts on line 7.
HEAD = "id: f\nsection: S\ntitle: T\ndevices: [android]\nstart: /\nsteps:\n"
STEP = "  - caption: 押す\n    action: tap\n    target: {text: ボタン}\n"  # lines 7-9


def fragment(name: str) -> str:
    """A valid fragment whose one step takes lines 4-6."""
    return f"id: {name}\ndescription: d\nsteps:\n" + STEP


ACTIONS = "tap, fill, type, select, check, scroll, press, wait_for, expect, goto, hook"
STRATEGIES = "role, label, text, placeholder, alt, title, css"


def step(*lines: str) -> str:
    """A step starting on line 7: `- ` before the first line, indented continuation."""
    return "".join(("  - " if i == 0 else "    ") + line + "\n" for i, line in enumerate(lines))


CASES: list[tuple[str, str, str]] = [
    # (case id, content of scenarios/f.yaml, the exact error text)
    (
        "unknown-action",
        HEAD + step("caption: 押す", "action: tapp", "target: {text: x}"),
        f"scenarios/f.yaml:8: steps[0].action: unknown action 'tapp' (expected one of: {ACTIONS})",
    ),
    (
        "missing-action",
        HEAD + step("caption: 押す", "target: {text: x}"),
        "scenarios/f.yaml:7: steps[0].action: required key missing"
        " (every step needs an action or an include)",
    ),
    (
        "missing-top-key",
        "id: f\nsection: S\ndevices: [android]\nstart: /\nsteps:\n" + STEP,
        "scenarios/f.yaml:1: title: required key missing",
    ),
    (
        "missing-action-field",
        HEAD + step("caption: 入力", "action: fill", "target: {label: 氏名}"),
        "scenarios/f.yaml:7: steps[0].value: required key missing",
    ),
    (
        "missing-in-before",
        HEAD + STEP + "    before:\n      - {action: fill, target: {label: 氏名}}\n",
        "scenarios/f.yaml:11: steps[0].before[0].value: required key missing",
    ),
    (
        "unknown-top-key",
        HEAD + STEP + "colour: red\n",
        "scenarios/f.yaml:10: colour: unknown key 'colour' (allowed: id, section, title,"
        " devices, persona, start, outcome, tolerance, mask, ignore, ignore_text, steps,"
        " setup, cleanup)",
    ),
    (
        "unknown-step-key",
        HEAD + STEP + "    captoin: x\n",
        "scenarios/f.yaml:10: steps[0].captoin: unknown key 'captoin' (allowed: action, target,"
        " caption, before, highlight, mask, ignore, ignore_text, expect, capture, tolerance)",
    ),
    (
        "unknown-target-key",
        HEAD + step("caption: 押す", "action: tap", "target: {role: button, nam: ログイン}"),
        "scenarios/f.yaml:9: steps[0].target.nam: unknown key 'nam' (allowed: role, name,"
        " label, text, placeholder, alt, title, css, exact, nth, within)",
    ),
    (
        "caption-is-a-list",
        HEAD + step("caption: [a, b]", "action: tap", "target: {text: x}"),
        "scenarios/f.yaml:7: steps[0].caption: expected a string, got a list",
    ),
    (
        "unquoted-pin",
        HEAD + step("caption: 入力", "action: fill", "target: {label: PIN}", "value: 1234"),
        "scenarios/f.yaml:10: steps[0].value: expected a string, got the number 1234"
        " (put it in quotes)",
    ),
    (
        "exact-yes",
        HEAD + step("caption: 押す", "action: tap", "target: {text: x, exact: yes}"),
        "scenarios/f.yaml:9: steps[0].target.exact: expected true or false, got 'yes'",
    ),
    (
        "nth-negative",
        HEAD + step("caption: 押す", "action: tap", "target:", "  text: x", "  nth: -1"),
        "scenarios/f.yaml:11: steps[0].target.nth: must be at least 0, got -1",
    ),
    (
        "yaml-syntax",
        HEAD + step("caption: 押す", "action: tap", "target: {text: x"),
        "scenarios/f.yaml:10: YAML syntax: expected ',' or '}', but got '<stream end>'"
        " (while parsing a flow mapping)",
    ),
    (
        "duplicate-key",
        HEAD + step("caption: a", "action: tap", "caption: b", "target: {text: x}"),
        "scenarios/f.yaml:9: steps[0]: duplicate key 'caption' (first at line 7)",
    ),
    (
        "tab-indent",
        "id: f\n\tsection: S\n",
        "scenarios/f.yaml:2: YAML syntax: found character '\\t' that cannot start any token"
        " (while scanning for the next token)",
    ),
    (
        "control-character",
        HEAD + step("caption: 押す\x01", "action: tap"),
        "scenarios/f.yaml:7: YAML: unacceptable character #x0001; remove it",
    ),
    (
        "two-documents",
        HEAD + STEP + "---\nid: g\n",
        "scenarios/f.yaml:10: YAML syntax: but found another document"
        " (expected a single document in the stream)",
    ),
    (
        "recursive-alias",
        HEAD.replace("steps:", "steps: &s [*s]"),
        "scenarios/f.yaml:6: steps[0]: recursive alias",
    ),
    (
        "complex-key",
        HEAD + STEP + "? [a, b]\n: c\n",
        "scenarios/f.yaml:10: a key must be a word",
    ),
    ("empty-file", "", "scenarios/f.yaml:1: the file is empty"),
    ("comments-only", "# to do\n", "scenarios/f.yaml:1: the file is empty"),
    (
        "top-level-list",
        "- id: f\n",
        "scenarios/f.yaml:1: the top level must be a mapping (id: …, steps: …), got a list",
    ),
    (
        "id-is-not-the-stem",
        HEAD.replace("id: f", "id: g") + STEP,
        "scenarios/f.yaml:1: id: 'g' must equal the file name 'f'",
    ),
    (
        "id-not-lowercase-hyphen",
        HEAD.replace("id: f", "id: Login_UserID") + STEP,
        "scenarios/f.yaml:1: id: must be lowercase words joined by hyphens (like login-userid):"
        " 'Login_UserID'",
    ),
    (
        "start-not-a-path",
        HEAD.replace("start: /", "start: nenkin/") + STEP,
        "scenarios/f.yaml:5: start: must be a path starting with '/', got 'nenkin/'",
    ),
    (
        "no-devices",
        HEAD.replace("[android]", "[]") + STEP,
        "scenarios/f.yaml:4: devices: must not be empty",
    ),
    (
        "device-twice",
        HEAD.replace("[android]", "[android, iphone, android]") + STEP,
        "scenarios/f.yaml:4: devices: device 'android' is listed twice",
    ),
    (
        "no-steps",
        HEAD + "  []\n",
        "scenarios/f.yaml:6: steps: must not be empty",
    ),
    (
        "target-without-strategy",
        HEAD + step("caption: 押す", "action: tap", "target: {exact: true}"),
        f"scenarios/f.yaml:9: steps[0].target: a target needs exactly one of: {STRATEGIES}",
    ),
    (
        "target-with-two-strategies",
        HEAD + step("caption: 押す", "action: tap", "target: {role: button, text: x}"),
        f"scenarios/f.yaml:9: steps[0].target: a target needs exactly one of: {STRATEGIES}"
        " (got role and text)",
    ),
    (
        "name-without-role",
        HEAD + step("caption: 押す", "action: tap", "target: {text: x, name: y}"),
        "scenarios/f.yaml:9: steps[0].target: 'name' goes only with 'role'"
        " (use 'text' to find visible words)",
    ),
    (
        "within-without-strategy",
        HEAD + step("caption: 押す", "action: tap", "target: {text: x, within: {nth: 1}}"),
        f"scenarios/f.yaml:9: steps[0].target.within: a target needs exactly one of: {STRATEGIES}",
    ),
    (
        "unknown-role",
        HEAD + step("caption: 押す", "action: tap", "target: {role: buton}"),
        "scenarios/f.yaml:9: steps[0].target.role: unknown value 'buton' (did you mean 'button'?)",
    ),
    (
        "unknown-hook",
        HEAD + step("caption: カードをかざす", "action: hook", "name: card_touch"),
        "scenarios/f.yaml:9: steps[0].name: expected one of: card_tap, card_remove, persona,"
        " clock, reset; got 'card_touch'",
    ),
    (
        "hook-param-not-a-string",
        HEAD + step("caption: 時計", "action: hook", "name: clock", "params: {days: 3}"),
        "scenarios/f.yaml:10: steps[0].params.days: expected a string, got the number 3"
        " (put it in quotes)",
    ),
    (
        "scroll-with-to-and-by",
        HEAD + step("caption: 上にスクロールする", "action: scroll", "to: {text: x}", "by: 300"),
        "scenarios/f.yaml:7: steps[0]: a scroll needs exactly one of: to (a target),"
        " by (CSS pixels)",
    ),
    (
        "scroll-direction",
        HEAD + step("caption: 上にスクロールする", "action: scroll", "by: 300", "direction: left"),
        "scenarios/f.yaml:10: steps[0].direction: expected one of: up, down; got 'left'",
    ),
    (
        "goto-not-a-path",
        HEAD + step("caption: 開く", "action: goto", "url: nenkin"),
        "scenarios/f.yaml:9: steps[0].url: must be a path starting with '/', got 'nenkin'",
    ),
    (
        "expect-url-glob-inside",
        HEAD + STEP + "    expect: {url: /nenkin/*/home}\n",
        "scenarios/f.yaml:10: steps[0].expect.url: '*' is allowed only at the end,"
        " got '/nenkin/*/home'",
    ),
    (
        "expect-empty",
        HEAD + STEP + "    expect: {}\n",
        "scenarios/f.yaml:10: steps[0].expect: an expect needs at least one of: heading, text,"
        " url, absent_text",
    ),
    (
        "highlight-wrong-type",
        HEAD + STEP + "    highlight: 3\n",
        "scenarios/f.yaml:10: steps[0].highlight: expected 'target', 'none', a target or a list"
        " of targets, got the number 3",
    ),
    (
        "highlight-unknown-word",
        HEAD + STEP + "    highlight: all\n",
        "scenarios/f.yaml:10: steps[0].highlight: expected one of: target, none; got 'all'",
    ),
    (
        "highlight-target-without-target",
        HEAD + step("caption: 画面が表示される", "action: expect", "highlight: target"),
        "scenarios/f.yaml:9: steps[0].highlight: 'target', but the expect action has no target;"
        " use 'none'",
    ),
    (
        "tolerance-out-of-range",
        HEAD.replace("steps:", "tolerance: {pixel_threshold: 1.5}\nsteps:") + STEP,
        "scenarios/f.yaml:6: tolerance.pixel_threshold: must be at most 1, got 1.5",
    ),
    (
        "tolerance-as-text",
        HEAD + STEP + "    tolerance: {max_diff_pixels: '10'}\n",
        "scenarios/f.yaml:10: steps[0].tolerance.max_diff_pixels: expected a whole number,"
        " got '10'",
    ),
    (
        "empty-caption",
        HEAD + step("caption: ''", "action: tap", "target: {text: x}"),
        "scenarios/f.yaml:7: steps[0].caption: must not be empty"
        " (leave 'caption' out for a silent step)",
    ),
    (
        "capture-none-on-captioned-step",
        HEAD + STEP + "    capture: none\n",
        "scenarios/f.yaml:10: steps[0].capture: a step with a caption is captured:"
        " use before or after",
    ),
    (
        "capture-on-silent-step",
        HEAD + step("action: tap", "target: {text: x}", "capture: after") + STEP,
        "scenarios/f.yaml:9: steps[0].capture: a step without a caption is never captured;"
        " remove it",
    ),
    (
        "no-captioned-step",
        HEAD + step("action: tap", "target: {text: x}"),
        "scenarios/f.yaml:6: steps: no step has a caption, so the guide would show nothing;"
        " caption one",
    ),
    (
        "step-not-a-mapping",
        HEAD + "  - 「ログイン」を押す\n",
        "scenarios/f.yaml:7: steps[0]: expected a step (a mapping with 'action' or 'include'),"
        " got '「ログイン」を押す'",
    ),
    (
        "unknown-fragment",
        HEAD + STEP + "  - include: card\n",
        "scenarios/f.yaml:10: steps[1].include: no fragment 'card' in scenarios/fragments"
        " (known: pin)",
    ),
    (
        "ignore-text-not-a-regex",
        HEAD + STEP + "    ignore_text: ['took (\\d+ ms']\n",
        "scenarios/f.yaml:10: steps[0].ignore_text[0]: not a regular expression: missing ),"
        " unterminated subpattern at position 5 (in 'took (\\d+ ms')",
    ),
    (
        "flow-ignore-text-not-a-string",
        HEAD.replace("steps:", "ignore_text: [12]\nsteps:") + STEP,
        "scenarios/f.yaml:6: ignore_text[0]: expected a string, got the number 12 (put it in"
        " quotes)",
    ),
    (
        "flow-mask-not-a-target",
        HEAD.replace("steps:", "mask: [{role: contentinfo, text: x}]\nsteps:") + STEP,
        "scenarios/f.yaml:6: mask[0]: a target needs exactly one of: role, label, text,"
        " placeholder, alt, title, css (got role and text)",
    ),
    (
        "ignore-on-silent-step",
        HEAD + step("action: tap", "target: {text: x}", "ignore: [{role: contentinfo}]") + STEP,
        "scenarios/f.yaml:9: steps[0].ignore: a step without a caption is never compared;"
        " remove it",
    ),
    (
        "question-mark-in-flow-mapping",
        HEAD + STEP + "    expect: {url: /fixtures?sql=select}\n",
        "scenarios/f.yaml:10: YAML syntax: expected ',' or '}', but got '?' (while parsing a flow"
        " mapping); put a value holding '?' in quotes, e.g. url: '/search?q=1'",
    ),
    (
        "include-with-action",
        HEAD + "  - {include: pin, action: tap}\n",
        "scenarios/f.yaml:7: steps[0].action: unknown key 'action' (allowed: include)",
    ),
]


@pytest.fixture
def scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A relative scenarios/ folder with one fragment, so messages show relative paths."""
    monkeypatch.chdir(tmp_path)
    folder = Path("scenarios")
    (folder / "fragments").mkdir(parents=True)
    (folder / "fragments" / "pin.yaml").write_text(fragment("pin"), "utf-8")
    return folder


def problems_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_flow(path)
    return str(caught.value)


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_file(scenarios: Path, text: str, message: str) -> None:
    (scenarios / "f.yaml").write_text(text, "utf-8")
    assert problems_of(scenarios / "f.yaml") == message


def test_several_problems_in_one_file_are_all_reported_in_line_order(scenarios: Path) -> None:
    text = HEAD.replace("start: /", "start: x") + step("caption: 押す", "action: tapp") + STEP
    (scenarios / "f.yaml").write_text(text + "    colour: red\n", "utf-8")
    assert problems_of(scenarios / "f.yaml").splitlines() == [
        "scenarios/f.yaml:5: start: must be a path starting with '/', got 'x'",
        f"scenarios/f.yaml:8: steps[0].action: unknown action 'tapp' (expected one of: {ACTIONS})",
        "scenarios/f.yaml:12: steps[1].colour: unknown key 'colour' (allowed: action, target,"
        " caption, before, highlight, mask, ignore, ignore_text, expect, capture, tolerance)",
    ]


def test_not_utf8(scenarios: Path) -> None:
    raw = (HEAD + "  - caption: ").encode() + "押す".encode("shift_jis") + b"\n"
    (scenarios / "f.yaml").write_bytes(raw)
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/f.yaml:7: not UTF-8 text (byte 0x89); save the file as UTF-8"
    )


def test_problem_in_a_fragment_points_at_the_fragment(scenarios: Path) -> None:
    (scenarios / "fragments" / "pin.yaml").write_text(
        "id: pin\ndescription: d\nsteps:\n" + step("caption: 押す", "action: tap"), "utf-8"
    )
    (scenarios / "f.yaml").write_text(HEAD + STEP + "  - include: pin\n", "utf-8")
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/fragments/pin.yaml:4: steps[0].target: required key missing"
    )


def test_fragment_must_be_named_after_its_file(scenarios: Path) -> None:
    (scenarios / "fragments" / "pin.yaml").write_text(fragment("pin-entry"), "utf-8")
    (scenarios / "f.yaml").write_text(HEAD + "  - include: pin\n", "utf-8")
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/fragments/pin.yaml:1: id: 'pin-entry' must equal the file name 'pin'"
    )


def test_fragment_needs_a_description(scenarios: Path) -> None:
    (scenarios / "fragments" / "pin.yaml").write_text("id: pin\nsteps:\n" + STEP, "utf-8")
    (scenarios / "f.yaml").write_text(HEAD + "  - include: pin\n", "utf-8")
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/fragments/pin.yaml:1: description: required key missing"
    )


def test_include_cycle(scenarios: Path) -> None:
    fragments = scenarios / "fragments"
    for name, other in (("a", "b"), ("b", "a")):
        text = fragment(name) + f"  - include: {other}\n"  # the include: line 7
        (fragments / f"{name}.yaml").write_text(text, "utf-8")
    (scenarios / "f.yaml").write_text(HEAD + "  - include: a\n", "utf-8")
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/fragments/b.yaml:7: steps[1].include: include cycle: a → b → a"
    )


def test_fragment_including_itself(scenarios: Path) -> None:
    text = fragment("pin") + "  - include: pin\n"
    (scenarios / "fragments" / "pin.yaml").write_text(text, "utf-8")
    (scenarios / "f.yaml").write_text(HEAD + "  - include: pin\n", "utf-8")
    assert problems_of(scenarios / "f.yaml") == (
        "scenarios/fragments/pin.yaml:7: steps[1].include: include cycle: pin → pin"
    )


def test_load_all_collects_problems_of_every_file(scenarios: Path) -> None:
    (scenarios / "a.yaml").write_text(HEAD.replace("id: f", "id: a"), "utf-8")
    (scenarios / "b.yaml").write_text(HEAD.replace("id: f", "id: b") + STEP, "utf-8")
    (scenarios / "c.yaml").write_text("id: [c\n", "utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_all(scenarios)
    assert [str(p) for p in caught.value.problems] == [
        "scenarios/a.yaml:6: steps: expected a list, got nothing",
        "scenarios/c.yaml:2: YAML syntax: expected ',' or ']', but got '<stream end>'"
        " (while parsing a flow sequence)",
    ]


def test_problem_fields(scenarios: Path) -> None:
    (scenarios / "f.yaml").write_text(HEAD + step("caption: 押す", "action: tapp"), "utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_flow(scenarios / "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.key) == ("scenarios/f.yaml", 8, "steps[0].action")
    assert "https://" not in str(caught.value)
