"""Scenario files that would hang or silently select nothing: nested aliases ("billion
laughs"), a mistyped device, and a selection that plans no flow × device. Each is one line
naming the file and line (or the flag) and exit status 2, through the CLI; no browser.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.capture.devices import ALIASES
from harness.cli import main
from harness.scenario.devices import PHONES, nearest
from harness.scenario.load import load_flow
from harness.scenario.yaml_doc import MAX_ALIAS_NODES

USAGE_ERROR = 2
HEAD = "id: f\nsection: S\ntitle: T\ndevices: [{devices}]\nstart: /\nsteps:\n"
STEP = "  - caption: 押す\n    action: tap\n    target: {text: x}\n"

# 15 lines; building `i` would make 9**9 strings.
LAUGHS = (
    "id: laughs\nsection: S\ntitle: T\ndevices: [android]\nstart: /\n"
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "steps: [*i]\n"
)
LAUGHS_LINE = (
    f"scenarios/laughs.yaml:10: e: aliases expand to more than {MAX_ALIAS_NODES:,} values "
    "(nested aliases, as in a 'billion laughs' file); write the values out or reuse fewer "
    "levels of aliases"
)


@pytest.fixture
def scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    return folder


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


def test_a_billion_laughs_file_is_one_line_for_lint(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "laughs.yaml").write_text(LAUGHS, "utf-8")
    assert LAUGHS.count("\n") == 15

    assert main(["lint", "scenarios/laughs.yaml"]) == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [LAUGHS_LINE, "1 problem(s)"]


def test_a_billion_laughs_file_stops_check_before_anything_runs(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "laughs.yaml").write_text(LAUGHS, "utf-8")

    assert main(["check", "--scenarios", "scenarios"]) == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [LAUGHS_LINE]
    assert not Path("report").exists() and not Path(".guideshot").exists()


def test_anchors_aliases_and_merge_keys_still_load(scenarios: Path) -> None:
    """What a real scenario does with YAML's reuse: a target used twice, steps merged from
    an anchored step with keys of their own (which win), a merge of a list of mappings."""
    text = (
        HEAD.format(devices="android, iphone") + "  - &login\n"  # line 7
        "    caption: 「ログイン」を押す\n"
        "    action: tap\n"
        "    target: &button {role: button, name: ログイン}\n"
        "    expect: {url: /login}\n"
        "  - <<: *login\n"  # line 12
        "    caption: もう一度押す\n"
        "  - caption: 確かめる\n"
        "    action: wait_for\n"
        "    target: *button\n"
        "  - <<: [{caption: 一番目が勝つ, expect: {text: ようこそ}}, *login]\n"  # line 17
    )
    (scenarios / "f.yaml").write_text(text, "utf-8")

    flow = load_flow(scenarios / "f.yaml")

    first, again, waited, merged = flow.steps
    assert (again.caption, again.action, again.expect) == (
        "もう一度押す",
        first.action,
        first.expect,
    )
    assert waited.action.model_dump()["target"] == first.action.model_dump()["target"]
    assert (merged.caption, merged.action) == ("一番目が勝つ", first.action)
    assert merged.expect is not None and merged.expect.text == "ようこそ"
    assert [step.source.line for step in flow.steps] == [7, 12, 14, 17]


def test_a_mistyped_device_is_a_lint_error_naming_the_nearest_device(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="iphone, andriod") + STEP, "utf-8")

    assert main(["lint"]) == USAGE_ERROR

    assert lines(capsys.readouterr().err) == [
        "scenarios/f.yaml:4: devices[1]: unknown device 'andriod'; did you mean 'android'? "
        "(known: android, iphone, or a Playwright device descriptor such as 'Pixel 5')",
        "1 problem(s)",
    ]


def test_a_mistyped_device_stops_check_instead_of_a_clean_run_of_nothing(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="andriod") + STEP, "utf-8")

    assert main(["check", "--scenarios", "scenarios"]) == USAGE_ERROR

    err = capsys.readouterr().err
    assert lines(err) == [
        "scenarios/f.yaml:4: devices[0]: unknown device 'andriod'; did you mean 'android'? "
        "(known: android, iphone, or a Playwright device descriptor such as 'Pixel 5')"
    ]
    assert "no drift" not in err
    assert not Path("report").exists()


def test_playwright_descriptor_names_are_devices(scenarios: Path) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="Pixel 5, iPhone 13") + STEP, "utf-8")
    assert load_flow(scenarios / "f.yaml").devices == ("Pixel 5", "iPhone 13")


def test_the_scenario_phones_are_the_device_aliases() -> None:
    assert tuple(ALIASES) == PHONES
    assert nearest("Iphone 13", ["android", "iPhone 13", "iPhone 14"]) == "iPhone 13"


@pytest.mark.parametrize("verb", ["check", "run"])
def test_a_selection_that_plans_nothing_exits_2_naming_it(
    scenarios: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="android") + STEP, "utf-8")

    status = main([verb, "--scenarios", "scenarios", "--flow", "f", "--device", "iphone"])

    assert status == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [
        "error: nothing was selected: --flow f with --device 'iphone' (f runs on android); "
        "choose a device the flows list in their `devices:`"
    ]
    assert not Path("report").exists() and not Path("screenshots").exists()
    assert [p.name for p in Path().iterdir() if p.name.startswith(".report")] == []


def test_an_empty_scenarios_folder_selects_nothing(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--scenarios", "scenarios"]) == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [
        "error: nothing was selected: no scenario files (*.yaml) in --scenarios; write a flow "
        "there (`guideshot init` starts a project with one)"
    ]


def test_a_mistyped_device_option_names_the_nearest_device(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="android") + STEP, "utf-8")

    assert main(["check", "--scenarios", "scenarios", "--device", "andriod"]) == USAGE_ERROR

    (line,) = lines(capsys.readouterr().err)
    assert line.startswith("error: --device: unknown device 'andriod' (known: android, iphone")
    assert line.endswith("; did you mean 'android'?")


def git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=guideshot test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def test_check_changed_with_nothing_changed_is_clean_and_says_it_checked_nothing(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An explicit narrowing that leaves nothing: exit 0, and the words say nothing was
    checked — never "no drift: every step matches"."""
    (scenarios / "f.yaml").write_text(HEAD.format(devices="android") + STEP, "utf-8")
    approved = Path("screenshots/android/f/01-x.json")
    approved.parent.mkdir(parents=True)
    approved.write_text("{}")
    git(Path(), "init", "-q")
    git(Path(), "add", ".")
    git(Path(), "commit", "-qm", "approved")

    assert main(["check", "--changed"]) == 0

    err = capsys.readouterr().err
    assert "--changed: nothing to check: no scenario or fragment changed since its " in err
    assert "no drift" not in err
    assert (Path("report") / "report.json").is_file()  # an empty report, not a stale one


def test_an_empty_shard_of_a_planned_run_is_clean_and_says_so(
    scenarios: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (scenarios / "f.yaml").write_text(HEAD.format(devices="android") + STEP, "utf-8")

    assert main(["check", "--shard", "2/2"]) == 0

    err = capsys.readouterr().err
    assert "--shard 2/2: no flow × device falls to this shard (the plan has 1); " in err
    assert "no drift" not in err
    assert (Path("report") / "shard.json").is_file()  # merge needs it to see the whole plan
