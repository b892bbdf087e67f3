"""review's page in real Chromium: one click approves a whole change, one click undoes it.

The report is built without a run (reviewing.build_report): every step of one flow drifted
the same way, so they are one change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from harness.capture.browser import find_chromium, launch
from harness.drift.groups import group_changes
from harness.report import load_json
from tests.harness.reviewing import build_report, review_process, tree_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_one_click_approves_a_change_and_one_click_undoes_it(tmp_path: Path) -> None:
    built = build_report(tmp_path)
    report = load_json((built.report / "report.json").read_text(encoding="utf-8"))
    (group,) = group_changes(report)
    before = tree_digest(built.baseline)
    with review_process(built.report, built.baseline) as review, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(review.url)
        change = page.locator(f'li.change[data-group="{group.id}"]')
        steps = page.locator("article.step[data-key]")
        expect(steps).to_have_count(len(group.steps))

        change.get_by_role("button", name=f"Approve this change ({len(group.steps)} steps)").click()
        expect(change.locator(".decision")).to_have_text("approved")
        for index in range(len(group.steps)):
            expect(steps.nth(index).locator(".decision")).to_have_text("approved")
        after = tree_digest(built.baseline)
        assert {name[:-4].split("/")[-1][:2] for name in after if after[name] != before[name]} == {
            f"{s.number:02d}" for s in group.steps
        }

        page.get_by_role("button", name="Undo the last approval").click()
        expect(change.locator(".decision")).to_have_text("pending")
        expect(page.get_by_role("button", name="Undo the last approval")).to_be_disabled()
        assert tree_digest(built.baseline) == before

        change.get_by_role("button", name="Reject").click()
        expect(change.locator(".decision")).to_have_text("rejected")
        assert tree_digest(built.baseline) == before
        assert problems == []
        browser.close()
