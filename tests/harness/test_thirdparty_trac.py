"""Trac (an issue tracker with a wiki, from PyPI) driven as a newcomer drives it: the CLI only.

Three flows written from the docs, `guideshot locate` and `guideshot record --script`
(tests/harness/thirdparty/flows/trac/): file a ticket (fields, two selects, a submit;
cleanup deletes it), preview a wiki edit, search. The phones ask for Japanese pages and
Trac answers in Japanese. `lint`, `run -j 2`, two clean `check`s on both phones, then the
project renamed in trac.ini (Trac reloads it) is one grouped sentence.

Each defect the flows met has its test here, on Trac's own pages:
- `locate` with the English words of a page Trac translated says the page's language and
  the one the phone asks for, where it said only that nothing matched;
- a field with two <label>s (Trac's 「詳細:」 and its hint) is proposed and recorded by its
  first label, not by both joined (a `label:` no page matches);
- two alike elements (the header's 「検索」 button and the search page's) get a target with
  `nth` from `locate` and the recorder, where they got nothing;
- an entry waits for what the page does a moment later (Trac previews a new ticket 2 s
  after the last key or choice), so the picture never depends on the machine's speed: the
  flows here on Trac itself, and tests/harness/test_entry_answers.py on built pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.harness.thirdparty.trac_site import PROJECT, TracSite, admin, trac_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLOWS = Path(__file__).parent / "thirdparty" / "flows" / "trac"
CHECKS = int(os.environ.get("GUIDESHOT_SOAK_CHECKS", "2"))
PASSING = {"match", "noise"}
DEVICES = ("android", "iphone")


@pytest.fixture(scope="module")
def trac(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TracSite]:
    with trac_site(tmp_path_factory.mktemp("trac")) as started:
        yield started


@dataclass(frozen=True)
class Said:
    status: int
    out: str  # stdout and stderr


def guideshot(folder: Path, *args: str) -> Said:
    done = subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},  # one console line per sentence
        timeout=600,
    )
    return Said(done.returncode, done.stdout + done.stderr)


def check(folder: Path, url: str) -> tuple[Said, dict[str, Any]]:
    said = guideshot(
        folder, "check", "--scenarios", "flows", "--base-url", url, "-j", "2",
        "--baseline", "shots", "--report", "report",
    )  # fmt: skip
    return said, json.loads((folder / "report" / "report.json").read_text("utf-8"))


def drifted(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {
        (flow["device"], flow["flow"], step["number"])
        for flow in report["report"]["flows"]
        for step in flow["steps"]
        if step["status"] not in PASSING
    }


def test_trac_flows_check_clean_then_a_renamed_project_is_one_sentence(
    trac: TracSite, tmp_path: Path
) -> None:
    shutil.copytree(FLOWS, tmp_path / "flows")
    linted = guideshot(tmp_path, "lint", "flows")
    assert linted.status == 0, linted.out
    ran = guideshot(
        tmp_path, "run", "--scenarios", "flows", "--base-url", trac.url, "-j", "2",
        "--out", "shots",
    )  # fmt: skip
    assert ran.status == 0, ran.out
    for device in DEVICES:
        assert len(list((tmp_path / "shots" / device).glob("*/*.raw.png"))) == 7
        # the ticket's preview, which Trac draws 2 s after the last key, is in the picture
        first = next((tmp_path / "shots" / device / "file-ticket").glob("01-*.json"))
        assert "(まだ作成していません)" in json.loads(first.read_text("utf-8"))["visible_text"]
    for attempt in range(CHECKS):
        said, report = check(tmp_path, trac.url)
        assert said.status == 0, f"check {attempt + 1}: {said.out}"
        assert drifted(report) == set()
    renamed = "Garden club tracker"
    admin(trac.env, "config", "set", "project", "name", renamed)  # Trac reloads trac.ini
    try:
        said, report = check(tmp_path, trac.url)
    finally:
        admin(trac.env, "config", "set", "project", "name", PROJECT)
    assert said.status == 1, said.out
    sentence = f"「{PROJECT}」 is now 「{renamed}」"
    lines = [line for line in said.out.splitlines() if sentence in line]
    assert len(lines) == 1, said.out
    (group,) = report["groups"]
    assert f"group {group['id']}" in lines[0] and "14 steps" in lines[0], lines[0]
    members = {(m["device"], m["flow"], m["number"]) for m in group["steps"]}
    assert members == drifted(report) and {d for d, _, _ in members} == set(DEVICES)
    print(lines[0])


def test_locate_says_the_pages_language_proposes_first_labels_and_nth_among_alike(
    trac: TracSite, tmp_path: Path
) -> None:
    english = guideshot(tmp_path, "locate", f"{trac.url}/newticket", "Summary")
    assert english.status == 1
    assert english.out.endswith(
        "shows or is named 「Summary」; the page is in ja (the phone asks for ja-JP pages)\n"
    ), english.out
    described = guideshot(tmp_path, "locate", f"{trac.url}/newticket", "詳細")
    assert "{label: 詳細}  # textbox 「詳細: WikiFormatting が使えます。」" in described.out
    searched = guideshot(tmp_path, "locate", f"{trac.url}/search", "検索")
    lines = searched.out.splitlines()
    # the header's button first, the search page's own second
    assert "{role: button, name: 検索, exact: true, nth: 0}  # button 「検索」" in lines
    assert "{role: button, name: 検索, exact: true, nth: 1}  # button 「検索」" in lines
    assert not any(line.endswith("「」") for line in lines), searched.out


def test_record_writes_a_fields_first_label_and_a_second_alike_button(
    trac: TracSite, tmp_path: Path
) -> None:
    (tmp_path / "ticket.yaml").write_text(
        "- fill: {label: 詳細, value: 物置の横の畝は昼から日陰がない。}\n", "utf-8"
    )
    (tmp_path / "search.yaml").write_text(
        "- fill: {label: 検索, exact: true, value: sandbox}\n"
        "- tap: {role: button, name: 検索, exact: true, nth: 1}\n",
        "utf-8",
    )
    for name, page in (("ticket", "/newticket"), ("search", "/search")):
        said = guideshot(
            tmp_path, "record", trac.url + page, "--out", f"{name}-flow.yaml",
            "--script", f"{name}.yaml", "--lang", "ja",
        )  # fmt: skip
        assert said.status == 0, said.out
    ticket = (tmp_path / "ticket-flow.yaml").read_text("utf-8")
    assert "caption: 「詳細」に入力する" in ticket and "target: {label: 詳細}" in ticket
    search = (tmp_path / "search-flow.yaml").read_text("utf-8")
    assert "target: {role: button, name: 検索, exact: true, nth: 1}" in search, search
    linted = guideshot(tmp_path, "lint", "ticket-flow.yaml", "search-flow.yaml")
    assert linted.status == 0, linted.out
