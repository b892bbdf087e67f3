"""The built guide through a real Chromium: the PDF's pages, images, text and 目次 numbers,
and the HTML opened from disk."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from pypdf import PdfReader

from harness.guide import GuideError, build_guide
from harness.guide.content import DEFAULT_CONTENT_DIR
from harness.guide.pdf import LAUNCH_ARGS, default_browser
from tests.harness.test_guide_inputs import (
    ALPHA_CAPTIONS,
    BETA_CAPTIONS,
    OUTCOME,
    edition,
    write_content,
)

pytestmark = pytest.mark.browser

FAQ_QUESTIONS = 30  # enough to push 3-B over one page
A4_LANDSCAPE = (841.89, 595.28)  # points


@dataclass(frozen=True)
class Built:
    out: Path
    content: Path
    images: Path

    def pdf(self, device: str = "android") -> Path:
        return self.out / f"nenkin-guide-{device}.pdf"


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = default_browser()
    if path is None:
        pytest.skip("no system Chromium")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Built:
    root = tmp_path_factory.mktemp("guide")
    content = write_content(root / "content", faq_paragraphs=FAQ_QUESTIONS)
    editions = [edition(root / "img"), edition(root / "img", "iphone")]
    written = build_guide(editions, root / "out", content_dir=content, browser_path=chromium_path)
    result = Built(root / "out", content, root / "img")
    assert written[2:] == [result.pdf("android"), result.pdf("iphone")]
    return result


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Browser]:
    # Per test: Playwright's sync API cannot nest, and build_guide starts its own.
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def page_texts(pdf: Path, mode: str = "-layout") -> list[str]:
    """pdftotext, one string per page (it separates pages with form feeds). -layout keeps a
    目次 line together; -raw keeps the print order, so side-by-side captions stay whole."""
    run = subprocess.run(
        ["pdftotext", mode, "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return run.stdout.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def toc_entries(texts: list[str]) -> dict[str, tuple[str, int]]:
    """{code: (label, page)} from the 目次 on page 2."""
    found = re.findall(r"(\d-[A-Z]) (.+?)\s+P(\d+)\s*$", texts[1], flags=re.MULTILINE)
    return {code: (f"{code} {label.strip()}", int(page)) for code, label, page in found}


def assert_toc_matches_pages(texts: list[str]) -> dict[str, int]:
    entries = toc_entries(texts)
    assert entries, texts[1]
    starts = {}
    for code, (label, page) in entries.items():
        first = next(
            n for n, text in enumerate(texts, 1) if n > 2 and squash(label) in squash(text)
        )
        starts[code] = first
        assert page == first, f"目次 says {code} is on P{page}, it starts on page {first}"
    return starts


def test_pdf_has_the_planned_pages(built: Built) -> None:
    texts = page_texts(built.pdf())
    faq_pages = [n for n, text in enumerate(texts, 1) if n > 2 and "3-B よくあるご質問" in text]
    # cover, 目次, ch1, 1-A, ch2, 2-A prose, alpha (4+2 steps), beta (4 + outcome), ch3, then 3-B
    assert faq_pages[0] == 11 and len(faq_pages) >= 2
    assert len(texts) == 10 + len(faq_pages)
    reader = PdfReader(built.pdf())
    assert len(reader.pages) == len(texts)
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE, abs=1)


def test_every_page_after_the_cover_shows_its_number(built: Built) -> None:
    texts = page_texts(built.pdf())
    for number, text in enumerate(texts[1:], start=2):
        assert text.split()[-1] == str(number)


def test_pdf_embeds_one_image_per_step(built: Built) -> None:
    def images(page: object) -> int:
        xobjects = page["/Resources"].get("/XObject", {})  # type: ignore[index]
        return sum(1 for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Image")

    counts = [images(page) for page in PdfReader(built.pdf()).pages]
    assert counts[6:9] == [4, 2, 4]
    assert sum(counts) == len(ALPHA_CAPTIONS) + len(BETA_CAPTIONS)


def test_captions_appear_in_order_then_the_outcome(built: Built) -> None:
    text = squash("".join(page_texts(built.pdf("iphone"), "-raw")))
    position = 0
    for expected in [*ALPHA_CAPTIONS, *BETA_CAPTIONS, OUTCOME]:
        found = text.find(squash(expected), position)
        assert found >= 0, f"{expected!r} missing or out of order"
        position = found + 1


def test_toc_page_numbers_are_the_real_pages(built: Built) -> None:
    texts = page_texts(built.pdf())
    starts = assert_toc_matches_pages(texts)
    assert starts == {"1-A": 4, "2-A": 6, "2-B": 9, "3-B": 11}


def test_overflowing_prose_continues_on_the_next_pages(built: Built) -> None:
    text = squash("".join(page_texts(built.pdf(), "-raw")))
    position = 0
    for n in range(1, FAQ_QUESTIONS + 1):
        found = text.find(f"回答．これは回答その{n}です。", position)
        assert found >= 0, f"answer {n} lost or out of order"
        position = found


def test_html_opens_from_disk_with_every_image(built: Built, browser: Browser) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda r: problems.append(r.url))
    page.goto((built.out / "android" / "index.html").as_uri(), wait_until="load")
    page.wait_for_function("document.documentElement.dataset.paginated === 'true'")
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    assert page.evaluate("document.images.length") == 10
    assert broken == []
    assert problems == []
    pages = int(page.evaluate("document.documentElement.dataset.pages"))
    assert pages == len(PdfReader(built.pdf()).pages)
    sizes = page.evaluate(
        "[...new Set(Array.from(document.querySelectorAll('.page'))"
        ".map(p => `${Math.round(p.offsetWidth)}x${Math.round(p.offsetHeight)}`))]"
    )
    assert sizes == ["1123x794"]  # 297 × 210 mm at 96 px/in: every page one A4 sheet
    page.close()


def test_captions_are_large_and_name_the_font(built: Built, browser: Browser) -> None:
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto((built.out / "iphone" / "index.html").as_uri(), wait_until="load")
    styles = page.evaluate(
        "Array.from(document.querySelectorAll('.caption')).map(c => {"
        " const s = getComputedStyle(c); return [parseFloat(s.fontSize), s.fontFamily, s.color]; })"
    )
    # What Chromium actually drew with, not just what the CSS asked for.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    caption = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".caption"})
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": caption["nodeId"]})
    page.close()
    assert {font["familyName"] for font in used["fonts"]} == {"Noto Sans CJK JP"}
    assert len(styles) == 10
    for size_px, family, color in styles:
        assert size_px * 72 / 96 >= 14  # points
        assert family.startswith('"Noto Sans CJK JP"')
        assert color == "rgb(17, 17, 17)"  # near-black on white


def test_rebuild_is_byte_identical(built: Built, chromium_path: str, tmp_path: Path) -> None:
    again = build_guide(
        [edition(built.images)], tmp_path, content_dir=built.content, browser_path=chromium_path
    )
    assert again[-1].read_bytes() == built.pdf().read_bytes()
    html = (tmp_path / "android" / "index.html").read_bytes()
    assert html == (built.out / "android" / "index.html").read_bytes()


def test_failed_print_keeps_the_previous_pdf(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "nenkin-guide-android.pdf"
    previous.write_bytes(built.pdf().read_bytes())
    with pytest.raises(GuideError, match="cannot start Chromium for the PDF"):
        build_guide(
            [edition(built.images)], out, content_dir=built.content, browser_path="/nonexistent"
        )
    assert previous.read_bytes() == built.pdf().read_bytes()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_real_content_fits_its_pages(tmp_path: Path, chromium_path: str) -> None:
    written = build_guide(
        [edition(tmp_path / "img")], tmp_path / "out", browser_path=chromium_path,
        content_dir=DEFAULT_CONTENT_DIR,
    )  # fmt: skip
    texts = page_texts(written[-1])
    starts = assert_toc_matches_pages(texts)
    assert list(starts) == ["1-A", "1-B", "2-A", "2-B", "3-A", "3-B", "3-C"]
    assert starts["1-A"] == 4 and starts["1-B"] == 5  # as in the printed guide
