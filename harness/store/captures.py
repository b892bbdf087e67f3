"""A capture's files, and the rule `run` follows when it writes them.

A run adds captures that have no approved version and refreshes annotations of unchanged
screens, but never replaces an approved screen that changed or that cannot be read: only
`guideshot approve` does that. Each step is written as one unit (switch.py).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from enum import Enum
from hashlib import sha256
from pathlib import Path

from PIL import Image

from harness.annotate import annotate
from harness.capture import CaptureRecord
from harness.capture.results import FlowResult, StepCapture
from harness.files import write_bytes_atomic
from harness.store.layout import flow_dir
from harness.store.switch import StepSwitch, apply


class Outcome(Enum):
    NEW = "new"  # no approved capture existed: written
    UNCHANGED = "unchanged"  # same raw pixels as the approved capture
    CHANGED = "changed"  # the screen differs from the approved capture: staged, not replaced
    UNREADABLE = "baseline unreadable"  # the approved files are damaged: left for approve


@dataclass
class WriteSummary:
    outcomes: dict[Outcome, list[str]] = field(default_factory=lambda: {o: [] for o in Outcome})

    def add(self, outcome: Outcome, where: str) -> None:
        self.outcomes[outcome].append(where)

    def count(self, outcome: Outcome) -> int:
        return len(self.outcomes[outcome])


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


def capture_files(capture: StepCapture, annotated: bytes) -> dict[str, bytes]:
    record = capture.record
    return {
        record.raw_image: capture.raw_png,
        record.image: annotated,
        f"{Path(record.image).stem}.json": record_json(record).encode("utf-8"),
    }


def _approved_state(folder: Path, capture: StepCapture) -> Outcome:
    """How the approved version of this step stands, judged from its files themselves."""
    record = capture.record
    stem = Path(record.image).stem
    names = (record.raw_image, record.image, f"{stem}.json")
    present = [name for name in names if (folder / name).is_file()]
    if not present:
        return Outcome.NEW
    approved = read_record(folder / f"{stem}.json")
    if approved is None or len(present) < len(names):
        return Outcome.UNREADABLE
    raw_hash = sha256((folder / record.raw_image).read_bytes()).hexdigest()
    if raw_hash != approved.raw_sha256:
        return Outcome.UNREADABLE  # the image is not the one its record describes
    return Outcome.UNCHANGED if raw_hash == record.raw_sha256 else Outcome.CHANGED


def publish_flow(
    approved_root: Path,
    work: Path,
    result: FlowResult,
    annotated: list[bytes],
    summary: WriteSummary,
) -> None:
    """Write new captures and refresh unchanged ones; leave changed screens for approve."""
    folder = flow_dir(approved_root, result.device, result.flow)
    switches = []
    for capture, png in zip(result.captures, annotated, strict=True):
        record = capture.record
        where = f"{result.device}/{result.flow}/{record.image}"
        state = _approved_state(folder, capture)
        summary.add(state, where)
        if state is Outcome.NEW:
            files = capture_files(capture, png)
        elif state is Outcome.UNCHANGED:
            # Same screen: a restyled box or a new record field is not a change of the screen.
            files = {
                name: data
                for name, data in capture_files(capture, png).items()
                if (folder / name).read_bytes() != data
            }
        else:
            continue
        if files:
            switches.append(StepSwitch(folder, tuple(files), files, where))
    apply(work, switches)


def write_failure(failures_root: Path, result: FlowResult) -> Path | None:
    """Keep the screen as it was when a step failed, for the person reading the message."""
    failure = result.failure
    if failure is None or failure.screenshot is None:
        return None
    number = f"{failure.number:02d}" if failure.number else "silent"
    path = flow_dir(failures_root, result.device, result.flow) / f"failed-step-{number}.png"
    write_bytes_atomic(path, failure.screenshot)
    return path
