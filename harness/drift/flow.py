"""From one flow's run and its approved captures to a FlowVerdict, with report images."""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pydantic import ValidationError

from harness.capture import CaptureRecord
from harness.capture.results import FlowFailure, FlowResult, StepCapture
from harness.drift import Thresholds, circled, judge_step, normalise_label, quoted_labels
from harness.drift.diff import ImageComparison
from harness.drift.noise import judge_noise, pixel_only, settle
from harness.drift.verdict import Difference, DifferenceKind, FlowVerdict, StepStatus, StepVerdict
from harness.scenario import Flow
from harness.store import annotated_png, flow_dir

CANDIDATE = re.compile(r"「(.*)」$")
# A near miss this similar to what the caption quotes is the same element, relabelled.
RELABEL_SIMILARITY = 0.5


@dataclass(frozen=True)
class Unreadable:
    """Approved files that cannot be judged against: which file, and why."""

    path: Path
    reason: str

    def sentence(self, number: int) -> str:
        return (
            f"step {circled(number)}: baseline unreadable: {self.path} {self.reason}; restore it "
            "(`git checkout -- <file>`) or accept the current capture with `guideshot approve`"
        )


Approved = tuple[CaptureRecord, Path]


def _read_step(folder: Path, names: list[str]) -> Approved | Unreadable:
    records = [name for name in names if name.endswith(".json")]
    if len(records) != 1:
        stem = names[0].split(".")[0]
        return Unreadable(folder / f"{stem}.json", "is missing" if not records else "is doubled")
    record_path = folder / records[0]
    try:
        record = CaptureRecord.model_validate_json(record_path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        return Unreadable(record_path, f"is not a capture record ({where}: {first['msg']})")
    except (OSError, ValueError) as exc:
        return Unreadable(record_path, f"cannot be read ({exc})")
    for name in (record.raw_image, record.image):
        if not (folder / name).is_file():
            return Unreadable(folder / name, "is missing")
    raw_path = folder / record.raw_image
    if hashlib.sha256(raw_path.read_bytes()).hexdigest() != record.raw_sha256:
        return Unreadable(raw_path, "does not match its record's raw_sha256")
    return record, raw_path  # decoded only when it differs from the capture (undecodable)


def undecodable(raw_path: Path) -> Unreadable | None:
    """An approved raw image that does not decode as a PNG (its record may agree with it)."""
    try:
        with Image.open(raw_path) as image:
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        return Unreadable(raw_path, f"is not a readable PNG ({exc})")
    return None


def approved_captures(folder: Path) -> dict[int, Approved | Unreadable]:
    """Each approved step by number: its record and raw image, or why they cannot be used."""
    groups: dict[int, list[str]] = {}
    if not folder.is_dir():
        return {}
    for path in sorted(folder.iterdir()):
        number = path.name[:2]
        if path.is_file() and number.isdigit() and path.name[2:3] == "-":
            groups.setdefault(int(number), []).append(path.name)
    return {number: _read_step(folder, names) for number, names in groups.items()}


def broken_difference(failure: FlowFailure, approved: CaptureRecord | None = None) -> Difference:
    """Why the step cannot be performed, naming a relabelled element when there is one.

    What now stands where the approved capture had the target (same role, overlapping
    box) is the target under a new name; failing that, a near miss with a similar name. An
    element the approved screen already showed (a sibling button, say) is neither: the step
    is then simply broken.
    """
    if failure.number:
        step = f"step {circled(failure.number)}"
    else:
        step = "the flow's start" if failure.before_steps else "a step without a picture"
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


@dataclass(frozen=True)
class PixelOnly:
    """A step whose one difference is pixels, kept for a second capture to settle."""

    verdict: StepVerdict
    capture: StepCapture
    approved: CaptureRecord
    raw_path: Path
    comparison: ImageComparison
    limits: Thresholds


def _step_verdict_for_current(
    flow: Flow,
    capture: StepCapture,
    approved: Approved | Unreadable | None,
    baseline_dir: Path,
    images: ReportImages,
) -> StepVerdict | PixelOnly:
    record = capture.record
    if approved is None or isinstance(approved, Unreadable):
        # Nothing to compare with: the current capture alone, as new or against a damaged file.
        differences = (
            [Difference(kind=DifferenceKind.BASELINE, sentence=approved.sentence(record.number))]
            if approved is not None
            else []
        )
        verdict = StepVerdict(
            flow=record.flow,
            device=record.device,
            number=record.number,
            caption=record.caption,
            scenario_file=record.scenario_file,
            scenario_line=record.scenario_line,
            status=StepStatus.NEW if approved is None else StepStatus.UNREADABLE,
            differences=differences,
        )
        verdict.current_image = images.save(record, "current", annotated_png(capture))
        return verdict
    # The approved raw image was hashed against its record when read: a raw image
    # replaced by hand is unreadable, never its old self.
    approved_record, raw_path = approved
    # Identical bytes are a match without decoding; anything else must decode first.
    broken = None if approved_record.raw_sha256 == record.raw_sha256 else undecodable(raw_path)
    if broken is not None:
        return _step_verdict_for_current(flow, capture, broken, baseline_dir, images)
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
    if comparison is not None and pixel_only(verdict, comparison):
        return PixelOnly(verdict, capture, approved_record, raw_path, comparison, limits)
    return verdict


def _settle(pending: PixelOnly, second: StepCapture | None, images: ReportImages) -> None:
    """Judge a pixel-only step with both current captures (harness/drift/noise.py)."""
    if second is None:
        return  # the second run did not reach the step: the first verdict stands
    second_raw = Image.open(io.BytesIO(second.raw_png))
    with Image.open(pending.raw_path) as approved_raw:
        alone, _ = judge_step(
            pending.approved, second.record, approved_raw, second_raw, pending.limits
        )
    if alone.status is not StepStatus.MATCH and {d.kind for d in alone.differences} != {
        DifferenceKind.PIXELS_CHANGED
    }:
        return  # the second capture differs in more than pixels: no evidence of noise
    first_raw = Image.open(io.BytesIO(pending.capture.raw_png))
    judgement = judge_noise(
        pending.comparison,
        first_raw,
        second_raw,
        pending.capture.record,
        second.record,
        pending.limits,
    )
    if judgement is None:
        return
    settle(pending.verdict, judgement)
    pending.verdict.diff_image = images.save(
        pending.capture.record, "diff", _png(judgement.overlay)
    )


def settle_pixel_only(
    pending: list[PixelOnly], again: Callable[[], FlowResult | None], images: ReportImages
) -> None:
    """Capture the flow once more (only when some step differs in pixels alone) and settle
    each such step as noise or drift."""
    if not pending:
        return
    second = again()
    if second is None:
        return
    captured = {capture.record.number: capture for capture in second.captures}
    for step in pending:
        _settle(step, captured.get(step.capture.record.number), images)


def judge_flow(
    flow: Flow,
    result: FlowResult,
    baseline_root: Path,
    images: ReportImages,
    again: Callable[[], FlowResult | None] | None = None,
) -> FlowVerdict:
    """The flow's verdict, step by step. With `again` (a second run of the same flow × device
    in a fresh browser), steps that differ only in pixels are judged with both captures:
    rendering noise or drift (noise.py); without it they are drift."""
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
    pending: list[PixelOnly] = []
    reported_failure = False
    for step in flow.numbered:
        assert step.number is not None and step.caption is not None
        capture = captured.get(step.number)
        if capture is not None:
            judged = _step_verdict_for_current(
                flow, capture, approved.get(step.number), baseline_dir, images
            )
            if isinstance(judged, PixelOnly):
                pending.append(judged)
                judged = judged.verdict
            verdict.steps.append(judged)
            continue
        # Not captured: the flow stopped here (the first one missing) or before it.
        if result.failure is not None and not reported_failure:
            before = approved.get(step.number)
            difference = broken_difference(
                result.failure, before[0] if isinstance(before, tuple) else None
            )
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
        if isinstance(old, tuple):
            step_verdict.approved_image = images.copy(
                old[0], "approved", baseline_dir / old[0].image
            )
        verdict.steps.append(step_verdict)
    numbers = {step.number for step in flow.numbered}
    for number, found in sorted(approved.items()):
        if number in numbers:
            continue
        if isinstance(found, Unreadable):
            verdict.steps.append(
                StepVerdict(
                    flow=flow.id,
                    device=result.device,
                    number=number,
                    caption=found.path.name,
                    scenario_file=flow.source.file,
                    scenario_line=flow.source.line,
                    status=StepStatus.UNREADABLE,
                    differences=[
                        Difference(kind=DifferenceKind.BASELINE, sentence=found.sentence(number))
                    ],
                )
            )
            continue
        record = found[0]
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
    if again is not None:
        settle_pixel_only(pending, again, images)
    return verdict
