"""Which page of each printed edition a step sits on, read from the committed PDFs.

The guide's pages are numbered only when the browser lays it out (paginate.js splits prose
that overflows), and the step anchors do not survive into the PDF, so the page numbers are
read back from each edition's PDF (`guide/<name>-<device>.pdf`) with poppler's pdftotext:
the page that carries the flow's heading and the step's 「⑦ caption」. These are the pages
as printed, which is what a reprint needs. (Once the guide build records its pagination, read that.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.numbering import circled

GUIDE_DIR = Path("guide")
CAPTION_PREFIX = 4  # enough of the caption to tell steps with the same number apart
# Only letters and digits are compared: pdftotext may reorder a bracket and the word after it.
_NOT_WORD = re.compile(r"[\W_]+")
# A heading's 「17ページ④」 is rewritten to the page the step really lands on: compare without it.
_PAGE_REF = re.compile(r"\d+ページ")


@dataclass(frozen=True)
class StepAt:
    """A step to place: the flow's title as the guide prints it, and the step's caption."""

    device: str
    flow: str
    title: str
    number: int
    caption: str


def edition_pdf(guide_dir: Path, device: str) -> Path:
    """The one `<name>-<device>.pdf` in the guide folder (guide.yaml's `name` chooses it)."""
    found = sorted(guide_dir.glob(f"*-{device}.pdf"))
    return found[0] if len(found) == 1 else guide_dir / f"guide-{device}.pdf"


def _squash(text: str) -> str:
    return _NOT_WORD.sub("", _PAGE_REF.sub("ページ", text))


def _headings(title: str) -> list[str]:
    """The printed heading and its parenthetical second line (as the guide splits them)."""
    for opener in (" (", " （", "(", "（"):
        head, sep, rest = title.partition(opener)
        if sep and head and title.endswith((")", "）")):
            return [_squash(head), _squash(sep + rest)]
    return [_squash(title)]


@cache
def _pages(pdf: Path, mtime_ns: int) -> tuple[str, ...]:
    """Each page's letters and digits (pdftotext separates pages by form feeds)."""
    del mtime_ns  # part of the cache key only: a rebuilt PDF is read again
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return ()
    result = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=False
    )
    if result.returncode != 0:
        return ()
    return tuple(_squash(page) for page in result.stdout.decode("utf-8").split("\f"))


def edition_pages(pdf: Path) -> tuple[str, ...]:
    if not pdf.is_file():
        return ()
    return _pages(pdf.resolve(), pdf.stat().st_mtime_ns)


def find_page(pages: tuple[str, ...], step: StepAt) -> int | None:
    """The 1-based page carrying the flow's heading and the numbered caption, if one does."""
    headings = _headings(step.title)
    flow_pages = [n for n, text in enumerate(pages, 1) if all(h in text for h in headings)]
    if not flow_pages:  # a heading with a page reference rewritten: its first line suffices
        flow_pages = [n for n, text in enumerate(pages, 1) if headings[0] in text]
    mark = circled(step.number)
    exact = mark + _squash(step.caption)[:CAPTION_PREFIX]
    for wanted in (exact, mark):
        found = [n for n in flow_pages if wanted in pages[n - 1]]
        if found:
            return found[0]
    return None


def guide_pages(guide_dir: Path, steps: Iterable[StepAt]) -> dict[tuple[str, str, int], int]:
    """(device, flow, number) → page in that device's edition, for the steps found there."""
    placed: dict[tuple[str, str, int], int] = {}
    for step in steps:
        pages = edition_pages(edition_pdf(guide_dir, step.device))
        page = find_page(pages, step) if pages else None
        if page is not None:
            placed[(step.device, step.flow, step.number)] = page
    return placed
