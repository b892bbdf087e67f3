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

from harness.guide import GuideEdition, GuideError, build_guide
from harness.guide.config import load_config
from harness.guide.content import GuideContent, load_content
from harness.guide.pdf import LAUNCH_ARGS, default_browser
from tests.harness.test_guide_inputs import (
    ALPHA_CAPTIONS,
    BETA_CAPTIONS,
    OUTCOME,
    content_of,
    edition,
    write_guide,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

FAQ_QUESTIONS = 30  # enough to push 3-B over one page
A4_LANDSCAPE = (841.89, 595.28)  # points


@dataclass(frozen=True)
class Built:
    out: Path
    content: GuideContent
    images: Path

    def pdf(self, device: str = "android") -> Path:
        return self.out / f"test-guide-{device}.pdf"


def build(
    editions: list[GuideEdition], content: GuideContent, out: Path, browser_path: str
) -> list[Path]:
    names = {e.device: f"test-guide-{e.device}.pdf" for e in editions}
    return build_guide(editions, content, out, pdf_name=names, browser_path=browser_path)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = default_browser()
    if path is None:
        pytest.skip("no system Chromium")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Built:
    root = tmp_path_factory.mktemp("guide")
    content = content_of(write_guide(root / "guide", faq_paragraphs=FAQ_QUESTIONS))
    editions = [edition(root / "img"), edition(root / "img", "iphone")]
    written = build(editions, content, root / "out", chromium_path)
    result = Built(root / "out", content, root / "img")
    assert [path for path in written if path.suffix == ".pdf"] == [
        result.pdf("android"),
        result.pdf("iphone"),
    ]
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
    """{code: (label, page)} from the 目次 on page 2 (labels there start with a code)."""
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
    # The guide's TrueType cut of Noto Sans CJK JP, not the installed CFF font or a fallback.
    assert {font["familyName"] for font in used["fonts"]} == {"Noto Sans CJK JP"}
    assert {font["isCustomFont"] for font in used["fonts"]} == {True}
    assert len(styles) == 10
    for size_px, family, color in styles:
        assert size_px * 72 / 96 >= 14  # points
        assert family.startswith('"Guide Sans CJK"')
        assert color == "rgb(17, 17, 17)"  # near-black on white


def test_pdf_text_is_an_embedded_truetype_font(built: Built) -> None:
    """Searchable text: pdffonts lists only embedded CID TrueType fonts, no Type 3."""
    listing = subprocess.run(
        ["pdffonts", str(built.pdf())], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert "CID TrueType" in line and "Identity-H" in line, line
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, unicode


def test_step_pages_line_up(built: Built, browser: Browser) -> None:
    """Every phone of a step page has the same size and top, every caption the same top,
    however long the captions and whatever the pictures' own sizes."""
    page = browser.new_page()
    page.emulate_media(media="print")
    page.goto((built.out / "android" / "index.html").as_uri(), wait_until="load")
    page.wait_for_function("document.documentElement.dataset.paginated === 'true'")
    rows = page.evaluate(
        """Array.from(document.querySelectorAll('.page--steps')).map(p =>
            Array.from(p.querySelectorAll('.step')).map(s => {
              const img = s.querySelector('img'), box = img.getBoundingClientRect();
              const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
              return [Math.round(img.naturalWidth * scale), Math.round(img.naturalHeight * scale),
                      Math.round(box.top), Math.round(s.querySelector('.caption')
                      .getBoundingClientRect().top)];
            }))"""
    )
    page.close()
    assert len(rows) == 3
    for row in rows:
        assert len({tuple(cells[2:]) for cells in row}) == 1, row  # same top line, captions
        assert len({cells[1] for cells in row}) == 1, row  # same drawn height


def test_rebuild_is_byte_identical(built: Built, chromium_path: str, tmp_path: Path) -> None:
    again = build([edition(built.images)], built.content, tmp_path, chromium_path)
    assert again[-1].read_bytes() == built.pdf().read_bytes()
    html = (tmp_path / "android" / "index.html").read_bytes()
    assert html == (built.out / "android" / "index.html").read_bytes()


def test_failed_print_keeps_the_previous_pdf(built: Built, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "test-guide-android.pdf"
    previous.write_bytes(built.pdf().read_bytes())
    with pytest.raises(GuideError, match="cannot start Chromium for the PDF"):
        build([edition(built.images)], built.content, out, "/nonexistent")
    assert previous.read_bytes() == built.pdf().read_bytes()
    # no staging folder or temporary file is left (a video's digest stamp is not one)
    leftovers = [p for p in out.rglob(".*") if not p.name.endswith(".inputs.sha256")]
    assert leftovers == []


def test_real_content_fits_its_pages(tmp_path: Path, chromium_path: str) -> None:
    """The ねんきんネット guide's own prose, laid out with two synthetic flows."""
    content = load_content(load_config(ROOT / "guide.yaml"))
    written = build([edition(tmp_path / "img")], content, tmp_path / "out", chromium_path)
    texts = page_texts(written[-1])
    starts = assert_toc_matches_pages(texts)
    assert list(starts) == ["1-A", "1-B", "2-A", "2-B", "3-A", "3-B", "3-C"]
    assert starts["1-A"] == 4 and starts["1-B"] == 5  # as in the printed guide
