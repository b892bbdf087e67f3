"""pytest plugin: every flow × device of scenarios/*.yaml is a test item that checks drift.

`pytest scenarios -k login` runs the login flows. Built on pytest-playwright's session
`playwright` fixture; the browser, its launch arguments and the target site are fixtures a
project can override one link at a time. The site is pytest-playwright's `--base-url` (or
its `base_url` ini setting), or `--guideshot-base-url [NAME=]URL`, repeatable like
guideshot's own `--base-url` (pytest-base-url's option takes one value), else the embedded
simulator for every site; the header says which. A drifted step fails its item with the
same sentences `guideshot check` prints. pytest-playwright's `--tracing`, `--video` and
`--screenshot` keep each item's trace.zip, video.webm and screenshot in `--output` as it
would.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from harness.capture.browser import BrowserChoice, choose_browser, launch
from harness.capture.devices import DEFAULT_LOCALE, resolve_device
from harness.capture.environment import fingerprint
from harness.capture.perform import RunContext
from harness.capture.results import FlowResult
from harness.capture.runner import run_flow
from harness.capture.target import SiteTarget, site
from harness.capture.tracing import Recording, new_run_id
from harness.drift.flow import ReportImages, judge_flow
from harness.drift.verdict import StepStatus
from harness.files import write_bytes_atomic
from harness.guide.config import CONFIG_NAME, guide_sites, phone_locale
from harness.scenario import Flow
from harness.scenario.load import ScenarioError, load_flow
from harness.scenario.sites import BaseUrlError, BaseUrls, names_a_site, parse_base_urls


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("guideshot", "guideshot flow checks")
    group.addoption(
        "--guideshot-base-url",
        action="append",
        default=[],
        metavar="[NAME=]URL",
        help="site to check, like pytest-playwright's --base-url (default: simulator); "
        "NAME=URL for one of guide.yaml's sites, repeatable",
    )
    group.addoption("--guideshot-baseline", default="screenshots", help="approved screenshots")
    group.addoption("--guideshot-browser-path", default=None, help="Chromium binary")


def _is_scenario(path: Path) -> bool:
    return path.suffix == ".yaml" and path.parent.name == "scenarios"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_scenario(file_path):
        collector: pytest.Collector = ScenarioFile.from_parent(parent, path=file_path)
        return collector
    return None


def check_flow(
    flow: Flow,
    device_name: str,
    guideshot_browser: tuple[Browser, BrowserChoice],
    guideshot_site: SiteTarget,
    guideshot_baseline: Path,
    guideshot_run_id: str,
    guideshot_locale: str,
    playwright: Playwright,
    pytestconfig: pytest.Config,
    output_path: str,
) -> None:
    """Run the flow on the device and fail with the drift sentences if any step differs."""
    browser, choice = guideshot_browser
    device = resolve_device(playwright, device_name, guideshot_locale)
    run = RunContext(
        base_url=guideshot_site.base_url,
        has_hooks=guideshot_site.has_hooks,
        touch=bool(device.settings.get("has_touch")),
        servers=guideshot_site.servers,
    )
    options = _ArtifactOptions.of(pytestconfig)
    with tempfile.TemporaryDirectory(prefix="guideshot-pytest-") as scratch:
        recording = options.recording(Path(scratch) / "videos", device.viewport)
        environment = fingerprint(browser, choice, device)
        result = run_flow(
            browser, flow, device, environment, run, run_id=guideshot_run_id, recording=recording
        )
        verdict = judge_flow(flow, result, guideshot_baseline, ReportImages(Path(scratch)))
        failed = verdict.status is not StepStatus.MATCH
        options.keep(Path(output_path), result, recording, failed)
    if not failed:
        return
    sentences = [d.sentence for step in verdict.steps for d in step.differences]
    if verdict.failure and not sentences:
        sentences.append(verdict.failure)
    pytest.fail(
        f"{flow.id} on {device_name}: {verdict.status.value}\n" + "\n".join(sentences),
        pytrace=False,
    )


def _wanted(option: str, failed: bool) -> bool:
    return option == "on" or (failed and option in ("retain-on-failure", "only-on-failure"))


@dataclass(frozen=True)
class _ArtifactOptions:
    """pytest-playwright's --tracing, --video and --screenshot ("off" without the plugin)."""

    tracing: str
    video: str
    screenshot: str

    @classmethod
    def of(cls, config: pytest.Config) -> _ArtifactOptions:
        return cls(*(str(config.getoption(name, "off")) for name in _ARTIFACTS))

    def recording(self, video_dir: Path, viewport: tuple[int, int]) -> Recording:
        # The trace is always kept here: an item also fails on drift, after a clean run.
        return Recording(
            trace="off" if self.tracing == "off" else "on",
            video_dir=video_dir if self.video != "off" else None,
            video_size=viewport,
            end_screenshot=self.screenshot != "off",
        )

    def keep(self, folder: Path, result: FlowResult, recording: Recording, failed: bool) -> None:
        """Each artefact asked for, named as pytest-playwright names them."""
        kept: dict[str, bytes] = {}
        if result.trace is not None and _wanted(self.tracing, failed):
            kept["trace.zip"] = result.trace
        shot = result.failure.screenshot if result.failure else result.end_screenshot
        if shot is not None and _wanted(self.screenshot, failed):
            kept[f"test-{'failed' if failed else 'finished'}-1.png"] = shot
        for name, data in kept.items():
            write_bytes_atomic(folder / name, data)
        if recording.video_dir is not None and _wanted(self.video, failed):
            for name, video in _videos(recording.pages):
                folder.mkdir(parents=True, exist_ok=True)
                shutil.move(video, folder / name)


