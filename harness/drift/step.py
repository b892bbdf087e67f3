"""The verdict for one step: does the current capture still match the approved one?

Pure: takes two capture records and their raw images (already loaded), returns a
StepVerdict with one sentence per difference. Structure (the caption's quoted label on the
boxed element), geometry, pixels, text and environment are judged separately, so a
restyled box or a new browser build is never reported as a changed screen.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from harness.capture import Box, CaptureRecord, Environment
from harness.drift.diff import ImageComparison, SizeMismatch, compare_images
from harness.drift.textdiff import LineChange, diff_lines, scrub
from harness.drift.textdiff import summary as text_summary
from harness.drift.verdict import Difference, DifferenceKind, StepStatus, StepVerdict, TextChange
from harness.numbering import circled as circled_number
from harness.scenario import Tolerance

QUOTED = re.compile(r"「([^」]+)」")


@dataclass(frozen=True)
class Thresholds:
    """Tolerances with defaults filled in: strict inside the target, a little slack outside."""

    pixel_threshold: float = 0.1
    max_diff_pixels: int = 0
    max_diff_ratio: float = 0.0
    target_pixel_threshold: float = 0.05
    target_max_diff_pixels: int = 0
    geometry_px: float = 2.0

    @classmethod
    def from_tolerance(cls, tolerance: Tolerance | None) -> Thresholds:
        if tolerance is None:
            return cls()
        given = {k: v for k, v in tolerance.model_dump().items() if v is not None}
        return cls(**given)


def circled(number: int | None) -> str:
    if number is None:
        return "a silent step"
    return circled_number(number)


def normalise_label(text: str) -> str:
    """Compare labels as a reader does: full/half width, spaces and slashes alike."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def quoted_labels(caption: str) -> list[str]:
    return [q for q in QUOTED.findall(caption) if q.strip()]


def label_problem(record: CaptureRecord) -> str | None:
    """A tap step whose caption quotes labels, none of which names the boxed element.

    The quote may match the accessible name or the visible text: a caption quotes what a
    person sees (「≡」), assistive technology may read a word (メニュー).
    """
    if record.action != "tap" or record.target_name is None:
        return None
    quotes = quoted_labels(record.caption)
    if not quotes:
        return None
    shown = [normalise_label(t) for t in (record.target_name, record.target_text) if t]
    if any(normalise_label(quote) in label for quote in quotes for label in shown):
        return None
    said = "」「".join(quotes)
    return (
        f"step {circled(record.number)}: the caption quotes 「{said}」 but the boxed element "
        f"is labelled 「{record.target_name}」"
    )


def _moved(old: Box, new: Box, limit: float) -> bool:
    return any(
        abs(a - b) > limit
        for a, b in (
            (old.x, new.x),
            (old.y, new.y),
            (old.width, new.width),
            (old.height, new.height),
        )
    )


def geometry_problem(approved: CaptureRecord, current: CaptureRecord, limit: float) -> str | None:
    old, new = approved.target_box, current.target_box
    if old is None or new is None or not _moved(old, new, limit):
        return None
    name = current.target_name or current.locator or "the target"
    if abs(old.x - new.x) <= limit and abs(old.y - new.y) <= limit:  # only its size changed
        area = (new.width * new.height) - (old.width * old.height)
        change = "grew" if area > 0 else "shrank" if area < 0 else "changed shape"
        if (new.width - old.width) * (new.height - old.height) < 0:
            change = "changed shape"  # wider but lower, or narrower but taller
        return (
            f"step {circled(current.number)}: 「{name}」 {change} from "
            f"{old.width:.0f}×{old.height:.0f} to {new.width:.0f}×{new.height:.0f} CSS px"
        )
    return (
        f"step {circled(current.number)}: 「{name}」 moved from ({old.x:.0f}, {old.y:.0f}) "
        f"{old.width:.0f}×{old.height:.0f} to ({new.x:.0f}, {new.y:.0f}) "
        f"{new.width:.0f}×{new.height:.0f} CSS px"
    )


def environment_changes(old: Environment, new: Environment) -> dict[str, tuple[str, str]]:
    changes = {}
    for field in ("browser", "browser_version", "engine", "font", "scale", "viewport"):
        before, after = str(getattr(old, field)), str(getattr(new, field))
        if before != after:
            changes[field] = (before, after)
    return changes


