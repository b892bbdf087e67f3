"""From one flow's run and its approved captures to a FlowVerdict, with report images."""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import shutil
from pathlib import Path

from PIL import Image

from harness.capture import CaptureRecord
from harness.drift import Thresholds, circled, judge_step, normalise_label, quoted_labels
from harness.runner import FlowFailure, FlowResult, StepCapture
from harness.scenario import Flow
from harness.store import annotated_png, flow_dir, read_record
from harness.verdict import Difference, DifferenceKind, FlowVerdict, StepStatus, StepVerdict

CANDIDATE = re.compile(r"「(.*)」$")
# A near miss this similar to what the caption quotes is the same element, relabelled.
RELABEL_SIMILARITY = 0.5


def approved_captures(folder: Path) -> dict[int, tuple[CaptureRecord, Path]]:
    """Approved records by step number, with the folder's path to each record's raw image."""
    found: dict[int, tuple[CaptureRecord, Path]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        record = read_record(path)
        if record is not None and (folder / record.raw_image).is_file():
            found[record.number] = (record, folder / record.raw_image)
    return found


def broken_difference(failure: FlowFailure, approved: CaptureRecord | None = None) -> Difference:
    """Why the step cannot be performed, naming a relabelled element when there is one.

    What now stands where the approved capture had the target (same role, overlapping
    box) is the target under a new name; failing that, a near miss with a similar name. An
    element the approved screen already showed (a sibling button, say) is neither: the step
    is then simply broken.
    """
    step = f"step {circled(failure.number)}" if failure.number else "a step without a picture"
    approved_text = approved.visible_text if approved is not None else None

    def shown_before(name: str) -> bool:
        return approved_text is not None and normalise_label(name) in normalise_label(approved_text)

    new_label = in_its_place(failure, approved)
    if new_label is None and failure.wanted and failure.candidates:
        best = CANDIDATE.search(failure.candidates[0])
        if best is not None:
            similarity = difflib.SequenceMatcher(None, failure.wanted, best.group(1)).ratio()
            new_label = best.group(1) if similarity >= RELABEL_SIMILARITY else None
    if failure.wanted and new_label is not None and not shown_before(new_label):
        quoted = failure.caption is not None and failure.wanted in quoted_labels(failure.caption)
        return Difference(
            kind=DifferenceKind.LABEL_CHANGED,
            sentence=(
                f"{step}: 「{failure.wanted}」 is now labelled 「{new_label}」; "
                + (
                    "the caption quotes the old label"
                    if quoted
                    else "the scenario names the old one"
                )
            ),
        )
    closest = (
        f"; closest on the screen: {', '.join(failure.candidates)}" if failure.candidates else ""
    )
    return Difference(
        kind=DifferenceKind.STEP_BROKEN,
        sentence=f"{step} can no longer be performed: {failure.message}{closest}",
    )


def in_its_place(failure: FlowFailure, approved: CaptureRecord | None) -> str | None:
    """The name of what now overlaps the approved target's box most, with the same role."""
    old = approved.target_box if approved is not None else None
    if old is None:
        return None
    best, best_area = None, 0.0
    for element in failure.on_screen:
        if failure.role is not None and element.role != failure.role:
            continue
        box = element.box
        width = min(old.x + old.width, box.x + box.width) - max(old.x, box.x)
        height = min(old.y + old.height, box.y + box.height) - max(old.y, box.y)
        if width > 0 and height > 0 and width * height > best_area:
            best, best_area = element.name, width * height
    return best


class ReportImages:
    """Copies the pictures a person needs next to the report, only for steps that differ."""

    def __init__(self, report_dir: Path) -> None:
        self.report_dir = report_dir

    def _path(self, record: CaptureRecord, kind: str) -> Path:
        return Path("images") / record.device / record.flow / f"{record.number:02d}-{kind}.png"

    def save(self, record: CaptureRecord, kind: str, png: bytes) -> str:
        relative = self._path(record, kind)
        target = self.report_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png)
        return relative.as_posix()

    def copy(self, record: CaptureRecord, kind: str, source: Path) -> str | None:
        if not source.is_file():
            return None
        relative = self._path(record, kind)
        (self.report_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, self.report_dir / relative)
        return relative.as_posix()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _step_verdict_for_current(
    flow: Flow,
    capture: StepCapture,
    approved: tuple[CaptureRecord, Path] | None,
    baseline_dir: Path,
    images: ReportImages,
) -> StepVerdict:
    record = capture.record
    if approved is None:
        verdict = StepVerdict(
            flow=record.flow,
            device=record.device,
            number=record.number,
            caption=record.caption,
            scenario_file=record.scenario_file,
            scenario_line=record.scenario_line,
            status=StepStatus.NEW,
            differences=[],
        )
        verdict.current_image = images.save(record, "current", annotated_png(capture))
        return verdict
    approved_record, raw_path = approved
    # Judge the approved file itself, not what its record says about it: a raw image
    # replaced by hand must not pass as its old self.
    approved_hash = hashlib.sha256(raw_path.read_bytes()).hexdigest()
    if approved_hash != approved_record.raw_sha256:
        approved_record = approved_record.model_copy(update={"raw_sha256": approved_hash})
    step = next(s for s in flow.numbered if s.number == record.number)
    limits = Thresholds.from_tolerance(flow.tolerance_for(step))
    current_raw = Image.open(io.BytesIO(capture.raw_png))
    with Image.open(raw_path) as approved_raw:
        verdict, comparison = judge_step(approved_record, record, approved_raw, current_raw, limits)
    if verdict.status is not StepStatus.MATCH:
        verdict.approved_image = images.copy(
            approved_record, "approved", baseline_dir / approved_record.image
        )
        verdict.current_image = images.save(record, "current", annotated_png(capture))
        if comparison is not None:
            verdict.diff_image = images.save(record, "diff", _png(comparison.overlay))
    return verdict


