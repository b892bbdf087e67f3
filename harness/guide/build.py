"""Building the guide: one folder per edition (index.html, assets/, images/) and its PDF."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from harness.guide.content import DEFAULT_CONTENT_DIR, load_content
from harness.guide.files import staging_dir, swap_in, write_atomic
from harness.guide.model import GuideEdition, GuideError
from harness.guide.pdf import print_pdfs
from harness.guide.render import ASSETS, TEMPLATE_DIR, image_href, render_edition


def pdf_name(device: str) -> str:
    return f"nenkin-guide-{device}.pdf"


def build_guide(
    editions: Sequence[GuideEdition],
    out_dir: Path,
    *,
    pdf: bool = True,
    browser_path: str | None = None,
    content_dir: Path | None = None,
) -> list[Path]:
    """Write out_dir/<device>/index.html for each edition and, with `pdf`, the PDFs beside
    them. Returns the written index.html and PDF paths. Raises GuideError, one line, on
    any input problem, before anything is written."""
    devices = [edition.device for edition in editions]
    if len(set(devices)) != len(devices):
        raise GuideError(f"one edition per device, got {devices}")
    content = load_content(content_dir or DEFAULT_CONTENT_DIR)
    for edition in editions:
        check_images(edition)
    pages = {edition.device: render_edition(edition, content) for edition in editions}

    written: list[Path] = []
    for edition in editions:
        target = out_dir / edition.device
        staged = staging_dir(target)
        try:
            _write_edition(edition, pages[edition.device], staged)
            swap_in(staged, target)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        written.append(target / "index.html")
    if pdf:
        jobs = [(out_dir / d / "index.html", out_dir / pdf_name(d)) for d in devices]
        print_pdfs(jobs, browser_path=browser_path)
        written += [target for _, target in jobs]
    return written


def check_images(edition: GuideEdition) -> None:
    for flow in edition.flows:
        for step in flow.steps:
            if not step.image.is_file():
                raise GuideError(
                    f"{edition.device} flow {flow.id} step {step.number}: "
                    f"image not found: {step.image}"
                )


def _write_edition(edition: GuideEdition, html: str, folder: Path) -> None:
    for name in ASSETS:
        destination = folder / "assets" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE_DIR / name, destination)
    for flow in edition.flows:
        for step in flow.steps:
            destination = folder / image_href(flow.id, step)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(step.image, destination)
    write_atomic(folder / "index.html", html.encode("utf-8"))
