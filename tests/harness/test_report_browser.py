"""index.html opened from disk in a real Chromium: images load, sentences show, slider moves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright

from harness.capture.browser import find_chromium, launch
from harness.report import write_reports
from harness.report.common import step_sentences
from tests.harness.test_report import make_images, sample_report

pytestmark = pytest.mark.browser


class OpenedReport:
    def __init__(self, page: Page, problems: list[str]) -> None:
        self.page = page
        self.problems = problems  # console errors, page errors, failed loads


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenedReport]:
    folder = tmp_path_factory.mktemp("report")
    make_images(folder)
    paths = write_reports(sample_report(), folder)
    with sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.goto(paths.html.as_uri(), wait_until="load")
        yield OpenedReport(page, problems)
        browser.close()


def test_every_image_loads_from_disk(opened: OpenedReport):
    page = opened.page
    page.wait_for_function("Array.from(document.images).every(image => image.complete)")
    widths = page.eval_on_selector_all("img", "images => images.map(i => [i.src, i.naturalWidth])")
    assert len(widths) == 11  # drift 3 + slider 2, new 1, environment 2 + slider 2, removed 1
    assert [src for src, width in widths if width == 0] == []
    assert all(src.startswith("file://") for src, _ in widths)


def test_no_console_errors(opened: OpenedReport):
    opened.page.wait_for_function("Array.from(document.images).every(image => image.complete)")
    assert opened.problems == []


def test_every_failing_step_is_open_with_its_sentences(opened: OpenedReport):
    page = opened.page
    failing = [step for step in sample_report().steps() if step.status.value != "match"]
    assert page.locator("details.step.failing").count() == len(failing)
    for step in failing:
        details = page.locator(f"details#{step.flow}--{step.device}--{step.number}")
        assert details.get_attribute("open") is not None
        assert details.locator("summary .caption").inner_text() == step.caption
        for sentence in step_sentences(step):
            # inner_text renders the sentence's newline as a space inside a <span>.
            assert " ".join(sentence.split()) in " ".join(details.inner_text().split())


def test_matching_steps_are_collapsed_and_the_verdict_counts_show(opened: OpenedReport):
    page = opened.page
    matching = page.locator("details.matching")
    assert matching.count() == 4
    assert all(matching.nth(i).get_attribute("open") is None for i in range(4))
    assert page.locator("header h1").inner_text() == "Drift found"
    assert page.locator(".count.status-match strong").inner_text() == "6"


def test_overview_cell_links_to_its_section(opened: OpenedReport):
    page = opened.page
    page.locator('.overview a[href="#myna_card--pixel_7"]').click()
    page.wait_for_function("location.hash === '#myna_card--pixel_7'")
    assert page.locator("#myna_card--pixel_7").is_visible()


def test_slider_moves_the_clip_of_the_current_image(opened: OpenedReport):
    page = opened.page
    figure = page.locator("#nenkin_login--pixel_7--2 .compare")
    current = figure.locator(".compare-current")
    clip = "element => getComputedStyle(element).clipPath"
    assert current.evaluate(clip) == "inset(0px 0px 0px 50%)"
    figure.locator(".compare-range").evaluate(
        "range => { range.value = '20'; range.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    assert current.evaluate(clip) == "inset(0px 0px 0px 20%)"
    assert figure.locator(".compare-line").evaluate("line => line.style.left") == "20%"
    figure.locator(".compare-range").focus()
    page.keyboard.press("ArrowRight")
    assert current.evaluate(clip) == "inset(0px 0px 0px 21%)"