def judge_flow(
    flow: Flow, result: FlowResult, baseline_root: Path, images: ReportImages
) -> FlowVerdict:
    baseline_dir = flow_dir(baseline_root, result.device, result.flow)
    approved = approved_captures(baseline_dir)
    verdict = FlowVerdict(
        flow=flow.id,
        device=result.device,
        title=flow.title,
        scenario_file=flow.source.file,
        failure=result.failure.describe() if result.failure else None,
    )
    captured = {capture.record.number: capture for capture in result.captures}
    reported_failure = False
    for step in flow.numbered:
        assert step.number is not None and step.caption is not None
        capture = captured.get(step.number)
        if capture is not None:
            verdict.steps.append(
                _step_verdict_for_current(
                    flow, capture, approved.get(step.number), baseline_dir, images
                )
            )
            continue
        # Not captured: the flow stopped here (the first one missing) or before it.
        if result.failure is not None and not reported_failure:
            before = approved.get(step.number)
            difference = broken_difference(result.failure, before[0] if before else None)
            reported_failure = True
        else:
            difference = Difference(
                kind=DifferenceKind.STEP_BROKEN,
                sentence=f"step {circled(step.number)} was not reached: an earlier step failed",
            )
        step_verdict = StepVerdict(
            flow=flow.id,
            device=result.device,
            number=step.number,
            caption=step.caption,
            scenario_file=step.source.file,
            scenario_line=step.source.line,
            status=StepStatus.BROKEN,
            differences=[difference],
        )
        old = approved.get(step.number)
        if old is not None:
            step_verdict.approved_image = images.copy(
                old[0], "approved", baseline_dir / old[0].image
            )
        verdict.steps.append(step_verdict)
    numbers = {step.number for step in flow.numbered}
    for number, (record, _raw) in sorted(approved.items()):
        if number not in numbers:
            verdict.steps.append(
                StepVerdict(
                    flow=flow.id,
                    device=result.device,
                    number=number,
                    caption=record.caption,
                    scenario_file=record.scenario_file,
                    scenario_line=record.scenario_line,
                    status=StepStatus.REMOVED,
                    differences=[
                        Difference(
                            kind=DifferenceKind.STEP_BROKEN,
                            sentence=(
                                f"step {circled(number)} 「{record.caption}」 is approved but the "
                                "scenario no longer has it"
                            ),
                        )
                    ],
                    approved_image=images.copy(record, "approved", baseline_dir / record.image),
                )
            )
    return verdict
