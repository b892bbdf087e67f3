"""`guideshot guide`: the guide (HTML and PDF per device) from scenarios + approved screenshots.

Only approved screenshots are used: a step whose picture is missing, or was approved for
another caption, stops the build with one line saying which and what to run.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import yaml
from PIL import Image

from harness.capture import CaptureRecord
from harness.console import err, fail
from harness.frame import frame
from harness.guide import (
    GuideEdition,
    GuideError,
    GuideFlow,
    GuideStep,
    StepReference,
    build_guide,
)
from harness.guide.content import DEFAULT_CONTENT_DIR
from harness.scenario import Flow
from harness.store import flow_dir, read_record
from simulator.config import DEFAULT_CLOCK

# The guide's data lives beside its prose, wherever the command is run from.
GUIDE_DIR = DEFAULT_CONTENT_DIR.parent
ORDER_FILE = GUIDE_DIR / "order.yaml"
REFERENCES_FILE = GUIDE_DIR / "references.yaml"
NOTES_FILE = GUIDE_DIR / "notes.yaml"
DEVICE_LABELS = {"android": "Android", "iphone": "iPhone"}
# The addresses the guide's pictures show for the simulated sites' paths.
SITE_HOSTS = {"/nenkin/": "www3.idpass-net.nenkin.go.jp", "/myna/": "myna.go.jp"}
USAGE_ERROR = 2
# Four phones across an A4 page print about 120 mm tall: 1,000 px is over 200 dpi there.
# JPEG at quality 90 keeps each edition's PDF near 8 MB instead of 18 (PNG).
PRINT_HEIGHT_PX = 1000
PRINT_QUALITY = 90


def display_host(url: str) -> str | None:
    """The host the browser bar shows, or None for screens that are not web pages."""
    parsed = urlparse(url)
    if parsed.netloc:
        return parsed.hostname
    return next((host for prefix, host in SITE_HOSTS.items() if url.startswith(prefix)), None)


def guide_order(flows: Sequence[Flow], order_file: Path = ORDER_FILE) -> list[Flow]:
    """Flows in the guide's order; flows the order file does not name come last, by id."""
    order: list[str] = []
    if order_file.is_file():
        order = [str(item) for item in yaml.safe_load(order_file.read_text("utf-8")) or []]
    rank = {flow_id: index for index, flow_id in enumerate(order)}
    return sorted(flows, key=lambda flow: (rank.get(flow.id, len(rank)), flow.id))


def step_references(path: Path = REFERENCES_FILE) -> list[StepReference]:
    if not path.is_file():
        return []
    entries = yaml.safe_load(path.read_text("utf-8")) or []
    return [StepReference.model_validate(entry) for entry in entries]


def step_notes(path: Path = NOTES_FILE) -> dict[tuple[str, int], str]:
    """(flow, step) → the note the guide prints before that step."""
    if not path.is_file():
        return {}
    entries = yaml.safe_load(path.read_text("utf-8")) or []
    return {(str(e["flow"]), int(e["before_step"])): str(e["text"]) for e in entries}


def _approved(folder: Path) -> dict[int, CaptureRecord]:
    records = (read_record(path) for path in sorted(folder.glob("*.json")))
    return {record.number: record for record in records if record is not None}


def _framed(folder: Path, record: CaptureRecord, device: str, with_frame: bool) -> bytes:
    with Image.open(folder / record.image) as annotated:
        picture = annotated.convert("RGB")
    if with_frame:
        picture = frame(
            picture,
            device="iphone" if device == "iphone" else "android",
            scale=record.environment.scale,
            clock=DEFAULT_CLOCK,
            host=display_host(record.url),
        )
    if picture.height > PRINT_HEIGHT_PX:
        width = round(picture.width * PRINT_HEIGHT_PX / picture.height)
        picture = picture.resize((width, PRINT_HEIGHT_PX), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=PRINT_QUALITY, optimize=True)
    return buffer.getvalue()


def edition_for(
    device: str, flows: Sequence[Flow], screenshots: Path, images: Path, with_frame: bool
) -> GuideEdition:
    guide_flows: list[GuideFlow] = []
    notes = step_notes()
    for flow in guide_order([f for f in flows if device in f.devices]):
        folder = flow_dir(screenshots, device, flow.id)
        approved = _approved(folder)
        steps = []
        for step in flow.numbered:
            assert step.number is not None and step.caption is not None
            record = approved.get(step.number)
            if record is None or not (folder / record.image).is_file():
                raise GuideError(
                    f"{folder}: no approved screenshot for step {step.number} "
                    f"「{step.caption}」 ({step.source}); run `guideshot run` and "
                    "`guideshot approve`"
                )
            if record.caption != step.caption:
                raise GuideError(
                    f"{folder / record.image}: approved for 「{record.caption}」 but the "
                    f"scenario now says 「{step.caption}」 ({step.source}); run "
                    "`guideshot check` and `guideshot approve`"
                )
            image = images / device / flow.id / f"{Path(record.image).stem}.jpg"
            image.parent.mkdir(parents=True, exist_ok=True)
            image.write_bytes(_framed(folder, record, device, with_frame))
            steps.append(
                GuideStep(
                    number=step.number,
                    caption=step.caption,
                    image=image,
                    note=notes.get((flow.id, step.number)),
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
    label = DEVICE_LABELS.get(device)
    if label is None:
        raise GuideError(f"--device {device}: the guide has editions for android and iphone")
    shown = {flow.id for flow in guide_flows}
    references = [r for r in step_references() if r.flow in shown]
    return GuideEdition.model_validate(
        {"device": device, "device_label": label, "flows": guide_flows, "references": references}
    )


def build(
    flows: Sequence[Flow],
    *,
    screenshots: Path,
    out: Path,
    devices: Sequence[str],
    pdf: bool,
    with_frame: bool,
    browser_path: str | None,
) -> int:
    chosen = list(dict.fromkeys(devices)) or list(DEVICE_LABELS)
    try:
        with tempfile.TemporaryDirectory(prefix="guideshot-guide-") as scratch:
            editions = [
                edition_for(device, flows, screenshots, Path(scratch), with_frame)
                for device in chosen
            ]
            written = build_guide(editions, out, pdf=pdf, browser_path=browser_path)
    except GuideError as exc:
        fail(str(exc))
        return USAGE_ERROR
    for path in written:
        err.print(f"wrote {path}", markup=False)
    return 0
