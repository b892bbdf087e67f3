"""From a guide config, the scenarios and the approved screenshots to the guide's editions.

Only approved screenshots are used, each framed in its phone and resized for print: a step
whose picture is missing, or was approved for another caption, stops the build with one
line saying which and what to run (`guideshot lint` finds the same beforehand).
"""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image

from harness.capture import CaptureRecord
from harness.frame import frame
from harness.guide.build import build_guide
from harness.guide.config import EditionConfig, LoadedConfig
from harness.guide.content import load_content
from harness.guide.model import GuideEdition, GuideError, GuideFlow, GuideStep, StepReference
from harness.guide.render import Look
from harness.guide.words import GuideWords
from harness.numbering import circled
from harness.scenario import Flow
from harness.store import flow_dir, read_record

# Pictures are printed at 300 dpi. Their printed height is at most the page less its fixed
# parts (margins, band, a one-line flow title, captions, footer: at least 65 mm), and at most
# what the column's width allows; 2 % more covers rounding, so never less than 300 dpi.
PRINT_DPI = 300
PAGE_FIXED_MM = 65.0
SAFETY = 1.02
COLUMN_GAPS_MM = 6.0
PAGE_SIDES_MM = 28.0
PRINT_QUALITY = 88  # JPEG: the photos of screens keep crisp text at 300 dpi
PROGRESSIVE = True  # the same coefficients, so the same pixels, in about 6 % fewer bytes


def display_host(url: str, hosts: dict[str, str]) -> str | None:
    """The host the browser bar shows, or None for screens that are not web pages."""
    parsed = urlparse(url)
    if parsed.netloc:
        return parsed.hostname
    owners = [prefix for prefix in hosts if url.startswith(prefix)]
    return hosts[max(owners, key=len)] if owners else None  # the most specific prefix


def print_height_px(look: Look, aspect: float) -> int:
    """Pixels for 300 dpi at the printed height of a picture `aspect` (width / height) wide."""
    page_w, page_h = look.page_mm
    columns = look.page.steps_per_page
    column_mm = (page_w - PAGE_SIDES_MM - (columns - 1) * COLUMN_GAPS_MM) / columns
    height_mm = min(page_h - PAGE_FIXED_MM, column_mm / aspect) * SAFETY
    return math.ceil(height_mm / 25.4 * PRINT_DPI)


def alt_text(number: int, caption: str, record: CaptureRecord, words: GuideWords) -> str:
    """What a picture says to someone who cannot see it: its number and caption, and what
    the red box shows when the step boxes a named target."""
    name = (record.target_text or record.target_name or "").strip().strip("「」")
    boxed = words.boxed_text(name) if record.highlights and name else ""
    return f"{circled(number)}{caption}{boxed}"


def approved(folder: Path) -> dict[int, CaptureRecord]:
    records = (read_record(path) for path in sorted(folder.glob("*.json")))
    return {record.number: record for record in records if record is not None}


def print_picture(
    folder: Path, record: CaptureRecord, edition: EditionConfig, loaded: LoadedConfig, look: Look
) -> Image.Image:
    """One step's annotated screenshot in its phone, at its printed size."""
    with Image.open(folder / record.image) as annotated:
        picture = annotated.convert("RGB")
    kind = edition.frame_kind
    if kind != "none":
        picture = frame(
            picture,
            device=kind,
            scale=record.environment.scale,
            clock=loaded.config.frame_clock,
            host=display_host(record.url, loaded.config.address_hosts),
        )
    height = print_height_px(look, picture.width / picture.height)
    if picture.height > height:
        width = round(picture.width * height / picture.height)
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    return picture


def print_jpeg(picture: Image.Image, *, progressive: bool = PROGRESSIVE) -> bytes:
    buffer = io.BytesIO()
    dpi = (PRINT_DPI, PRINT_DPI)
    picture.save(
        buffer,
        format="JPEG",
        quality=PRINT_QUALITY,
        optimize=True,
        progressive=progressive,
        dpi=dpi,
    )
    return buffer.getvalue()


