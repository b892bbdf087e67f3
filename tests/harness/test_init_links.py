"""`init` writes only inside the folder it creates: a symbolic link where a file or folder
of the project goes (dangling, or a linked scenarios/) is one line, exit status 2, and
nothing is written, through the link or anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import main
from tests.harness.folder_state import state

USAGE_ERROR = 2


@pytest.fixture
def decoy(tmp_path: Path) -> Path:
    """A folder outside the project, which a link points into."""
    folder = tmp_path / "decoy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    return folder


def init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["init", str(tmp_path / "guide"), "--title", "手引き"])
    return status, capsys.readouterr().err.splitlines()


def test_a_dangling_link_for_a_starter_file_is_refused(
    tmp_path: Path, decoy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "guide"
    (project / "scenarios").mkdir(parents=True)
    (project / "scenarios" / "example.yaml").symlink_to(decoy / "planted.yaml")  # dangling
    before = state(tmp_path)

    status, lines = init(tmp_path, capsys)

    assert status == USAGE_ERROR
    assert lines == [
        f"error: {project}/scenarios/example.yaml is a symbolic link; `guideshot init` writes "
        f"only inside {project}, never through a link: remove the link or choose another folder"
    ]
    assert state(tmp_path) == before  # nothing in the decoy, nothing in the project


def test_a_linked_scenarios_folder_is_refused(
    tmp_path: Path, decoy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "guide"
    project.mkdir()
    (project / "scenarios").symlink_to(decoy)
    before = state(tmp_path)

    status, lines = init(tmp_path, capsys)

    assert status == USAGE_ERROR
    assert lines == [
        f"error: {project}/scenarios is a symbolic link; `guideshot init` writes only inside "
        f"{project}, never through a link: remove the link or choose another folder"
    ]
    assert state(tmp_path) == before


def test_a_linked_workflow_folder_deep_inside_is_refused(
    tmp_path: Path, decoy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "guide"
    (project / ".github").mkdir(parents=True)
    (project / ".github" / "workflows").symlink_to(decoy)
    before = state(tmp_path)

    status, lines = init(tmp_path, capsys)

    assert status == USAGE_ERROR
    assert lines[0].startswith(f"error: {project}/.github/workflows is a symbolic link")
    assert state(tmp_path) == before


def test_a_project_without_links_is_written(
    tmp_path: Path, decoy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = state(decoy)
    status, _lines = init(tmp_path, capsys)
    assert status == 0
    assert (tmp_path / "guide" / "scenarios" / "example.yaml").is_file()
    assert state(decoy) == before
