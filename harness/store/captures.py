"""A capture's files, and the rule `run` follows when it writes them.

A run adds captures that have no approved version and refreshes annotations of unchanged
screens, but never replaces an approved screen that changed or that cannot be read: only
`guideshot approve` does that. Each step is written as one unit (switch.py), each flow
under the baseline lock (lock.py).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from enum import Enum
from hashlib import sha256
from pathlib import Path

from harness.annotate.png import annotation_inputs, draw_png
from harness.capture import AnnotationStamp, CaptureRecord
from harness.capture.results import FlowResult, StepCapture
from harness.files import write_bytes_atomic
from harness.store.layout import flow_dir
from harness.store.lock import baseline_lock
from harness.store.switch import StepSwitch, apply


class Outcome(Enum):
    NEW = "new"  # no approved capture existed: written
    UNCHANGED = "unchanged"  # same raw pixels as the approved capture
    # Judged the same screen (pixels differ only where the scenario leaves them out or within
    # its tolerance): the approved raw capture is kept, its picture follows (derived.py).
    SAME_SCREEN = "same screen"
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
    """The capture's annotated picture: the one already drawn for it, or drawn now."""
    return capture.annotated_png or draw_png(capture.raw_png, capture.record)


def _approved_picture(approved_dir: Path, record: CaptureRecord, inputs: str) -> bytes | None:
    """The approved annotated picture, when it was drawn from exactly these inputs and its
    file is still the one its record names."""
    approved = read_record(approved_dir / f"{Path(record.image).stem}.json")
    stamp = approved.annotation if approved is not None else None
    if stamp is None or stamp.inputs != inputs:
        return None
    try:
        png = (approved_dir / record.image).read_bytes()
    except OSError:
        return None
    return png if sha256(png).hexdigest() == stamp.image_sha256 else None


def annotate_captures(result: FlowResult, approved_dir: Path) -> list[bytes]:
    """Each capture's annotated picture, its record stamped with what drew it.

    A picture the approved set holds for the same inputs (same raw pixels, same record,
    same drawing code) is reused rather than drawn and encoded again: the same bytes.
    """
    pictures = []
    for index, capture in enumerate(result.captures):
        record = capture.record.model_copy(update={"annotation": None})
        inputs = annotation_inputs(record)
        png = _approved_picture(approved_dir, record, inputs) or draw_png(capture.raw_png, record)
        stamp = AnnotationStamp(inputs=inputs, image_sha256=sha256(png).hexdigest())
        record = record.model_copy(update={"annotation": stamp})
        result.captures[index] = replace(capture, record=record, annotated_png=png)
        pictures.append(png)
    return pictures


def capture_files(capture: StepCapture, annotated: bytes) -> dict[str, bytes]:
    record = capture.record
    return {
        record.raw_image: capture.raw_png,
        record.image: annotated,
        f"{Path(record.image).stem}.json": record_json(record).encode("utf-8"),
    }


def _approved_state(folder: Path, capture: StepCapture, same_screen: Collection[int]) -> Outcome:
    """How the approved version of this step stands, judged from its files themselves and
    the drift judgement (`same_screen`: the step numbers judged to show the same screen)."""
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
    if raw_hash == record.raw_sha256:
        return Outcome.UNCHANGED
    return Outcome.SAME_SCREEN if record.number in same_screen else Outcome.CHANGED


def publish_flow(
    approved_root: Path,
    work: Path,
    result: FlowResult,
    annotated: list[bytes],
    summary: WriteSummary,
    same_screen: Collection[int] = (),
) -> None:
    """Write new captures and refresh unchanged ones; leave changed screens for approve.
    Screens judged the same (`same_screen`, step numbers) whose pixels differ keep their
    approved raw capture: their pictures follow the scenario through derived.py.

    Under the baseline lock, per flow: what is judged new or unchanged is what is switched,
    even when an approve runs between two flows (a whole run's hold would refuse every
    approve and review click for minutes)."""
    with baseline_lock(approved_root, "run"):
        _publish(approved_root, work, result, annotated, summary, same_screen)


def _publish(
    approved_root: Path,
    work: Path,
    result: FlowResult,
    annotated: list[bytes],
    summary: WriteSummary,
    same_screen: Collection[int],
) -> None:
    folder = flow_dir(approved_root, result.device, result.flow)
    switches = []
    for capture, png in zip(result.captures, annotated, strict=True):
        record = capture.record
        where = f"{result.device}/{result.flow}/{record.image}"
        state = _approved_state(folder, capture, same_screen)
        summary.add(Outcome.UNCHANGED if state is Outcome.SAME_SCREEN else state, where)
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
    """Keep the screen as it was when a step failed, for the person reading the message, and
    the flow's Playwright trace beside it (`playwright show-trace …/trace.zip`)."""
    failure = result.failure
    if failure is None:
        return None
    folder = flow_dir(failures_root, result.device, result.flow)
    if result.trace is not None:
        write_bytes_atomic(folder / "trace.zip", result.trace)
    if failure.screenshot is None:
        return None
    number = f"{failure.number:02d}" if failure.number else "silent"
    path = folder / f"failed-step-{number}.png"
    write_bytes_atomic(path, failure.screenshot)
    return path