def _scaled(box: Box, scale: float) -> tuple[int, int, int, int]:
    return box.scaled(scale)


def excluded_regions(approved: CaptureRecord, current: CaptureRecord) -> tuple[Box, ...]:
    """Masked and ignored regions of either capture, for the pixel comparison."""
    return (*approved.masks, *approved.ignores, *current.masks, *current.ignores)


def text_regions(record: CaptureRecord, other: CaptureRecord) -> tuple[Box, ...]:
    """The regions whose lines `record`'s text leaves out: its own, and the other
    capture's moved to where they stand on the page in `record`'s viewport, so a region
    the scenario leaves out now is left out of the approved text too (adding a mask needs
    no new approval), even when the two captures were scrolled differently."""
    own = (*record.masks, *record.ignores)
    if record.scroll is None or other.scroll is None:
        return own
    dx, dy = other.scroll[0] - record.scroll[0], other.scroll[1] - record.scroll[1]
    theirs = (*other.masks, *other.ignores)
    moved = tuple(b.model_copy(update={"x": b.x + dx, "y": b.y + dy}) for b in theirs)
    return (*own, *moved)


def _covered(line: Box, regions: tuple[Box, ...]) -> bool:
    """Half or more of the line's box lies inside one region."""
    area = line.width * line.height
    for region in regions:
        width = min(line.x + line.width, region.x + region.width) - max(line.x, region.x)
        height = min(line.y + line.height, region.y + region.height) - max(line.y, region.y)
        if width > 0 and height > 0 and width * height * 2 >= area:
            return True
    return False


def comparable_text(
    record: CaptureRecord, regions: tuple[Box, ...], patterns: Sequence[str]
) -> str:
    """The record's screen text as compared: lines inside `regions` left out, and the parts
    `patterns` match replaced by …. Records without line boxes keep every line."""
    lines = record.visible_text.split("\n")
    if len(record.line_boxes) == len(lines):
        lines = [
            t for t, box in zip(lines, record.line_boxes, strict=True) if not _covered(box, regions)
        ]
    return scrub("\n".join(lines), patterns)


def compare_pixels(
    approved_raw: Image.Image,
    current_raw: Image.Image,
    approved: CaptureRecord,
    current: CaptureRecord,
    limits: Thresholds,
) -> ImageComparison:
    scale = current.environment.scale
    masks = [_scaled(m, scale) for m in excluded_regions(approved, current)]
    target = _scaled(current.target_box, scale) if current.target_box is not None else None
    return compare_images(
        approved_raw,
        current_raw,
        threshold=limits.pixel_threshold,
        target=target,
        target_threshold=limits.target_pixel_threshold if target is not None else None,
        masks=masks,
    )


def pixel_problem(
    comparison: ImageComparison, current: CaptureRecord, limits: Thresholds
) -> str | None:
    inside, outside = comparison.mismatched_in_target, comparison.mismatched_outside
    over_inside = inside > limits.target_max_diff_pixels
    over_outside = outside > limits.max_diff_pixels and comparison.ratio > limits.max_diff_ratio
    if not (over_inside or over_outside):
        return None
    where = ""
    if inside:
        name = current.target_name or "the boxed element"
        where = f", {inside:,} of them inside 「{name}」"
    first = comparison.regions[0].box if comparison.regions else None
    region = ""
    if first is not None:
        scale = current.environment.scale
        region = (
            f"; the largest change is around ({first[0] / scale:.0f}, {first[1] / scale:.0f}) "
            f"CSS px"
        )
    return (
        f"step {circled(current.number)}: {comparison.mismatched:,} pixels "
        f"({comparison.ratio:.2%}) changed{where} in {len(comparison.regions)} "
        f"area{'s' if len(comparison.regions) != 1 else ''}{region}"
    )