def framed(
    folder: Path, record: CaptureRecord, edition: EditionConfig, loaded: LoadedConfig, look: Look
) -> bytes:
    """The print picture of one step: its annotated screenshot in its phone, as JPEG."""
    return print_jpeg(print_picture(folder, record, edition, loaded, look))


def edition_for(
    edition: EditionConfig,
    loaded: LoadedConfig,
    flows: Sequence[Flow],
    screenshots: Path,
    images: Path,
    look: Look,
) -> GuideEdition:
    config = loaded.config
    notes = {(n.flow, n.before_step): n.text for n in config.notes}
    guide_flows: list[GuideFlow] = []
    for flow in (f for f in flows if edition.device in f.devices):
        folder = flow_dir(screenshots, edition.device, flow.id)
        records = approved(folder)
        steps = []
        for step in flow.numbered:
            assert step.number is not None and step.caption is not None
            record = records.get(step.number)
            if record is None or not (folder / record.image).is_file():
                raise GuideError(
                    f"{step.source.file}:{step.source.line}: no approved screenshot for step "
                    f"{step.number} 「{step.caption}」 in {folder}; run `guideshot run` and "
                    "`guideshot approve`"
                )
            if record.caption != step.caption:
                raise GuideError(
                    f"{step.source.file}:{step.source.line}: {folder / record.image} was "
                    f"approved for 「{record.caption}」 but the scenario now says "
                    f"「{step.caption}」; run `guideshot check` and `guideshot approve`"
                )
            image = images / edition.device / flow.id / f"{Path(record.image).stem}.jpg"
            image.parent.mkdir(parents=True, exist_ok=True)
            image.write_bytes(framed(folder, record, edition, loaded, look))
            note = notes.get((flow.id, step.number))
            alt = alt_text(step.number, step.caption, record, look.words)
            steps.append(
                GuideStep(
                    number=step.number,
                    caption=step.caption,
                    image=image,
                    picture=folder / record.image,
                    alt=alt,
                    note=note,
                )
            )
        guide_flows.append(
            GuideFlow(
                id=flow.id,
                section=flow.section,
                title=flow.title,
                steps=steps,
                outcome=flow.outcome,
            )
        )
    shown = {flow.id for flow in guide_flows}
    references = [
        StepReference(text=r.text, flow=r.flow, step=r.step)
        for r in config.references
        if r.flow in shown
    ]
    return GuideEdition(
        device=edition.device,
        device_label=edition.label,
        flows=guide_flows,
        references=references,
    )


def chosen_editions(loaded: LoadedConfig, devices: Sequence[str]) -> list[EditionConfig]:
    editions = loaded.config.editions
    known = [edition.device for edition in editions]
    for device in devices:
        if device not in known:
            raise GuideError(
                f"--device {device}: {loaded.path} has editions for {', '.join(known)}"
            )
    return [edition for edition in editions if not devices or edition.device in devices]


def assemble(
    loaded: LoadedConfig,
    flows: Sequence[Flow],
    *,
    screenshots: Path,
    out: Path,
    devices: Sequence[str] = (),
    pdf: bool = True,
    with_frame: bool = True,
    browser_path: str | None = None,
) -> list[Path]:
    """Build the chosen editions (all by default); returns the files written."""
    config = loaded.config
    look = Look(page=config.page, language=config.language, words=config.fixed_words)
    content = load_content(loaded)
    editions = chosen_editions(loaded, devices)
    if not with_frame:
        editions = [e.model_copy(update={"frame": "none"}) for e in editions]
    icons = {word: loaded.file(path) for word, path in config.icons.items()}
    with tempfile.TemporaryDirectory(prefix="guideshot-guide-") as scratch:
        built = [
            edition_for(edition, loaded, flows, screenshots, Path(scratch), look)
            for edition in editions
        ]
        return build_guide(
            built,
            content,
            out,
            pdf_name={e.device: config.pdf_name(e.device) for e in editions} if pdf else None,
            look=look,
            icons=icons,
            browser_path=browser_path,
        )
