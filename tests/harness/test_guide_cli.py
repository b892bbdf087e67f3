"""The guide config through the CLI: `init`, `lint` knowing what `guide` needs, and `guide`
refusing bad input with one line per problem (file, line, key), never a traceback.

No browser: every case stops before anything is printed to PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli import main
from harness.guide.config import json_schema

ROOT = Path(__file__).resolve().parents[2]
USAGE_ERROR = 2

FLOW = """\
id: {id}
section: {section}
title: {title}
devices: [android]
start: /
steps:
  - caption: 「{name}」を押す
    action: tap
    target: {{role: link, name: {name}}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `init` project with two flows of its own (the example removed)."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--title", "練習の手引き"]) == 0
    (tmp_path / "scenarios" / "example.yaml").unlink()
    write_flow(tmp_path, "open-list", "1 表を見る", "一覧を開きましょう", "一覧")
    write_flow(tmp_path, "change-name", "2 設定", "名前を変えましょう", "設定")
    return tmp_path


def write_flow(root: Path, flow_id: str, section: str, title: str, name: str) -> None:
    text = FLOW.format(id=flow_id, section=section, title=title, name=name)
    (root / "scenarios" / f"{flow_id}.yaml").write_text(text, encoding="utf-8")


def lines(err: str) -> list[str]:
    assert "Traceback" not in err
    return err.splitlines()


def test_init_writes_a_project_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new-guide"
    assert main(["init", str(folder)]) == 0
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/guide-check.yml",
        ".gitignore",
        "README.md",
        "guide.schema.json",
        "guide.yaml",
        "scenarios/example.yaml",
        "scenarios/scenario.schema.json",
        "screenshots/.gitkeep",
    ]
    assert 'title: "new-guide"' in (folder / "guide.yaml").read_text("utf-8")
    assert (folder / "scenarios" / "example.yaml").read_text("utf-8").startswith("# ")
    capsys.readouterr()
    before = (folder / "README.md").read_text("utf-8")
    (folder / "README.md").write_text("mine\n", encoding="utf-8")
    assert main(["init", str(folder), "--title", "other"]) == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [
        f"error: {folder}/guide.yaml exists already; `guideshot init` never overwrites: choose "
        "an empty folder or move the file away"
    ]
    assert (folder / "README.md").read_text("utf-8") == "mine\n" != before


def test_the_example_flow_lints_clean_before_the_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only its pictures are missing, and nothing has been run: one line, exit 0, so
    `guideshot lint && guideshot run` works on a new project (tests/harness/
    test_guide_words.py has the rule's other sides)."""
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["lint"]) == 0
    assert lines(capsys.readouterr().err) == [
        "scenarios and guide ok; nothing run yet (screenshots holds no approved screenshot): "
        "take the pictures with `guideshot run --base-url URL`, then `guideshot guide`"
    ]