def _telling_example(changes: list[LineChange]) -> str:
    """The change a reader should hear first: a changed line, then a new one, then a line
    that moved (removed here, added there), then one that is gone."""
    removed = {c.old for c in changes if c.kind == "removed"}
    added = {c.new for c in changes if c.kind == "added"}
    moved = removed & added
    for change in changes:
        if change.kind == "changed":
            return f"「{change.old}」 is now 「{change.new}」"
    for change in changes:
        if change.kind == "added" and change.new not in moved:
            return f"new line 「{change.new}」"
    if moved:
        first = next(c.new for c in changes if c.kind == "added" and c.new in moved)
        return f"「{first}」 moved"
    first_gone = next(c.old for c in changes if c.kind == "removed")
    return f"「{first_gone}」 is gone"


def text_problem(changes: list[LineChange], current: CaptureRecord) -> str | None:
    if not changes:
        return None
    what = text_summary(changes)
    example = _telling_example(changes)
    return f"step {circled(current.number)}: the screen's text changed ({what}): {example}"


def judge_step(
    approved: CaptureRecord,
    current: CaptureRecord,
    approved_raw: Image.Image,
    current_raw: Image.Image,
    limits: Thresholds,
) -> tuple[StepVerdict, ImageComparison | None]:
    """Compare one step; the comparison is returned for the report's diff image."""
    differences: list[Difference] = []

    def note(kind: DifferenceKind, sentence: str | None) -> None:
        if sentence is not None:
            differences.append(Difference(kind=kind, sentence=sentence))

    note(DifferenceKind.LABEL_CHANGED, label_problem(current))
    if approved.target_name and current.target_name and approved.target_name != current.target_name:
        note(
            DifferenceKind.LABEL_CHANGED,
            f"step {circled(current.number)}: 「{approved.target_name}」 is now labelled "
            f"「{current.target_name}」",
        )
    note(DifferenceKind.ELEMENT_MOVED, geometry_problem(approved, current, limits.geometry_px))
    # What changes by itself is judged by the scenario as it is now: the current patterns.
    # Both texts lose their regions' lines, or neither does: a record made before line
    # boxes were recorded is compared whole, against the whole current text.
    both_boxed = bool(approved.line_boxes) and bool(current.line_boxes)
    changes = diff_lines(
        comparable_text(
            approved, text_regions(approved, current) if both_boxed else (), current.ignore_text
        ),
        comparable_text(
            current, text_regions(current, approved) if both_boxed else (), current.ignore_text
        ),
    )
    note(DifferenceKind.TEXT_CHANGED, text_problem(changes, current))

    comparison: ImageComparison | None = None
    mismatched: int | None = 0
    ratio: float | None = 0.0
    if approved.raw_sha256 != current.raw_sha256:
        try:
            comparison = compare_pixels(approved_raw, current_raw, approved, current, limits)
            mismatched, ratio = comparison.mismatched, comparison.ratio
            note(DifferenceKind.PIXELS_CHANGED, pixel_problem(comparison, current, limits))
        except SizeMismatch as exc:
            mismatched = ratio = None
            note(
                DifferenceKind.PIXELS_CHANGED,
                f"step {circled(current.number)}: the screenshot size changed ({exc})",
            )
    environment = environment_changes(approved.environment, current.environment)
    if environment:
        fields = ", ".join(f"{k} {a} → {b}" for k, (a, b) in environment.items())
        note(
            DifferenceKind.ENVIRONMENT_CHANGED,
            f"step {circled(current.number)}: captured in another environment ({fields}); "
            "approve on this machine or compare on the approving one",
        )
    ui_kinds = {d.kind for d in differences} - {DifferenceKind.ENVIRONMENT_CHANGED}
    if environment and ui_kinds == {DifferenceKind.PIXELS_CHANGED}:
        status = StepStatus.ENVIRONMENT  # pixels alone may differ with another renderer
    elif ui_kinds:
        status = StepStatus.DRIFT
    else:
        status = StepStatus.MATCH
    verdict = StepVerdict(
        flow=current.flow,
        device=current.device,
        number=current.number,
        caption=current.caption,
        scenario_file=current.scenario_file,
        scenario_line=current.scenario_line,
        status=status,
        differences=differences,
        text_changes=[TextChange(kind=c.kind, old=c.old, new=c.new) for c in changes],
        mismatched_pixels=mismatched,
        mismatch_ratio=ratio,
        environment=environment,
    )
    return verdict, comparison
