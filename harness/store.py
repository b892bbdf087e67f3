"""Where captures live on disk, and the rule that protects approved screenshots.

A capture is three files side by side: `<stem>.raw.png` (the screen as captured),
`<stem>.png` (annotated) and `<stem>.json` (its CaptureRecord). The approved set is
`screenshots/<device>/<flow>/`; the latest run's captures are staged under
`.guideshot/current/<device>/<flow>/`. A run adds captures that have no approved version
and refreshes annotations of unchanged screens, but never replaces an approved screen
that changed: only `guideshot approve` does that.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass, field
from enum import Enum
from hashlib import sha256
from pathlib import Path

from PIL import Image

from harness.annotate import annotate
from harness.capture import CaptureRecord
from harness.files import write_bytes_atomic, write_text_atomic
from harness.runner import FlowResult, StepCapture

STAGING = Path(".guideshot") / "current"
FAILURES = Path(".guideshot") / "failures"


class Outcome(Enum):
    NEW = "new"  # no approved capture existed: written
    UNCHANGED = "unchanged"  # same raw pixels as the approved capture
    CHANGED = "changed"  # the screen differs from the approved capture: staged, not replaced


@dataclass
class WriteSummary:
    outcomes: dict[Outcome, list[str]] = field(default_factory=lambda: {o: [] for o in Outcome})

    def add(self, outcome: Outcome, where: str) -> None:
        self.outcomes[outcome].append(where)

    def count(self, outcome: Outcome) -> int:
        return len(self.outcomes[outcome])


def flow_dir(root: Path, device: str, flow: str) -> Path:
    return root / device / flow


def read_record(path: Path) -> CaptureRecord | None:
    """The record at `path`, or None when it is missing or unreadable (treated as absent)."""
    try:
        return CaptureRecord.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None


def record_json(record: CaptureRecord) -> str:
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def annotated_png(capture: StepCapture) -> bytes:
    raw = Image.open(io.BytesIO(capture.raw_png))
    image = annotate(raw, capture.record)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def write_capture(folder: Path, capture: StepCapture, annotated: bytes) -> None:
    record = capture.record
    write_bytes_atomic(folder / record.raw_image, capture.raw_png)
    write_bytes_atomic(folder / record.image, annotated)
    write_text_atomic(folder / f"{Path(record.image).stem}.json", record_json(record))


def _write_if_different(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        write_bytes_atomic(path, data)


def stage_flow(staging_root: Path, result: FlowResult, annotated: list[bytes]) -> Path:
    """Replace the staged captures of this flow × device with this run's."""
    folder = flow_dir(staging_root, result.device, result.flow)
    if folder.exists():
        shutil.rmtree(folder)
    for capture, png in zip(result.captures, annotated, strict=True):
        write_capture(folder, capture, png)
    return folder


def publish_flow(
    approved_root: Path, result: FlowResult, annotated: list[bytes], summary: WriteSummary
) -> None:
    """Write new captures and refresh unchanged ones; leave changed screens for approve."""
    folder = flow_dir(approved_root, result.device, result.flow)
    for capture, png in zip(result.captures, annotated, strict=True):
        record = capture.record
        where = f"{result.device}/{result.flow}/{record.image}"
        approved = read_record(folder / f"{Path(record.image).stem}.json")
        if approved is None or not (folder / record.raw_image).is_file():
            write_capture(folder, capture, png)
            summary.add(Outcome.NEW, where)
        elif sha256((folder / record.raw_image).read_bytes()).hexdigest() == record.raw_sha256:
            # Same screen: a restyled box or a new record field is not a change of the screen.
            _write_if_different(folder / record.image, png)
            _write_if_different(
                folder / f"{Path(record.image).stem}.json", record_json(record).encode("utf-8")
            )
            summary.add(Outcome.UNCHANGED, where)
        else:
            summary.add(Outcome.CHANGED, where)


def write_failure(failures_root: Path, result: FlowResult) -> Path | None:
    """Keep the screen as it was when a step failed, for the person reading the message."""
    failure = result.failure
    if failure is None or failure.screenshot is None:
        return None
    number = f"{failure.number:02d}" if failure.number else "silent"
    path = flow_dir(failures_root, result.device, result.flow) / f"failed-step-{number}.png"
    write_bytes_atomic(path, failure.screenshot)
    return path
