"""The web edition reads well on a phone: built by `guideshot guide` (a subprocess) from a
copy of the approved screenshots, opened in real Chromium at 390×844. No page scrolls
sideways, also with the text at 200 %; every picture has alt text; headings never skip a
level; a flow's video (harness.guide.video's, written by the same build) reaches
HAVE_CURRENT_DATA and plays; a rebuild gives the same bytes."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from harness.guide.web import VIDEO_DIR, WEB_DIR, video_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GUIDESHOT = ROOT / ".venv" / "bin" / "guideshot"
PHONE: ViewportSize = {"width": 390, "height": 844}
DEVICE = "android"
FLOW = "login-userid"  # any flow the android edition has


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The android edition built from a copy of the approved screenshots, no PDF."""
    tmp = tmp_path_factory.mktemp("web")
    shutil.copytree(ROOT / "screenshots" / DEVICE, tmp / "shots" / DEVICE)
    command = [
        str(GUIDESHOT), "guide", "--config", str(ROOT / "guide.yaml"),
        "--scenarios", str(ROOT / "scenarios"), "--screenshots", str(tmp / "shots"),
        "--out", str(tmp / "out"), "--device", DEVICE, "--no-pdf",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp / 'out' / DEVICE / WEB_DIR / 'index.html'}" in done.stderr
    return tmp / "out"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    yield context.new_page()
    context.close()


def web_pages(out: Path) -> list[Path]:
    pages = sorted((out / DEVICE / WEB_DIR).glob("*.html"))
    assert len(pages) >= 2 and pages[0].parent.name == WEB_DIR
    return pages


def overflow(page: Page) -> int:
    """How far the page reaches past the viewport's width (0: no sideways scrolling)."""
    width: int = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return width


def load_all_pictures(page: Page) -> None:
    """Lazy pictures loaded, so their real sizes take part in the layout."""
    page.evaluate("for (const img of document.images) img.loading = 'eager'")
    page.wait_for_function("[...document.images].every(img => img.complete)")


def test_no_page_scrolls_sideways_at_a_phone_width_also_with_text_at_200_percent(
    out: Path, phone: Page
) -> None:
    for path in web_pages(out):
        phone.goto(path.as_uri())
        load_all_pictures(phone)
        assert phone.evaluate("window.innerWidth") == PHONE["width"]
        assert overflow(phone) <= 0, path.name
        pictures = phone.eval_on_selector_all(
            "img.shot", "els => els.map(e => e.getBoundingClientRect().right)"
        )
        assert all(right <= PHONE["width"] for right in pictures), path.name
        # Text at 200 %: twice the page's own root size, as a reader's text setting does.
        phone.evaluate(
            "const root = document.documentElement;"
            "root.style.fontSize = 2 * parseFloat(getComputedStyle(root).fontSize) + 'px'"
        )
        assert overflow(phone) <= 0, f"{path.name} at 200 %"
        body_size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body_size >= 32, path.name  # really larger: 18 px × 2


def test_every_picture_has_alt_text_and_the_headings_never_skip_a_level(
    out: Path, phone: Page
) -> None:
    pictures = 0
    for path in web_pages(out):
        phone.goto(path.as_uri())
        assert phone.evaluate("document.documentElement.lang") == "ja"
        alts: list[str | None] = phone.eval_on_selector_all(
            "img", "els => els.map(e => e.getAttribute('alt'))"
        )
        assert all(alt and alt.strip() for alt in alts), (path.name, alts)
        pictures += len(alts)
        levels: list[int] = phone.eval_on_selector_all(
            "h1,h2,h3,h4,h5,h6", "els => els.map(e => Number(e.tagName[1]))"
        )
        assert levels[:2] == [1, 2], path.name
        assert levels.count(1) == 1, path.name
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path.name, levels)
        # The skip link leads to the main text.
        assert phone.get_attribute("a.skip", "href") == "#main"
        assert phone.locator("main#main").count() == 1
    assert pictures > 50


def test_a_boxed_target_is_named_in_the_alt_text_and_the_steps_are_a_numbered_list(
    out: Path, phone: Page
) -> None:
    phone.goto((out / DEVICE / WEB_DIR / "2-b.html").as_uri())
    first = phone.locator(f"#step-{FLOW}-1")
    assert first.evaluate("li => li.parentElement.tagName") == "OL"
    assert first.locator("img").get_attribute("alt") == "①「ログイン」を押す（赤枠：「ログイン」）"
    assert first.locator("figcaption").inner_text() == "①「ログイン」を押す"
    assert phone.locator(f"h3#flow-{FLOW}").count() == 1
    # Previous and next lead through the sections in order.
    assert phone.get_attribute("a[rel=prev]", "href") == "2-a.html"
    assert phone.get_attribute("a[rel=next]", "href") == "3-a.html"


def test_a_flows_video_is_embedded_and_plays(out: Path, phone: Page) -> None:
    folder = out / DEVICE
    assert video_path(folder, FLOW).is_file()  # guide wrote it (harness.guide.video)
    phone.goto((folder / WEB_DIR / "2-b.html").as_uri())
    assert overflow(phone) <= 0
    video = phone.locator(f"#flow-{FLOW} ~ .video video")
    assert video.get_attribute("src") == f"../{VIDEO_DIR}/{FLOW}.mp4"
    assert video.get_attribute("controls") == ""
    assert video.get_attribute("playsinline") == ""
    phone.wait_for_function(
        "v => v.readyState >= 2 || v.error", arg=video.element_handle(), timeout=15_000
    )
    assert video.evaluate("v => v.error && v.error.code") is None
    video.evaluate("v => { v.muted = true; return v.play(); }")
    phone.wait_for_function("v => v.currentTime > 0", arg=video.element_handle(), timeout=15_000)
    width = video.evaluate("v => v.getBoundingClientRect().width")
    assert 0 < width <= PHONE["width"]


def test_the_web_edition_is_part_of_the_guides_freshness_and_rebuilds_to_the_same_bytes(
    out: Path,
) -> None:
    web = out / DEVICE / WEB_DIR
    before = {p.name: p.read_bytes() for p in web.iterdir()}
    command = [
        str(GUIDESHOT), "guide", "--config", str(ROOT / "guide.yaml"),
        "--scenarios", str(ROOT / "scenarios"), "--screenshots", str(out.parent / "shots"),
        "--out", str(out), "--device", DEVICE, "--no-pdf",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0 and "nothing changed" in done.stderr, done.stderr
    (web / "index.html").unlink()  # a missing web page makes the edition stale
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert f"wrote {web / 'index.html'}" in done.stderr
    assert {p.name: p.read_bytes() for p in web.iterdir()} == before
