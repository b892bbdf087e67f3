"""One line per change, through the CLI: a footer link renamed on every page of the site is
one sentence in `check`, summary.md and the HTML report, naming every step and its printed
page; `approve --from REPORT --group ID` takes exactly those steps; review approves the
group in one request and Undo puts all of it back.

The project: two flows (login-userid, e-application) on both phones, against a site whose
every page carries a notice fixed to the foot of the screen (the simulator behind the
rewriting proxy, which adds it), so one text is on every step. After approval the notice's
wording changes, to words of the same width so that nothing else on the screens moves.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.drift.groups import group_changes, where
from harness.drift.verdict import StepStatus
from harness.report import load_json
from harness.report.editions import edition_label
from harness.review.guard import TOKEN_HEADER
from simulator import create_app
from simulator.server import start_server
from tests.harness.drift_proxy import rewriting_proxy
from tests.harness.reviewing import review_process, tree_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
GUIDE = ROOT / "guide"  # the committed editions, only read: their pages name the steps
FLOWS = ("login-userid", "e-application")
DEVICES = ("android", "iphone")
OLD, NEW = "練習用サイトのお知らせ", "練習用サイトのご案内"  # the same width: nothing moves
NOTICE = (
    ".gs-notice { position: fixed; left: 8px; bottom: 8px; z-index: 99; pointer-events: none;"
    " background: #fff7d6; border: 1px solid #b08800; padding: 2px 6px; font-size: 14px; }"
)


def notice(text: str) -> list[tuple[str, str]]:
    """The substitution that puts the notice on every page."""
    return [("</body>", f'<div class="gs-notice">{text}</div></body>')]


GUIDESHOT = [sys.executable, "-m", "harness"]
SELECTION = [*(arg for flow in FLOWS for arg in ("--flow", flow)), "--scenarios", str(SCENARIOS)]


@dataclass(frozen=True)
class Checked:
    root: Path
    baseline: Path  # approved before the change (never changed: tests copy it)
    report: Path  # the check of the changed site
    stderr: str
    site: str  # the changed site's address, alive for the module


def guideshot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*GUIDESHOT, *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    root = tmp_path_factory.mktemp("groups")
    baseline, report = root / "shots", root / "report"
    with start_server(create_app()) as server:
        with rewriting_proxy(server.url, notice(OLD), NOTICE) as plain:
            ran = guideshot(
                "run", "--base-url", plain.url, "--out", str(baseline), *SELECTION, cwd=root
            )
        assert ran.returncode == 0, ran.stderr
        with rewriting_proxy(server.url, notice(NEW), NOTICE) as changed:
            check = guideshot(
                "check",
                "--base-url",
                changed.url,
                "--baseline",
                str(baseline),
                "--report",
                str(report),
                "--guide",
                str(GUIDE),
                *SELECTION,
                cwd=root,
            )
            assert check.returncode == 1, check.stderr
            assert changed.hits["</body>"] > 0
            yield Checked(root, baseline, report, check.stderr, changed.url)


def own_copy(checked: Checked, tmp_path: Path) -> Path:
    baseline = tmp_path / "shots"
    shutil.copytree(checked.baseline, baseline)
    return baseline


def test_check_says_the_rename_once_naming_every_step_and_page(checked: Checked) -> None:
    report = load_json((checked.report / "report.json").read_text(encoding="utf-8"))
    steps = report.steps()
    assert {(s.device, s.flow) for s in steps} == {(d, f) for d in DEVICES for f in FLOWS}
    assert all(s.status is StepStatus.DRIFT for s in steps)
    assert all(s.device in s.guide_page for s in steps)  # every step found in its edition
    (group,) = group_changes(report)
    assert group.what == f"「{OLD}」 is now 「{NEW}」"
    assert sorted(group.members()) == sorted((s.device, s.flow, s.number) for s in steps)
    sentence = f"「{OLD}」 is now 「{NEW}」 on {len(steps)} steps: {where(steps, edition_label)}"
    assert group.sentence(edition_label) == sentence
    for device in DEVICES:  # every page of every step is named
        for step in (s for s in steps if s.device == device):
            assert f"p.{step.guide_page[device]}" in sentence.split(edition_label(device))[1]

    # The console: that one line, instead of one or two per step, and nothing else changed.
    lines = checked.stderr.splitlines()
    changes = [line for line in lines if line.endswith(f"(group {group.id})")]
    assert changes == [f"text changed: {sentence} (group {group.id})"], checked.stderr
    assert sum(OLD in line for line in lines) == 1
    assert not any(re.search(r"step [①-⑳]", line) for line in lines), checked.stderr

    # summary.md and index.html: the change once, before the steps.
    summary = (checked.report / "summary.md").read_text(encoding="utf-8")
    assert summary.count(sentence) == 1
    assert summary.index(sentence) < summary.index("| device | flow |")
    document = json.loads((checked.report / "report.json").read_text(encoding="utf-8"))
    assert [(g["id"], g["sentence"], len(g["steps"])) for g in document["groups"]] == [
        (group.id, sentence, len(steps))
    ]
    html = (checked.report / "index.html").read_text(encoding="utf-8")
    assert html.count(sentence) == 1
    assert html.index(sentence) < html.index('class="overview"')
    for step in steps:  # each step linked to its section
        anchor = f"{step.flow}--{step.device}--{step.number}"
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html


def test_approve_a_group_from_the_report_takes_exactly_its_steps(
    checked: Checked, tmp_path: Path
) -> None:
    baseline = own_copy(checked, tmp_path)
    before = tree_digest(baseline)
    report = load_json((checked.report / "report.json").read_text(encoding="utf-8"))
    (group,) = group_changes(report)

    unknown = guideshot(
        "approve", "--from", str(checked.report), "--group", "feedface00",
        "--baseline", str(baseline), cwd=tmp_path,
    )  # fmt: skip
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        f"error: --from {checked.report}: no change has the group id 'feedface00'; "
        f"its changes: {group.id} (text changed, {len(group.steps)} steps)"
    ]
    assert tree_digest(baseline) == before

    approved = guideshot(
        "approve", "--from", str(checked.report), "--group", group.id,
        "--baseline", str(baseline), cwd=tmp_path,
    )  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    replaced = sorted(
        line.split()[1] for line in approved.stderr.splitlines() if line.startswith("replaced")
    )
    expected = sorted(
        f"{s.device}/{s.flow}/{name}"
        for s in group.steps
        for name in [
            p.name
            for p in (baseline / s.device / s.flow).glob(f"{s.number:02d}-*.png")
            if not p.name.endswith(".raw.png")
        ]
    )
    assert replaced == expected
    after = tree_digest(baseline)
    changed = {name.split("/")[0] + "/" + name.split("/")[1] + "/" + name.split("/")[2][:2]
               for name in after if after[name] != before.get(name)}  # fmt: skip
    assert changed == {f"{s.device}/{s.flow}/{s.number:02d}" for s in group.steps}

    again = guideshot(
        "check", "--base-url", checked.site, "--baseline", str(baseline),
        "--report", str(tmp_path / "again"), *SELECTION, cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "(group " not in again.stderr


def test_review_approves_a_group_in_one_request_and_undo_puts_all_of_it_back(
    checked: Checked, tmp_path: Path
) -> None:
    baseline = own_copy(checked, tmp_path)
    before = tree_digest(baseline)
    report = load_json((checked.report / "report.json").read_text(encoding="utf-8"))
    (group,) = group_changes(report)
    with review_process(checked.report, baseline) as review:
        page = review.send("GET", "/").text
        assert page.count(group.sentence(edition_label)) == 1
        assert f'data-group="{group.id}"' in page
        headers = {"Origin": review.origin, TOKEN_HEADER: review.token()}
        # The guard is the same for a group: no token, no change.
        refused = review.action("approve", {"group": group.id}, {"Origin": review.origin})
        assert refused.status == 403
        assert tree_digest(baseline) == before

        answer = review.action("approve", {"group": group.id}, headers)
        assert answer.status == 200, answer.text
        body = json.loads(answer.body)
        assert len(body["approved"]) == len(group.steps)
        decisions = body["decisions"]
        assert {decisions[f"{d}/{f}/{n}"] for d, f, n in group.members()} == {"approved"}
        after = tree_digest(baseline)
        assert {name[: name.rindex("/") + 3] for name in after if after[name] != before[name]} == {
            f"{s.device}/{s.flow}/{s.number:02d}" for s in group.steps
        }

        undone = review.action("undo", {}, headers)
        assert undone.status == 200, undone.text
        assert len(json.loads(undone.body)["restored"]) == len(group.steps)
        assert tree_digest(baseline) == before
        assert json.loads(undone.body)["can_undo"] is False

        rejected = review.action("reject", {"group": group.id}, headers)
        assert rejected.status == 200
        assert set(json.loads(rejected.body)["decisions"].values()) == {"rejected"}
        assert tree_digest(baseline) == before
        status, stderr = review.stop(signal.SIGINT)
    assert status == 130
    assert f"0 approved, {len(group.steps)} rejected, 0 pending" in stderr
