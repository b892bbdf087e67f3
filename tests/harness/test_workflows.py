"""The CI workflows are valid GitHub Actions files (check-jsonschema's vendored schema, offline)
and wire the flows the README describes: check on every push; on a schedule or by hand,
check, approve from the report, rebuild the guide and propose it as a pull request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_workflow_is_valid() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["guide-check.yml", "guide-propose.yml"]
    result = validate(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "guide-propose.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    result = validate(broken)
    assert result.returncode == 1
    assert "runs_on" in result.stdout + result.stderr


def _steps(workflow: dict[Any, Any], job: str) -> list[dict[str, Any]]:
    steps = workflow["jobs"][job]["steps"]
    assert isinstance(steps, list)
    return steps


def test_guide_check_still_checks_every_push_and_uploads_the_report() -> None:
    workflow = load("guide-check.yml")
    assert {"push", "pull_request", "schedule"} <= set(workflow[True])  # YAML 1.1: on → True
    runs = " ".join(step.get("run", "") for step in _steps(workflow, "check"))
    assert "guideshot check" in runs and "--shard" in runs
    merges = " ".join(step.get("run", "") for step in _steps(workflow, "merge"))
    assert "guideshot merge" in merges and "--report report" in merges
    # The one report a person downloads (and `approve --from` takes) is the merged one.
    (upload,) = [s for s in _steps(workflow, "merge") if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == "report/"


def test_guide_propose_approves_from_the_report_and_opens_a_pull_request() -> None:
    workflow = load("guide-propose.yml")
    assert set(workflow[True]) == {"workflow_dispatch", "schedule"}  # never on push
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    steps = _steps(workflow, "propose")
    (check,) = [s for s in steps if s.get("id") == "check"]
    assert "guideshot check" in check["run"] and "report/summary.md" in check["run"]
    on_drift = [s for s in steps if s.get("if") == "steps.check.outputs.status == '1'"]
    assert len(on_drift) == 2
    approve, pull_request = on_drift
    assert "guideshot approve --from report" in approve["run"]
    assert "guideshot guide" in approve["run"]
    assert pull_request["uses"].startswith("peter-evans/create-pull-request@")
    assert pull_request["with"]["body-path"] == "report/summary.md"
    assert pull_request["with"]["add-paths"].split() == ["screenshots/**", "guide/*.pdf"]


@pytest.mark.parametrize("name", ["guide-check.yml", "guide-propose.yml"])
def test_workflows_run_where_screenshots_are_approved(name: str) -> None:
    jobs = load(name)["jobs"]
    assert all(job["container"] == "python:3.11-bookworm" for job in jobs.values())
