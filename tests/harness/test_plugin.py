"""The pytest plugin, as a user meets it: `pytest scenarios -k login` in a fresh process."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import av
import pytest
from playwright.sync_api import sync_playwright

from harness.capture import tracing
from harness.capture.browser import find_chromium, launch
from harness.capture.results import FlowResult
from harness.capture.tracing import Recording
from harness.pytest_plugin import _ArtifactOptions

ROOT = Path(__file__).resolve().parents[2]
FLOW_ITEMS = 20  # 9 flows on both phones + one search flow each

HEAD = "id: broken\nsection: S\ntitle: T\ndevices: [android]\nstart: /\nsteps:\n"


def pytest_in(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def collected(output: str) -> list[str]:
    """The node ids `--collect-only -q` lists (before its blank line and summary)."""
    return [line for line in output.splitlines() if "::" in line]


def test_k_login_selects_exactly_the_login_flows() -> None:
    result = pytest_in(ROOT, "--collect-only", "-q", "scenarios", "-k", "login")
    assert result.returncode == 0, result.stdout + result.stderr
    assert collected(result.stdout) == [
        "scenarios/login-mynaportal.yaml::login-mynaportal[android]",
        "scenarios/login-mynaportal.yaml::login-mynaportal[iphone]",
        "scenarios/login-userid.yaml::login-userid[android]",
        "scenarios/login-userid.yaml::login-userid[iphone]",
    ]
    assert f"4/{FLOW_ITEMS} tests collected ({FLOW_ITEMS - 4} deselected)" in result.stdout


def test_every_flow_and_device_is_an_item() -> None:
    result = pytest_in(ROOT, "--collect-only", "-q", "scenarios")
    assert result.returncode == 0, result.stdout + result.stderr
    items = collected(result.stdout)
    assert len(items) == FLOW_ITEMS
    assert "scenarios/search-android.yaml::search-android[android]" in items
    assert "scenarios/search-iphone.yaml::search-iphone[iphone]" in items
    assert not any("fragments" in item for item in items)


def test_a_malformed_scenario_is_one_failing_item_with_its_problem(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    broken = folder / "broken.yaml"
    broken.write_text(HEAD + "  - caption: 押す\n    action: tap\n    target: {txet: x}\n", "utf-8")
    problem = f"{broken}:9: steps[0].target.txet: unknown key 'txet' (allowed: role, name, "

    result = pytest_in(tmp_path, "-q", "-rf", "scenarios")

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "1 failed in " in lines[-1]
    assert "FAILED scenarios/broken.yaml::scenario - Failed: " in result.stdout
    headers = [i for i, line in enumerate(lines) if re.fullmatch(r"_+ scenario _+", line)]
    assert len(headers) == 1, result.stdout
    body = list(itertools.takewhile(lambda line: not line.startswith("="), lines[headers[0] + 1 :]))
    assert len(body) == 1 and body[0].startswith(problem), result.stdout
    assert "Traceback" not in result.stdout


def _colour(video: Path) -> tuple[int, int, int]:
    """The middle pixel of the video's last frame."""
    with av.open(str(video)) as container:
        *_, last = container.decode(container.streams.video[0])
    picture = last.to_ndarray(format="rgb24")
    height, width, _ = picture.shape
    red, green, blue = (int(v) for v in picture[height // 2, width // 2])
    return red, green, blue


def _painting(colour: str) -> str:
    """A page of one colour whose corner pixel changes every frame: the screencast behind
    Playwright's video sends frames only for a changed screen, and a popup's screencast may
    start after its first paint, so a still page could leave its video blank."""
    return (
        f"<body style='margin: 0; background: {colour}'>"
        "<div id=tick style='position: fixed; width: 1px; height: 1px; background: #000'></div>"
    )


# As Playwright's own video tests do: let many frames pass (each one changed) so the
# screencast's frames reach the recorder before the context closes.
_FRAMES_PAINTED = """async (count) => {
    const tick = document.getElementById('tick');
    for (let i = 0; i < count; i++) {
        tick.style.opacity = String(i % 2);
        await new Promise(r => requestAnimationFrame(r));
    }
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_each_pages_video_is_named_by_the_order_it_opened(tmp_path: Path) -> None:
    """A site that opens a second page: video-1.webm is the flow's page, video-2.webm the
    one it opened, as pytest-playwright names several pages' videos (Playwright's own file
    names are random)."""
    recording = Recording(trace="off", video_dir=tmp_path / "videos", video_size=(200, 120))
    with sync_playwright() as playwright:
        browser = launch(playwright, find_chromium(playwright))
        context = browser.new_context(**recording.context_args())
        tracing.start(context, recording)
        page = context.new_page()
        page.set_content(_painting("rgb(255, 0, 0)"))
        with page.expect_popup() as opened:
            page.evaluate("() => { window.open('about:blank') }")
        popup = opened.value
        popup.set_content(_painting("rgb(0, 0, 255)"))
        for shown in (page, popup):  # both painted, frame after frame, before their videos end
            shown.evaluate(_FRAMES_PAINTED, 30)
        context.close()  # as run_flow closes it: the videos are complete
        out = tmp_path / "out"
        options = _ArtifactOptions(tracing="off", video="on", screenshot="off")
        options.keep(out, FlowResult(flow="f", device="d"), recording, failed=False)
        browser.close()
    assert sorted(p.name for p in out.iterdir()) == ["video-1.webm", "video-2.webm"]
    red, _, blue = _colour(out / "video-1.webm")
    assert red > 200 and blue < 50
    red, _, blue = _colour(out / "video-2.webm")
    assert blue > 200 and red < 50
    assert not any((tmp_path / "videos").iterdir())  # moved, not copied
