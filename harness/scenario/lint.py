"""Check scenario files without running them: every problem in every file, one line each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from harness.scenario.errors import Problem
from harness.scenario.load import check, duplicate_ids, ordered
from harness.scenario.model import Flow

__all__ = ["Problem", "lint_paths"]


def lint_paths(paths: Sequence[Path]) -> list[Problem]:
    """Problems in the given files and folders; empty when all is well.

    A folder means its *.yaml flows plus every fragment in its fragments/ subfolder (unused
    ones too); a file uses the fragments beside it (or is a fragment, inside fragments/).
    """
    flows: dict[str, Flow] = {}  # by file: a file named twice is still one flow
    problems: list[Problem] = []
    for path in paths:
        found, trouble = _lint_one(path)
        flows.update((flow.source.file, flow) for flow in found)
        problems += trouble
    return ordered([*problems, *duplicate_ids(flows.values())])


def _lint_one(path: Path) -> tuple[list[Flow], list[Problem]]:
    if path.is_dir():
        if path.name == "fragments":
            return check([], path, sorted(path.glob("*.yaml")))
        flow_paths = sorted(path.glob("*.yaml"))
        if not flow_paths:
            return [], [Problem(str(path), None, "", "no scenario files (*.yaml) in this folder")]
        fragments = path / "fragments"
        return check(flow_paths, fragments, sorted(fragments.glob("*.yaml")))
    if not path.exists():
        return [], [Problem(str(path), None, "", "no such file or folder")]
    if path.parent.name == "fragments":
        return check([], path.parent, [path])
    return check([path], path.parent / "fragments")
