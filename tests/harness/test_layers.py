"""The folders show the architecture, and imports go one way: judging, reporting and
staging read capture records without a browser, and nothing imports the CLI back."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parents[2] / "harness"


@pytest.mark.parametrize("module", ["harness.drift.flow", "harness.report", "harness.store"])
def test_judging_and_reporting_never_import_playwright(module: str) -> None:
    probe = f"import sys, {module}; print(any(m.startswith('playwright') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_only_the_cli_imports_the_cli() -> None:
    offenders = []
    for path in HARNESS.rglob("*.py"):
        if path.parent.name == "cli" or path.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("harness.cli"):
                offenders.append(f"{path.relative_to(HARNESS)}:{node.lineno}")
    assert offenders == []


def test_scenarios_load_without_the_capture_layer() -> None:
    """The capture layer reads scenarios; scenarios never reach back into it."""
    offenders = []
    for path in (HARNESS / "scenario").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "harness.capture"
            ):
                offenders.append(f"{path.relative_to(HARNESS)}:{node.lineno}")
    assert offenders == []


def test_only_the_embedded_target_module_imports_the_simulator() -> None:
    """The harness knows the simulator only as the default site it can start: the guide's
    frame clock is a guide.yaml setting and the page clock comes from capture/target.py."""
    importers = set()
    for path in HARNESS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(name == "simulator" or name.startswith("simulator.") for name in names):
                importers.add(path.relative_to(HARNESS).as_posix())
    assert importers == {"capture/target.py"}
