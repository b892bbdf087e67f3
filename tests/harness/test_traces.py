"""A failed flow keeps a Playwright trace, and Playwright's own trace viewer loads it:
beside the failure screen for `run`, in the report for `check` (linked from its page, and
from `review`'s, where a click downloads it), and in pytest-playwright's --output folder
for the pytest plugin with --tracing retain-on-failure.

Each trace is opened as a user opens it: `playwright show-trace --host 127.0.0.1 --port 0
trace.zip` serves the viewer, headless Chromium loads it, and its action list must show
the flow's actions, the failed one with its error. The plugin's --video and --screenshot
are checked the same way: a WebM kept for the failed item, decoded frame by frame.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import av
import pytest
from playwright.sync_api import Locator, expect, sync_playwright

from harness.capture.browser import find_chromium, launch
from harness.cli import main
from tests.harness.reviewing import review_process
from tests.harness.thirdparty.django_admin import DjangoAdmin, django_admin

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEAD = "section: Admin\ntitle: Sign in\ndevices: [android]\nstart: /admin/login/\nsteps:\n"
TYPE_NAME = "  - caption: Type your name\n    action: fill\n    target: {label: Username}\n"
BROKEN = (  # the button says "Log in"
    f"id: sign-in\n{HEAD}{TYPE_NAME}    value: admin\n"
    "  - caption: Tap Sign in\n    action: tap\n    target: {role: button, name: Sign in}\n"
)
PASSING = f"id: name-only\n{HEAD}{TYPE_NAME}    value: admin\n"


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoAdmin]:
    with django_admin(tmp_path_factory.mktemp("django")) as started:
        yield started


def scenarios(folder: Path, **flows: str) -> Path:
    folder.mkdir(parents=True)
    for name, text in flows.items():
        (folder / f"{name.replace('_', '-')}.yaml").write_text(text, "utf-8")
    return folder


@dataclass(frozen=True)
class Viewed:
    actions: list[tuple[str, str]]  # the viewer's action list: each title and its subtitle
    failed: tuple[str, str]  # the one action it marks as failed (and shows first)
    error: str  # what its Errors tab says


SHOW_TRACE = [sys.executable, "-m", "playwright", "show-trace"]


@contextmanager
def show_trace(trace: Path) -> Iterator[str]:
    """`playwright show-trace` serving `trace` on a free loopback port: the viewer's URL.

    With --host/--port it serves rather than opening its own window, and asks the
    desktop to open the URL; BROWSER=true makes that a no-op (no display here anyway).
    """
    process = subprocess.Popen(
        [*SHOW_TRACE, "--host", "127.0.0.1", "--port", "0", str(trace)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: python, then Playwright's node
        env={**os.environ, "BROWSER": "true"},
    )
    try:
        url = _listening_on(process)
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


def _listening_on(process: subprocess.Popen[bytes]) -> str:
    """The address show-trace prints ("Listening on URL"), read from its pipe as it comes
    (unbuffered: a buffered readline could hold the line the selector already reported)."""
    assert process.stdout is not None
    said = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while (found := re.search(rb"Listening on (\S+)\n", said)) is None:
            assert selector.select(60), f"show-trace said only {said!r} in a minute"
            chunk = os.read(process.stdout.fileno(), 4096)
            assert chunk, f"show-trace exited {process.wait(30)}: {said!r}"
            said += chunk
    return found[1].decode()


def _titles(item: Locator) -> tuple[str, str]:
    """An action's title ("Type "admin"") and subtitle (its locator or URL), as shown."""
    subtitle = item.locator(".action-title-subtitle")
    return (
        item.locator(".action-title-method").inner_text(),
        subtitle.inner_text() if subtitle.count() else "",
    )


def view(trace: Path) -> Viewed:
    """What Playwright's trace viewer, served by `playwright show-trace`, shows of `trace`."""
    with show_trace(trace) as url, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            items = page.get_by_test_id("actions-tree").get_by_role("treeitem")
            expect(items.first).to_be_visible(timeout=30_000)
            failed = items.filter(has=page.locator(".tree-view-entry.error"))
            expect(failed).to_have_count(1)
            expect(failed).to_have_attribute("aria-selected", "true")  # shown first
            actions = [_titles(item) for item in items.all()]
            page.get_by_role("tab", name="Errors").click()
            error = page.locator(".error-message").first
            expect(error).to_be_visible()
            return Viewed(actions, _titles(failed), " ".join(error.inner_text().split()))
        finally:
            browser.close()


def assert_shows_the_broken_flow(trace: Path, site: str) -> None:
    """The viewer lists the flow's actions: the page opened, the name filled (cleared, then
    typed), and the wait for a button that is not there, failed and shown with its error."""
    viewed = view(trace)
    titles = [title for title, _ in viewed.actions]
    opened = site.removeprefix("http://").rstrip("/") + "/admin/login/"
    assert ("Navigate", opened) in viewed.actions, viewed.actions
    typed = ('Type "admin"', 'get_by_label("Username")')
    assert ("Clear", typed[1]) in viewed.actions and typed in viewed.actions, viewed.actions
    assert titles.index("Navigate") < viewed.actions.index(typed)
    assert viewed.failed == ("Wait for selector", 'get_by_role("button", name="Sign in").first')
    assert viewed.actions.index(typed) < viewed.actions.index(viewed.failed)
    assert re.fullmatch(r"Timeout \d+ms exceeded\.", viewed.error), viewed.error


