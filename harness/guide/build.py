"""Building the guide: one folder per edition (index.html, assets/, images/, the web edition
in web/) and its PDF."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from harness.guide.content import GuideContent
from harness.guide.files import staging_dir, swap_in, write_atomic
from harness.guide.model import GuideEdition, GuideError
from harness.guide.pdf import print_pdfs
from harness.guide.printfont import guide_fonts
from harness.guide.render import ASSETS, TEMPLATE_DIR, Look, image_href, render_edition
from harness.guide.video import VIDEO_DIR, write_videos
from harness.guide.web import write_web_edition


def build_guide(
    editions: Sequence[GuideEdition],
    content: GuideContent,
    out_dir: Path,
    *,
    pdf_name: Mapping[str, str] | None = None,
    look: Look | None = None,
    icons: Mapping[str, Path] | None = None,
    browser_path: str | None = None,
) -> list[Path]:
    """Write out_dir/<device>/index.html and its web edition (<device>/web/) for each
    edition and, for each device named in `pdf_name` (device → file name), that PDF beside
    the folders. `icons` are the caption
    icons' files (word → path). Returns the written index.html and PDF paths. Raises
    GuideError, one line, on any input problem, before anything is written. The web pages
    are written last in each edition's folder, so they link the videos it holds."""
    devices = [edition.device for edition in editions]
    if len(set(devices)) != len(devices):
        raise GuideError(f"one edition per device, got {devices}")
    icon_files = dict(icons or {})
    for word, path in icon_files.items():
        if not path.is_file():
            raise GuideError(f"icon for {word!r} not found: {path}")
    hrefs = {word: f"assets/icons/{path.name}" for word, path in icon_files.items()}
    look = replace(look or Look(), icons=hrefs)
    for edition in editions:
        check_images(edition)
    pages = {edition.device: render_edition(edition, content, look) for edition in editions}
    # The stylesheet writes text too (the list marker ○).
    fonts = guide_fonts([*pages.values(), (TEMPLATE_DIR / "guide.css").read_text("utf-8")])

    written: list[Path] = []
    for edition in editions:
        target = out_dir / edition.device
        staged = staging_dir(target)
        try:
            _write_edition(edition, pages[edition.device], staged, list(icon_files.values()))
            for name, data in fonts.items():
                write_atomic(staged / "assets" / "fonts" / name, data)
            # Videos before the web pages, which embed them; unchanged ones are reused.
            videos = write_videos(edition, staged / VIDEO_DIR, built=target / VIDEO_DIR, look=look)
            web = write_web_edition(edition, content, look, staged)
            swap_in(staged, target)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        written += [target / "index.html", target / web.relative_to(staged)]
        written += [target / VIDEO_DIR / path.name for path in videos]
    jobs = [(out_dir / d / "index.html", out_dir / name) for d, name in (pdf_name or {}).items()]
    if jobs:
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


def _write_edition(edition: GuideEdition, html: str, folder: Path, icons: Sequence[Path]) -> None:
    for name in ASSETS:
        destination = folder / "assets" / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE_DIR / name, destination)
    for icon in icons:
        destination = folder / "assets" / "icons" / icon.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icon, destination)
    for flow in edition.flows:
        for step in flow.steps:
            destination = folder / image_href(flow.id, step)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(step.image, destination)
    write_atomic(folder / "index.html", html.encode("utf-8"))
