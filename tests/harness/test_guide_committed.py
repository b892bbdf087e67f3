"""The committed guide PDFs (guide/nenkin-guide-{android,iphone}.pdf) are whole and current.

Read with poppler (pdfinfo, pdftotext) and pypdf; no browser. `pdftotext -raw` keeps the
content stream's order, so a caption that wraps inside its column stays in one piece once
whitespace is removed (`-layout` interleaves the lines of side-by-side captions).
"""

from __future__ import annotations

import bisect
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from harness.capture import CaptureRecord
from harness.guide.assemble import framed
from harness.guide.config import load_config
from harness.guide.content import load_content
from harness.guide.layout import ordered_flows
from harness.guide.render import Look
from harness.numbering import circled
from harness.scenario import Flow, Step
from harness.scenario.load import load_all
from harness.store import flow_dir, read_record

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SCREENSHOTS = ROOT / "screenshots"
CONFIG = load_config(ROOT / "guide.yaml")
STEPS_PER_EDITION = 84
OTHER_SEARCH_APP = {"android": "Safari", "iphone": "Chrome"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: Path, mode: str) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    text = subprocess.run(
        ["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert pages[-1].strip() == ""
    return pages[:-1]


def page_images(page: DictionaryObject) -> list[bytes]:
    """The page's image streams in the order the page names them (JPEG bytes as embedded)."""
    resources = page.get("/Resources")
    if resources is None:
        return []
    xobjects = resources.get_object().get("/XObject")
    if xobjects is None:
        return []
    images = []
    for reference in xobjects.get_object().values():
        stream = reference.get_object()
        if stream.get("/Subtype") == "/Image":
            images.append(stream.get_data())
    return images


@dataclass(frozen=True)
class Edition:
    device: str
    pdf: Path
    flows: list[Flow]  # the device's flows, in the guide's order
    raw_pages: list[str]
    layout_pages: list[str]
    images: list[list[bytes]]  # per page

    @property
    def steps(self) -> list[tuple[Flow, Step]]:
        return [(flow, step) for flow in self.flows for step in flow.numbered]


@pytest.fixture(scope="module", params=["android", "iphone"])
def edition(request: pytest.FixtureRequest) -> Edition:
    device: str = request.param
    pdf = ROOT / "guide" / f"nenkin-guide-{device}.pdf"
    flows = ordered_flows(load_content(CONFIG), load_all(SCENARIOS))
    reader = PdfReader(pdf)
    return Edition(
        device=device,
        pdf=pdf,
        flows=[flow for flow in flows if device in flow.devices],
        raw_pages=pdftotext(pdf, "-raw"),
        layout_pages=pdftotext(pdf, "-layout"),
        images=[page_images(page) for page in reader.pages],
    )


def test_page_count(edition: Edition) -> None:
    info = subprocess.run(
        ["pdfinfo", str(edition.pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert pages is not None, info
    assert len(edition.images) == int(pages.group(1)) == len(edition.raw_pages)
    assert len(edition.images) > 30


def test_captions_in_order_with_one_picture_each(edition: Edition) -> None:
    """Every numbered step's ①caption appears in the guide's order, on a page with its picture."""
    pages = [squeeze(page) for page in edition.raw_pages]
    starts = [sum(len(page) for page in pages[:index]) for index in range(len(pages))]
    text = "".join(pages)
    assert len(edition.steps) == STEPS_PER_EDITION
    captions_on_page = [0] * len(pages)
    position = 0
    for flow, step in edition.steps:
        assert step.number is not None and step.caption is not None
        wanted = circled(step.number) + squeeze(step.caption)
        found = text.find(wanted, position)
        assert found >= 0, (
            f"{flow.id} step {step.number} 「{step.caption}」 is missing from {edition.pdf.name} "
            f"after {text[max(0, position - 40) : position]!r}"
        )
        captions_on_page[bisect.bisect_right(starts, found) - 1] += 1
        position = found + len(wanted)
    pictures_on_page = [len(images) for images in edition.images]
    assert sum(pictures_on_page) == STEPS_PER_EDITION
    assert pictures_on_page == captions_on_page


def test_contents_page_numbers_point_at_their_sections(edition: Edition) -> None:
    contents = next(page for page in edition.layout_pages if "目次" in page)
    entries = re.findall(r"^\s*(\d-[A-Z]\s.+?)\s+P(\d+)\s*$", contents, re.MULTILINE)
    assert [label[:3] for label, _ in entries] == ["1-A", "1-B", "2-A", "2-B", "3-A", "3-B", "3-C"]
    for label, number in entries:
        page = int(number)
        assert 1 < page <= len(edition.raw_pages), (label, page)
        # The section starts on that page: its label heads it, and not the page before.
        assert squeeze(edition.raw_pages[page - 1]).startswith(squeeze(label)), (label, page)
        assert not squeeze(edition.raw_pages[page - 2]).startswith(squeeze(label)), (label, page)
        # The printed page number in the footer is the PDF's page number.
        footer = re.search(r"版\s+(\d+)\s*$", edition.layout_pages[page - 1])
        assert footer is not None and int(footer.group(1)) == page, (label, page)


def test_the_other_phones_search_flow_is_absent(edition: Edition) -> None:
    text = squeeze("".join(edition.raw_pages))
    other = OTHER_SEARCH_APP[edition.device]
    own = OTHER_SEARCH_APP["iphone" if edition.device == "android" else "android"]
    assert f"{own}「」を押す" in text
    assert f"{other}「」を押す" not in text
    assert other not in text


def approved_records(edition: Edition, flow: Flow) -> dict[int, CaptureRecord]:
    folder = flow_dir(SCREENSHOTS, edition.device, flow.id)
    records = (read_record(path) for path in sorted(folder.glob("*.json")))
    return {record.number: record for record in records if record is not None}


def test_every_step_has_its_approved_screenshot(edition: Edition) -> None:
    for flow in edition.flows:
        folder = flow_dir(SCREENSHOTS, edition.device, flow.id)
        approved = approved_records(edition, flow)
        assert sorted(approved) == [step.number for step in flow.numbered], flow.id
        for step in flow.numbered:
            assert step.number is not None
            record = approved[step.number]
            assert record.caption == step.caption, (flow.id, step.number)
            assert (folder / record.image).is_file(), folder / record.image
            assert (folder / record.raw_image).is_file(), folder / record.raw_image


def test_pictures_are_the_approved_screenshots(edition: Edition) -> None:
    """A stale PDF is noticed: the first and last picture of each flow are, byte for byte,
    what `guideshot guide` makes of today's approved screenshot (the whole set takes ~20 s)."""
    pictures = [image for images in edition.images for image in images]
    assert len(pictures) == STEPS_PER_EDITION
    index = 0
    for flow in edition.flows:
        folder = flow_dir(SCREENSHOTS, edition.device, flow.id)
        approved = approved_records(edition, flow)
        numbers = [step.number for step in flow.numbered]
        for offset, number in enumerate(numbers):
            if offset in (0, len(numbers) - 1):
                assert number is not None
                config = next(e for e in CONFIG.config.editions if e.device == edition.device)
                look = Look(page=CONFIG.config.page)
                expected = framed(folder, approved[number], config, CONFIG, look)
                assert pictures[index + offset] == expected, (
                    f"{edition.pdf.name}: the picture of {flow.id} step {number} is not the "
                    "approved screenshot: rebuild with `guideshot guide`"
                )
        index += len(numbers)


def test_text_is_searchable_in_an_embedded_truetype_font(edition: Edition) -> None:
    """Chromium would draw the installed CFF font as Type 3; the guide ships a TrueType cut."""
    rows = subprocess.run(
        ["pdffonts", str(edition.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "CID TrueType" in row and row.split()[-5:-2] == ["yes", "yes", "yes"], row


def test_pictures_print_at_300_dpi(edition: Edition) -> None:
    """Every picture has at least 300 pixels per inch at the size it is printed."""
    listing = subprocess.run(
        ["pdfimages", "-list", str(edition.pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    ppi = [(int(row.split()[12]), int(row.split()[13])) for row in listing if row.strip()]
    assert len(ppi) >= STEPS_PER_EDITION
    assert min(min(pair) for pair in ppi) >= 299  # rounding of the printed size