def test_a_failed_flows_trace_is_beside_its_failure_screen_in_the_report_and_in_review(
    admin: DjangoAdmin,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    flows = scenarios(tmp_path / "scenarios", sign_in=BROKEN, name_only=PASSING)
    monkeypatch.chdir(tmp_path)
    shots = tmp_path / "shots"
    args = ["--scenarios", str(flows), "--base-url", admin.url]

    assert main(["run", *args, "--out", str(shots)]) == 1

    failures = tmp_path / ".guideshot" / "failures" / "android"
    trace = failures / "sign-in" / "trace.zip"
    assert sorted(p.name for p in trace.parent.iterdir()) == ["failed-step-02.png", "trace.zip"]
    said = "".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert f"whathappened:playwrightshow-trace{trace}" in said
    assert not (failures / "name-only").exists()  # a flow that passed writes no trace
    assert_shows_the_broken_flow(trace, admin.url)

    report = tmp_path / "report"
    assert main(["check", *args, "--baseline", str(shots), "--report", str(report)]) == 1

    kept = report / "images" / "android" / "sign-in" / "trace.zip"
    assert not (report / "images" / "android" / "name-only" / "trace.zip").exists()
    page = (report / "index.html").read_text("utf-8")
    assert '<a href="images/android/sign-in/trace.zip">Playwright trace of this run</a>' in page
    flows_json = json.loads((report / "report.json").read_text("utf-8"))["report"]["flows"]
    assert {f["flow"]: f["trace"] for f in flows_json} == {
        "sign-in": "images/android/sign-in/trace.zip",
        "name-only": None,
    }

    # `guideshot review` links it too: downloaded from its page, it is the report's trace.
    downloaded = download_from_review(report, shots, tmp_path / "downloads")
    assert downloaded.name == "sign-in-android-trace.zip"
    assert downloaded.read_bytes() == kept.read_bytes()
    assert_shows_the_broken_flow(downloaded, admin.url)


def download_from_review(report: Path, baseline: Path, folder: Path) -> Path:
    """The trace the review page links, downloaded by clicking its link in Chromium."""
    with review_process(report, baseline) as review, sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        try:
            page = browser.new_page()
            page.goto(review.url)
            flow = page.locator('section.review-flow[data-flow="sign-in"]')
            expect(flow.locator(".trace code")).to_have_text(
                "playwright show-trace report/images/android/sign-in/trace.zip"
            )
            with page.expect_download() as started:
                flow.get_by_role("link", name="Playwright trace of this run").click()
            download = started.value
            saved = folder / download.suggested_filename
            download.save_as(saved)
            return saved
        finally:
            browser.close()


PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]


@pytest.fixture(scope="module")
def approved(admin: DjangoAdmin, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The passing flow's approved screenshots (`guideshot run`), so its item passes."""
    root = tmp_path_factory.mktemp("approved")
    flows = scenarios(root / "scenarios", name_only=PASSING)
    run = [sys.executable, "-m", "harness", "run", "--scenarios", str(flows)]
    shots = root / "screenshots"
    subprocess.run(
        [*run, "--base-url", admin.url, "--out", str(shots)], cwd=root, check=True, timeout=300
    )
    return shots


def pytest_scenarios(
    folder: Path, baseline: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """`pytest scenarios` in a fresh process, as a user runs it, from `folder`."""
    return subprocess.run(
        # One argument: a path of its own would move pytest's rootdir (the item folders' names).
        [*PYTEST, "scenarios", f"--guideshot-baseline={baseline}", *options],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# Pixel 7's viewport (guideshot's "android") is 412×839; a VP8/VP9 frame's sides are even.
ANDROID_FRAME = (412, 838)


def assert_a_video_of_the_viewport(video: Path) -> None:
    """A WebM whose every frame decodes, at the device's viewport size (not scaled down to
    fit 800×800, Playwright's default), lasting about as long as the flow ran."""
    with av.open(str(video)) as container:
        assert "webm" in container.format.name
        stream = container.streams.video[0]
        assert stream.codec_context.name in ("vp8", "vp9")
        sizes = [(frame.width, frame.height) for frame in container.decode(stream)]
        seconds = (container.duration or 0) / av.time_base
    assert len(sizes) > 10 and set(sizes) == {ANDROID_FRAME}, (len(sizes), set(sizes))
    assert seconds > 0.5, seconds


def test_pytest_retain_on_failure_keeps_the_failed_items_trace_video_and_screen(
    admin: DjangoAdmin, approved: Path, tmp_path: Path
) -> None:
    scenarios(tmp_path / "scenarios", sign_in=BROKEN, name_only=PASSING)
    result = pytest_scenarios(
        tmp_path,
        approved,
        *("--base-url", admin.url, "--output", "out"),
        *("--tracing", "retain-on-failure", "--video", "retain-on-failure"),
        *("--screenshot", "only-on-failure"),
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 1 passed" in result.stdout, result.stdout
    kept = tmp_path / "out" / "scenarios-sign-in-yaml-sign-in-android"
    assert sorted(p.name for p in kept.iterdir()) == [
        "test-failed-1.png",
        "trace.zip",
        "video.webm",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [kept.name]  # passed: none
    assert_shows_the_broken_flow(kept / "trace.zip", admin.url)
    assert_a_video_of_the_viewport(kept / "video.webm")


def test_pytest_video_on_keeps_every_items_video(
    admin: DjangoAdmin, approved: Path, tmp_path: Path
) -> None:
    scenarios(tmp_path / "scenarios", sign_in=BROKEN, name_only=PASSING)
    options = ("--base-url", admin.url, "--output", "out", "--video", "on")
    result = pytest_scenarios(tmp_path, approved, *options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 1 passed" in result.stdout, result.stdout
    out = tmp_path / "out"
    items = ["scenarios-name-only-yaml-name-only-android", "scenarios-sign-in-yaml-sign-in-android"]
    assert sorted(p.name for p in out.iterdir()) == items
    for item in items:
        assert [p.name for p in (out / item).iterdir()] == ["video.webm"]
        assert_a_video_of_the_viewport(out / item / "video.webm")