def _videos(pages: list[Page]) -> Iterator[tuple[str, Path]]:
    """Each page's finished video (its context is closed) with pytest-playwright's name for
    it: video.webm for the one page, else video-N.webm by the order the pages opened."""
    for n, page in enumerate(pages, start=1):
        try:
            video = Path(page.video.path()) if page.video else None
        except PlaywrightError:  # no video was written (the browser went away)
            continue
        if video is not None and video.is_file():
            yield ("video.webm" if len(pages) == 1 else f"video-{n}.webm"), video


_ARTIFACTS = ("tracing", "video", "screenshot")


class ScenarioProblem(pytest.Item):
    """A scenario file that does not load: one failing item with its one-line problems."""

    def __init__(self, *, problems: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self) -> None:
        pytest.fail(self.problems, pytrace=False)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class FlowItem(pytest.Function):
    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            flow = load_flow(self.path, fragments_dir=self.path.parent / "fragments")
        except ScenarioError as exc:
            yield ScenarioProblem.from_parent(self, name="scenario", problems=str(exc))
            return
        for device in flow.devices:
            yield FlowItem.from_parent(
                self,
                name=f"{flow.id}[{device}]",
                callobj=functools.partial(check_flow, flow=flow, device_name=device),
            )


def site_url(config: pytest.Config) -> BaseUrls | None:
    """The sites to check: each --guideshot-base-url (NAME=URL for one of guide.yaml's
    sites, repeatable), else pytest-playwright's --base-url or base_url ini setting (one
    value: pytest-base-url keeps only the last); None means the embedded simulator."""
    values: list[str] = list(config.getoption("guideshot_base_url"))
    if not values:
        url: str | None = config.getoption("base_url", None)
        if not url:
            try:
                url = config.getini("base_url") or None
            except ValueError:  # no plugin declared the ini setting
                url = None
        values = [url] if url else []
    guide = Path(config.invocation_params.dir) / CONFIG_NAME
    try:
        prefixes = guide_sites(guide) if any(names_a_site(v) for v in values) else None
        return parse_base_urls(values, prefixes, CONFIG_NAME)
    except BaseUrlError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config: pytest.Config) -> str:
    urls = site_url(config)
    if urls is None:
        where = "the embedded simulator (give --base-url to check another site)"
    else:
        named = [f"{name}={url}" for name, url in urls.named.items()]
        where = ", ".join(([urls.bare] if urls.bare else []) + named)
    return f"guideshot: scenarios are checked against {where}"


@pytest.fixture(scope="session")
def guideshot_site(pytestconfig: pytest.Config) -> Iterator[SiteTarget]:
    """The embedded simulator for the session, or the sites --base-url names."""
    with site(site_url(pytestconfig)) as target:
        yield target


@pytest.fixture(scope="session")
def guideshot_run_id() -> str:
    """`{run}` in scenario values: one id for the whole session."""
    return new_run_id()


@pytest.fixture(scope="session")
def guideshot_locale(pytestconfig: pytest.Config) -> str:
    """What the phones ask sites for: guide.yaml's `locale:` or its language's."""
    guide = Path(pytestconfig.invocation_params.dir) / CONFIG_NAME
    try:
        return phone_locale(guide) or DEFAULT_LOCALE
    except ScenarioError as error:
        raise pytest.UsageError(str(error.problems[0])) from None


@pytest.fixture(scope="session")
def guideshot_baseline(pytestconfig: pytest.Config) -> Path:
    return Path(pytestconfig.getoption("guideshot_baseline"))


@pytest.fixture(scope="session")
def guideshot_browser(
    playwright: Playwright, pytestconfig: pytest.Config
) -> Iterator[tuple[Browser, BrowserChoice]]:
    """One browser for every flow item, found as `guideshot run` finds it."""
    choice = choose_browser(
        playwright, "chromium", pytestconfig.getoption("guideshot_browser_path")
    )
    browser = launch(playwright, choice)
    yield browser, choice
    browser.close()
