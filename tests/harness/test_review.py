"""`guideshot review` in real Chromium: the CLI serves a real check's report on 127.0.0.1;
clicks approve (files change), undo (they come back), approve-all, reject; Ctrl-C stops it.

The report comes from a real check: register-userid drifts (a restyled footer) and
login-userid breaks (its login button removed), so a broken step shows its failure screen.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from harness.capture.browser import find_chromium, launch
from harness.cli import main
from harness.drift.verdict import StepStatus
from harness.report import load_json
from harness.review.guard import TOKEN_HEADER
from simulator import create_app
from simulator.server import start_server
from tests.harness.drift_proxy import rewriting_proxy
from tests.harness.reviewing import Reviewing, review_process, tree_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
DEVICE = "android"
DRIFTING, BREAKING = "register-userid", "login-userid"
FOOTER = ".nk-footer { background: #ffd0a0 !important; }"
LOGIN_BUTTON = '<button class="nk-bigbutton" type="submit">ログイン</button>'


@dataclass(frozen=True)
class Checked:
    baseline: Path
    report: Path


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    root = tmp_path_factory.mktemp("review")
    baseline, report = root / "shots", root / "report"
    flows = ["--flow", DRIFTING, "--flow", BREAKING, "--device", DEVICE]
    common = ["--scenarios", str(SCENARIOS), *flows]
    with start_server(create_app()) as server, pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        with rewriting_proxy(server.url) as plain:
            assert main(["run", "--base-url", plain.url, "--out", str(baseline), *common]) == 0
        changed = rewriting_proxy(server.url, [(LOGIN_BUTTON, "")], FOOTER)
        with changed as site:
            check = ["check", "--base-url", site.url, "--baseline", str(baseline)]
            status = main([*check, "--report", str(report), *common])
        assert status == 1
    steps = load_json((report / "report.json").read_text(encoding="utf-8")).steps()
    assert {(s.flow, s.number): s.status for s in steps if s.flow == DRIFTING} == {
        (DRIFTING, n): StepStatus.DRIFT for n in (1, 2, 3, 4)
    }
    assert any(s.status is StepStatus.BROKEN and s.failed_image for s in steps)
    return Checked(baseline, report)


@pytest.fixture
def reviewing(checked: Checked, tmp_path: Path) -> Iterator[Reviewing]:
    baseline = tmp_path / "shots"
    shutil.copytree(checked.baseline, baseline)
    # Relative paths, as a person types them (from the report's parent folder).
    with review_process(checked.report, baseline) as review:
        yield review


def step_files(baseline: Path, number: int) -> dict[str, str]:
    digest = tree_digest(baseline / DEVICE / DRIFTING)
    return {name: sha for name, sha in digest.items() if name.startswith(f"{number:02d}-")}


def carried(report: Path, number: int) -> dict[str, str]:
    """The hashes of the step's files as the report carries them."""
    manifest = json.loads(
        (report / "captures" / DEVICE / DRIFTING / "manifest.json").read_text(encoding="utf-8")
    )
    (step,) = [s for s in manifest["steps"] if s["number"] == number]
    return dict(step["sha256"])


def test_approve_undo_approve_all_reject_then_ctrl_c(
    checked: Checked, reviewing: Reviewing
) -> None:
    original = tree_digest(reviewing.baseline)
    with sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(reviewing.url)
        drifting = page.locator(f'section.review-flow[data-flow="{DRIFTING}"]')
        third = drifting.locator('article.step[data-step="3"]')
        expect(third.locator(".caption")).not_to_be_empty()
        expect(third.locator(".sentence").first).to_contain_text("step ③")
        for label in ("Approved", "Current"):
            image = third.locator(f'figure:has(figcaption:text-is("{label}")) img')
            expect(image).to_have_count(1)
            assert image.evaluate("i => i.complete && i.naturalWidth > 0")

        # Approve one step: its three files become the report's, nothing else changes.
        third.get_by_role("button", name="Approve step ③").click()
        expect(third.locator(".decision")).to_have_text("approved")
        after = tree_digest(reviewing.baseline)
        changed = sorted(n for n in after if after[n] != original.get(n))
        assert [Path(n).name[:3] for n in changed] == ["03-"] * 3
        assert step_files(reviewing.baseline, 3) == carried(checked.report, 3)
        expect(page.locator("header .message")).to_contain_text("approved: android/")

        # Undo puts every replaced file back.
        page.get_by_role("button", name="Undo the last approval").click()
        expect(third.locator(".decision")).to_have_text("pending")
        assert tree_digest(reviewing.baseline) == original
        expect(page.get_by_role("button", name="Undo the last approval")).to_be_disabled()

        # Reject keeps the approved screenshot; approve-all takes the whole flow × device.
        second = drifting.locator('article.step[data-step="2"]')
        second.get_by_role("button", name="Reject").click()
        expect(second.locator(".decision")).to_have_text("rejected")
        assert tree_digest(reviewing.baseline) == original
        drifting.get_by_role("button", name=f"Approve all steps of {DRIFTING} on {DEVICE}").click()
        for number in (1, 2, 3, 4):
            step = drifting.locator(f'article.step[data-step="{number}"]')
            expect(step.locator(".decision")).to_have_text("approved")
            assert step_files(reviewing.baseline, number) == carried(checked.report, number)

        # A broken step shows the screen as it was when it failed, and cannot be approved.
        breaking = page.locator(f'section.review-flow[data-flow="{BREAKING}"]')
        failed = breaking.locator('figure:has(figcaption:text-is("When the step failed")) img')
        expect(failed).to_have_count(1)
        assert failed.evaluate("i => i.complete && i.naturalWidth > 0")
        expect(breaking.get_by_role("button", name="Approve step ④")).to_have_count(0)
        assert problems == []
        browser.close()

    reviewing.process.send_signal(signal.SIGINT)
    _out, stderr = reviewing.process.communicate(timeout=30)
    assert reviewing.process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "review stopped: 4 approved, 0 rejected, 0 pending" in stderr
    assert not list((reviewing.baseline.parent / ".guideshot").glob("txn-*"))


def test_actions_need_json_and_refusals_are_one_line(reviewing: Reviewing) -> None:
    """Sent as the page sends them (its Origin and token), so only what is checked here fails."""
    original = tree_digest(reviewing.baseline)
    page = {"Origin": reviewing.origin, TOKEN_HEADER: reviewing.token()}
    body = json.dumps({"device": DEVICE, "flow": DRIFTING, "step": 1}).encode()
    as_text = reviewing.send("POST", "/api/approve", {**page, "Content-Type": "text/plain"}, body)
    assert as_text.status == 415
    undo = reviewing.action("undo", {}, page)
    assert undo.status == 409
    assert json.loads(undo.body)["error"] == "nothing to undo: no approval was made in this review"
    wrong = reviewing.action("approve", {"device": DEVICE, "flow": BREAKING, "step": 4}, page)
    assert wrong.status == 409
    assert json.loads(wrong.body)["error"] == (
        f"{DEVICE}/{BREAKING}: the report has no capture of step 4"
    )
    assert tree_digest(reviewing.baseline) == original
    reviewing.process.send_signal(signal.SIGTERM)
    _out, stderr = reviewing.process.communicate(timeout=30)
    assert reviewing.process.returncode == 143, stderr
    assert "review stopped: 0 approved, 0 rejected, 4 pending" in stderr


def test_review_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "harness", "review", str(folder)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: REPORT {folder}: it holds no report.json; pass the folder `guideshot check` "
        "wrote (report/) or the zip of it a CI uploaded"
    ]
