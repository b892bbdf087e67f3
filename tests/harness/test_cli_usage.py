"""The CLI's usage errors and small verbs: exit statuses and the exact one-line messages.

No browser is launched here. Each test works in a temporary folder, so ./.guideshot and any
output land there and the repository is never written to.
"""

from __future__ import annotations

import json
import re
import selectors
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from harness.cli import main
from harness.scenario.load import load_all

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
USAGE_ERROR = 2

HEAD = "id: f\nsection: S\ntitle: T\ndevices: [android]\nstart: /\nsteps:\n"
ACTIONS = "tap, fill, type, select, check, scroll, press, wait_for, expect, goto, hook"
# Two broken files and the exact line each one's problem gives (paths as passed: relative).
MALFORMED = {
    "f.yaml": (
        HEAD + "  - caption: 押す\n    action: tapp\n    target: {text: x}\n",
        f"scenarios/f.yaml:8: steps[0].action: unknown action 'tapp' (expected one of: {ACTIONS})",
    ),
    "g.yaml": (
        "id: g\nsection: S\ndevices: [android]\nstart: /\nsteps:\n"
        "  - caption: 押す\n    action: tap\n    target: {text: x}\n",
        "scenarios/g.yaml:1: title: required key missing",
    ),
}


def guideshot(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m harness …` in a fresh process (the cwd is set by the caller's monkeypatch)."""
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_unknown_flow_lists_the_known_flow_ids(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["run", "--flow", "serch-android", "--scenarios", str(SCENARIOS)])
    captured = capsys.readouterr()
    assert status == USAGE_ERROR
    known = ", ".join(sorted(flow.id for flow in load_all(SCENARIOS)))
    assert len(known.split(", ")) == 11
    assert captured.err == f"error: --flow: unknown flow 'serch-android' (known: {known})\n"
    assert captured.out == ""
    assert not (in_tmp / "screenshots").exists()


def test_unknown_device_lists_android_and_iphone(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["run", "--device", "nokia", "--scenarios", str(SCENARIOS)])
    captured = capsys.readouterr()
    assert status == USAGE_ERROR
    assert captured.err.startswith(
        "error: --device: unknown device 'nokia' (known: android, iphone, or any Playwright "
    )
    assert captured.err.count("\n") == 1


def test_malformed_scenarios_give_one_line_per_problem_and_no_traceback(in_tmp: Path) -> None:
    folder = in_tmp / "scenarios"
    folder.mkdir()
    for name, (text, _line) in MALFORMED.items():
        (folder / name).write_text(text, "utf-8")

    result = guideshot("run", "--scenarios", "scenarios", "--out", "shots")

    assert result.returncode == USAGE_ERROR
    assert result.stderr.splitlines() == [line for _text, line in MALFORMED.values()]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (in_tmp / "shots").exists() and not (in_tmp / ".guideshot").exists()


def test_lint_accepts_the_projects_scenarios(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(SCENARIOS)]) == 0
    assert capsys.readouterr().err == "scenarios ok\n"


def test_schema_prints_the_json_schema_on_stdout(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema"]) == 0
    captured = capsys.readouterr()
    schema = json.loads(captured.out)
    assert "$defs" in schema and "properties" in schema
    assert {"id", "title", "devices", "steps"} <= set(schema["properties"])
    assert captured.err == ""


def test_python_m_harness_help(in_tmp: Path) -> None:
    result = guideshot("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: guideshot ")
    for verb in ("run", "check", "approve", "serve", "lint", "schema", "guide"):
        assert re.search(rf"^\s+{verb}\s", result.stdout, re.MULTILINE), verb


def test_serve_prints_its_address_and_serves_it(in_tmp: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=60), "serve printed nothing within 60 s"
        address = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", address), address
        with urllib.request.urlopen(address + "_sim/health", timeout=10) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"ok": True}
        with urllib.request.urlopen(address + "phone/", timeout=10) as response:
            assert response.status == 200
            assert "text/html" in response.headers["Content-Type"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
        if process.stderr is not None:
            process.stderr.close()
