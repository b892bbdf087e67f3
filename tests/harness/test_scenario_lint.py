"""lint_paths: every problem of every file and folder given, none for clean ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.scenario.lint import lint_paths

VALID = Path(__file__).parent / "scenario_cases" / "valid"
HEAD = "id: {id}\nsection: S\ntitle: T\ndevices: [android]\nstart: /\nsteps:\n"
STEP = "  - caption: 押す\n    action: tap\n    target: {text: ボタン}\n"


def flow(flow_id: str, steps: str = STEP) -> str:
    return HEAD.replace("{id}", flow_id) + steps


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return Path()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def lines(paths: list[Path]) -> list[str]:
    return [str(problem) for problem in lint_paths(paths)]


def test_clean_folder_has_no_problems() -> None:
    assert lint_paths([VALID]) == []


def test_folder_collects_problems_of_every_file_and_unused_fragments(here: Path) -> None:
    write(here / "scenarios/a.yaml", flow("a", STEP + "    capture: none\n"))
    write(here / "scenarios/b.yaml", flow("b", STEP + "  - include: nope\n"))
    write(here / "scenarios/c.yaml", flow("c"))
    write(here / "scenarios/fragments/unused.yaml", "id: unused\nsteps: []\n")
    assert lines([Path("scenarios")]) == [
        "scenarios/a.yaml:10: steps[0].capture: a step with a caption is captured:"
        " use before or after",
        "scenarios/b.yaml:10: steps[1].include: no fragment 'nope' in scenarios/fragments"
        " (known: unused)",
        "scenarios/fragments/unused.yaml:1: description: required key missing",
        "scenarios/fragments/unused.yaml:2: steps: must not be empty",
    ]


def test_file_inside_scenarios_uses_the_sibling_fragments(here: Path) -> None:
    write(here / "scenarios/fragments/pin.yaml", "id: pin\ndescription: d\nsteps:\n" + STEP)
    write(here / "scenarios/a.yaml", flow("a", "  - include: pin\n"))
    write(here / "scenarios/b.yaml", flow("b", "  - include: pim\n"))
    assert lines([Path("scenarios/a.yaml")]) == []
    assert lines([Path("scenarios/b.yaml")]) == [
        "scenarios/b.yaml:7: steps[0].include: no fragment 'pim' in scenarios/fragments"
        " (known: pin)"
    ]


def test_a_fragment_file_or_the_fragments_folder_is_linted_as_fragments(here: Path) -> None:
    write(here / "scenarios/fragments/pin.yaml", "id: pin\ndescription: d\nsteps:\n  - tap\n")
    expected = [
        "scenarios/fragments/pin.yaml:4: steps[0]: expected a step"
        " (a mapping with 'action' or 'include'), got 'tap'"
    ]
    assert lines([Path("scenarios/fragments/pin.yaml")]) == expected
    assert lines([Path("scenarios/fragments")]) == expected


def test_duplicate_flow_ids_across_folders(here: Path) -> None:
    write(here / "one/login.yaml", flow("login"))
    write(here / "two/login.yaml", flow("login"))
    assert lines([Path("one"), Path("two")]) == [
        "two/login.yaml:1: id: duplicate flow id 'login' (also in one/login.yaml)"
    ]


def test_a_file_named_twice_is_one_flow(here: Path) -> None:
    write(here / "scenarios/a.yaml", flow("a"))
    assert lines([Path("scenarios"), Path("scenarios/a.yaml")]) == []


def test_missing_path_and_empty_folder(here: Path) -> None:
    (here / "empty").mkdir()
    assert lines([Path("nowhere.yaml"), Path("empty")]) == [
        "empty: no scenario files (*.yaml) in this folder",
        "nowhere.yaml: no such file or folder",
    ]


def test_problems_are_reported_once_even_if_a_broken_fragment_is_used_twice(here: Path) -> None:
    write(here / "s/fragments/pin.yaml", "id: pin\ndescription: d\nsteps:\n  - action: tap\n")
    write(here / "s/a.yaml", flow("a", STEP + "  - include: pin\n"))
    write(here / "s/b.yaml", flow("b", STEP + "  - include: pin\n  - include: pin\n"))
    assert lines([Path("s")]) == ["s/fragments/pin.yaml:4: steps[0].target: required key missing"]