def test_a_section_missing_from_the_config_is_a_lint_finding(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "guide.yaml"
    text = config.read_text("utf-8")
    config.write_text(text + "sections:\n  - label: 1 表を見る\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", "--screenshots", "nowhere"]) == USAGE_ERROR
    found = lines(capsys.readouterr().err)
    assert found[0] == (
        "scenarios/change-name.yaml:2: section: section '2 設定' is not in guide.yaml (its "
        "sections: '1 表を見る'); add it there or use one of them"
    )
    # `guide` stops on the same finding, before building anything.
    assert main(["guide", "--no-pdf"]) == USAGE_ERROR
    err = capsys.readouterr().err
    assert found[0] in lines(err) and err.endswith("problem(s); nothing was built\n")
    assert not (project / "guide").exists()


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        (
            "sections:\n  - label: 1 表を見る\n    prose: content/intro.md\n  - label: 2 設定\n",
            "guide.yaml:{next}: sections[0].prose: no such file: content/intro.md; create it "
            "or fix the path",
        ),
        (
            "sections:\n  - label: 1 表を見る\n    flows: [open-list, nothing-here]\n"
            "  - label: 2 設定\n",
            "guide.yaml:{next}: sections[0].flows[1]: no flow 'nothing-here' in the scenarios",
        ),
        (
            "notes:\n  - {flow: open-list, before_step: 3, text: 同様に操作します}\n",
            "guide.yaml:{line}: notes[0].before_step: flow 'open-list' has 1 steps",
        ),
        (
            "references:\n  - {text: 5ページ, flow: gone, step: 1}\n",
            "guide.yaml:{line}: references[0].flow: no flow 'gone' in the scenarios",
        ),
    ],
)
def test_config_findings_name_the_config_line(
    project: Path, capsys: pytest.CaptureFixture[str], addition: str, expected: str
) -> None:
    config = project / "guide.yaml"
    base = config.read_text("utf-8")
    config.write_text(base + addition, encoding="utf-8")
    line = base.count("\n") + 2  # the addition's first item; {next}: the line below it
    capsys.readouterr()
    assert main(["lint", "--screenshots", "nowhere"]) == USAGE_ERROR
    found = lines(capsys.readouterr().err)
    assert expected.format(line=line, next=line + 1) in found, found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: x\ntittle: y\n", "guide.yaml:2: tittle: unknown key 'tittle'"),
        ("subtitle: x\n", "guide.yaml:1: title: required key missing"),
        ("title: x\npage: {steps_per_page: 9}\n", "guide.yaml:2: page.steps_per_page:"),
        ("title: x\nname: Bad Name\n", "guide.yaml:2: name: must be lowercase words"),
        ("title: [x\n", "guide.yaml:2: YAML syntax:"),
        (
            "title: x\nsections: []\nchapters: []\n",
            "guide.yaml:1: use either 'chapters' or 'sections', not both",
        ),
    ],
)
def test_a_broken_config_is_one_line_for_lint_and_guide(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (project / "guide.yaml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    for argv in (["lint"], ["guide", "--no-pdf"]):
        assert main(argv) == USAGE_ERROR
        found = lines(capsys.readouterr().err)
        assert any(line.startswith(expected) for line in found), (argv, found)


def test_guide_without_a_config_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["guide", "--scenarios", str(ROOT / "scenarios")]) == USAGE_ERROR
    assert lines(capsys.readouterr().err) == [
        "guide.yaml: no guide config here; run `guideshot init` or pass --config FILE"
    ]


def test_guide_without_screenshots_names_each_missing_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ねんきんネット guide with no pictures: one line per step, at its scenario line."""
    monkeypatch.chdir(tmp_path)
    argv = ["guide", "--config", str(ROOT / "guide.yaml"), "--scenarios", str(ROOT / "scenarios")]
    assert main([*argv, "--screenshots", "empty", "--device", "android"]) == USAGE_ERROR
    found = lines(capsys.readouterr().err)
    assert found[-1] == "84 problem(s); nothing was built"  # every android step
    assert found[0].startswith(f"{ROOT}/scenarios/e-application.yaml:")
    assert ": caption: no approved android screenshot of step 1 in empty/android/" in found[0]
    assert not (tmp_path / "guide").exists()


def test_guide_device_must_be_an_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["guide", "--config", str(ROOT / "guide.yaml"), "--scenarios", str(ROOT / "scenarios")]
    assert main([*argv, "--screenshots", str(ROOT / "screenshots"), "--device", "Pixel 5"]) == 2
    assert lines(capsys.readouterr().err) == [
        f"error: --device Pixel 5: {ROOT}/guide.yaml has editions for android, iphone"
    ]


def test_committed_guide_schema_matches_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--guide"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema()
    assert json.loads((ROOT / "guide.schema.json").read_text("utf-8")) == printed, (
        "guide.schema.json is stale: run `guideshot schema --guide > guide.schema.json`"
    )


def test_the_projects_guide_lints_clean(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["lint"]) == 0
    assert capsys.readouterr().err == "scenarios and guide ok\n"
