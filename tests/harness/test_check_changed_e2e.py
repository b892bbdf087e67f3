"""`check --changed`: only the flows whose scenario or fragments changed since their
screenshots were approved (the last commit touching them), in a real git work tree."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from harness.capture.changed import changed_jobs
from harness.capture.devices import resolve_device
from harness.capture.pipeline import plan_jobs
from harness.cli import main
from harness.scenario.load import load_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ("login-userid", "pension-records", "notices")  # the last two include the fragment
FRAGMENT = Path("scenarios/fragments/nenkin-login-userid.yaml")


def git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=guideshot test", "-c", "user.email=test@example.invalid"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def check_changed(repo: Path) -> tuple[int, list[str]]:
    stderr = io.StringIO()
    args = ["check", "--changed", "--device", "android"]
    args += [arg for flow in FLOWS for arg in ("--flow", flow)]
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(repo)
        status = main(args)
    document = json.loads((repo / "report" / "report.json").read_text(encoding="utf-8"))
    return status, [flow["flow"] for flow in document["flows"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    for flow in FLOWS:
        shutil.copytree(
            ROOT / "screenshots" / "android" / flow, tmp_path / "screenshots" / "android" / flow
        )
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "approved")
    return tmp_path


def test_only_flows_including_an_edited_fragment_are_checked(repo: Path) -> None:
    assert check_changed(repo) == (0, [])  # nothing changed since approval: nothing to run

    with (repo / FRAGMENT).open("a", encoding="utf-8") as fragment:
        fragment.write("# a note for the next author\n")
    # Which flows ran is the point; their verdicts are the drift tests' business.
    _status, checked = check_changed(repo)
    assert checked == ["pension-records", "notices"]


def test_a_committed_edit_still_counts_until_the_screens_are_approved(repo: Path) -> None:
    with (repo / "scenarios" / "login-userid.yaml").open("a", encoding="utf-8") as scenario:
        scenario.write("# reworded later\n")
    git(repo, "commit", "-qam", "edit the scenario")
    with sync_playwright() as playwright:
        android = resolve_device(playwright, "android")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        flows = [flow for flow in load_all(Path("scenarios")) if flow.id in FLOWS]
        changed = changed_jobs(plan_jobs(flows, [android]), Path("screenshots"))
    assert [job.flow.id for job in changed] == ["login-userid"]


def test_outside_git_changed_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(tmp_path)
        patch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
        status = main(["check", "--changed", "--flow", "login-userid"])
    assert status == 2
    assert stderr.getvalue().startswith("error: --changed: needs a git work tree")
