"""The verdict on two real applications nobody here wrote (issue 20's acceptance).

Django's admin (server-rendered, a login and forms, a flow that creates and deletes a record)
and a MkDocs Material site (static, a search overlay), each started on loopback, driven
through the CLI as a newcomer would: `run`, then unchanged `check`s with no false alarm
(rendering noise is allowed: it passes, counted apart), then a realistic change — the
site's name in its header — reported as one grouped sentence naming every step it shows on,
and clean again once the change is reverted.

The soak of the acceptance (ten checks per application) is this test with
GUIDESHOT_SOAK_CHECKS=10; CI runs one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness.thirdparty.django_admin import django_admin
from tests.harness.thirdparty.mkdocs_site import SITE_NAME, build, mkdocs_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOWS = Path(__file__).parent / "thirdparty" / "flows"
CHECKS = int(os.environ.get("GUIDESHOT_SOAK_CHECKS", "1"))
PASSING = {"match", "noise"}


@dataclass(frozen=True)
class Outcome:
    status: int
    said: str  # the console, its lines joined
    report: dict[str, Any]

    def drifted(self) -> set[tuple[str, str, int]]:
        return {
            (flow["device"], flow["flow"], step["number"])
            for flow in self.report["report"]["flows"]
            for step in flow["steps"]
            if step["status"] not in PASSING
        }


@dataclass(frozen=True)
class Project:
    folder: Path

    def guideshot(self, verb: str, url: str, *more: str) -> Outcome:
        report = self.folder / "report"
        where = (
            ["--out", "shots"] if verb == "run" else ["--baseline", "shots", "--report", "report"]
        )
        command = [sys.executable, "-m", "harness", verb, "--scenarios", "flows", "--base-url", url]
        done = subprocess.run(
            [*command, *where, *more],
            cwd=self.folder,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "400"},  # one console line per sentence
            timeout=900,
        )
        said = done.stdout + done.stderr
        document = (
            json.loads((report / "report.json").read_text("utf-8")) if verb == "check" else {}
        )
        return Outcome(done.returncode, said, document)


def project(folder: Path, *flow_folders: str) -> Project:
    for name in flow_folders:
        for scenario in (FLOWS / name).glob("*.yaml"):
            (folder / "flows").mkdir(parents=True, exist_ok=True)
            shutil.copy(scenario, folder / "flows" / scenario.name)
    return Project(folder)


def stays_clean(project: Project, url: str) -> None:
    for attempt in range(CHECKS):
        checked = project.guideshot("check", url)
        assert checked.status == 0, f"check {attempt + 1} of {CHECKS}: {checked.said}"
        assert checked.drifted() == set()
        print(f"check {attempt + 1}: {checked.report['counts']}")


def one_sentence(checked: Outcome, old: str, new: str) -> str:
    """The one console line saying old is now new; it names every step that changed."""
    assert checked.status == 1, checked.said
    lines = [line for line in checked.said.splitlines() if f"「{old}」 is now 「{new}」" in line]
    assert len(lines) == 1, checked.said
    groups = checked.report["groups"]
    assert len(groups) == 1, groups
    members = {(m["device"], m["flow"], m["number"]) for m in groups[0]["steps"]}
    assert members == checked.drifted() and {d for d, _, _ in members} == {"android", "iphone"}
    assert f"group {groups[0]['id']}" in lines[0]
    print(lines[0])  # the sentence, for the closing note of a soak (pytest -s)
    return lines[0]


def test_djangos_admin_clean_then_one_renamed_header_then_clean(tmp_path: Path) -> None:
    data = tmp_path / "django"
    data.mkdir()
    admin = project(tmp_path / "project", "django", "django-state")
    with django_admin(data) as served:
        port = int(served.url.rsplit(":", 1)[1])
        ran = admin.guideshot("run", served.url)
        assert ran.status == 0, ran.said
        stays_clean(admin, served.url)
    renamed = "Garden administration"  # as long as Django's own: a new name, no new layout
    with django_admin(data, header=renamed, port=port) as served:
        line = one_sentence(admin.guideshot("check", served.url), "Django administration", renamed)
        assert "android" in line.lower() and "iphone" in line.lower()
    with django_admin(data, port=port) as served:
        stays_clean(admin, served.url)


def test_mkdocs_site_clean_then_one_renamed_site_then_clean(tmp_path: Path) -> None:
    docs = project(tmp_path / "project", "mkdocs")
    (tmp_path / "site").mkdir()
    with mkdocs_site(tmp_path / "site") as served:
        ran = docs.guideshot("run", served.url)
        assert ran.status == 0, ran.said
        stays_clean(docs, served.url)
        renamed = "Garden club guidebook"
        build(tmp_path / "site", site_name=renamed)
        one_sentence(docs.guideshot("check", served.url), SITE_NAME, renamed)
        build(tmp_path / "site")
        stays_clean(docs, served.url)
