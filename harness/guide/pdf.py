"""Printing the guide's HTML to PDF with Chromium, after paginate.js has laid it out."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from harness.guide.files import write_atomic
from harness.guide.model import GuideError

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAYOUT_TIMEOUT_MS = 30_000

# Chromium stamps the print time into the PDF; a fixed stamp of the same length keeps the
# cross-reference offsets valid and makes two builds of the same guide byte-comparable.
_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")


def default_browser() -> str | None:
    """The system Chromium if there is one; None lets Playwright use its own download."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdfs(jobs: Sequence[tuple[Path, Path]], *, browser_path: str | None = None) -> None:
    """Print each (index.html, target.pdf) pair; one browser for all of them."""
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=browser_path or default_browser(), args=LAUNCH_ARGS
            )
        except PlaywrightError as err:
            first = str(err).strip().splitlines()[0]
            message = f"cannot start Chromium for the PDF ({first}); pass browser_path"
            raise GuideError(message) from None
        try:
            for html, target in jobs:
                write_atomic(target, _print_one(browser, html))
        finally:
            browser.close()


def _print_one(browser: Browser, html: Path) -> bytes:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.emulate_media(media="print")  # measure prose with the same rules it prints with
        page.goto(html.resolve().as_uri(), wait_until="load")
        try:
            page.wait_for_function(
                "document.documentElement.dataset.paginated === 'true'", timeout=LAYOUT_TIMEOUT_MS
            )
        except PlaywrightError:
            detail = "; ".join(errors) or "no script error"
            raise GuideError(f"{html}: the page layout did not finish ({detail})") from None
        overflow = page.evaluate("document.documentElement.dataset.overflow || ''")
        if overflow:
            raise GuideError(f"{html}: a prose block is taller than a page in {overflow}; split it")
        # Tagged: a structure tree (headings, lists, figures with their alt text, in the
        # page's reading order) and /Lang from <html lang>; the outline is built from it.
        data = page.pdf(
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            tagged=True,
            outline=True,
        )
    finally:
        page.close()
    return fixed_dates(data)


def fixed_dates(pdf: bytes) -> bytes:
    return _DATE.sub(lambda m: b"/%s (D:20000101000000%s)" % (m[1], m[3]), pdf)
