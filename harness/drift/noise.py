"""Rendering noise, measured: is a pixel-only difference repeated by a second capture?

A fresh browser may place some text a fraction of a pixel differently from the last one,
so an unchanged page can differ from its approved capture in a few anti-aliased pixels.
`check` then captures the flow again in a fresh browser and judges each such step with
both current captures, unit by unit. A unit is the changed areas the report shows (from the
first capture) that lie on one line of visible text, or one area on no line: a word placed
a fraction of a pixel elsewhere changes a few scattered pixels along its line, and some of
them may by chance look alike in two captures.

- a unit is **noise** only when the two current captures disagree inside it: somewhere in
  its areas the second capture differs from the first beyond the step's pixel threshold
  (it shows the approved pixels there, or other ones again);
- a unit both captures reproduce (nothing in its areas differs between them) is a
  **change**, however small: the page now renders that way on every load seen.

The step is noise only when no reproduced area is left over its tolerance, and only when
the second capture, judged alone against the approved one, also differs in pixels at most
(a second capture that differs in text, geometry or label, or that failed, leaves the
first verdict standing). So a real change is never called noise unless the same line or
area also changes from load to load; a deterministic site (the simulator) has no such
lines, so every change to its screens stays drift. What two captures cannot tell apart is
said plainly: a pixel change on a line whose text also moves is called noise, and noise
that lands twice on the same rendering is called drift; both show in the report's picture
(noisy pixels amber, changes red).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from harness.capture import CaptureRecord
from harness.drift.diff import ImageComparison, Rect, Region, SizeMismatch
from harness.drift.step import Thresholds, circled, compare_pixels, pixel_problem
from harness.drift.verdict import Difference, DifferenceKind, StepStatus, StepVerdict

NOISE_COLOR = (255, 170, 0)  # the noisy areas' pixels in the diff picture (changes stay red)


@dataclass(frozen=True)
class NoiseJudgement:
    """The first comparison's areas, split by what the second capture did there."""

    noisy: tuple[Region, ...]
    reproduced: tuple[Region, ...]
    problem: str | None  # the reproduced areas' pixel sentence, None when they are tolerated
    overlay: Image.Image  # the first comparison's picture, noisy pixels in NOISE_COLOR


def pixel_only(verdict: StepVerdict, comparison: ImageComparison | None) -> bool:
    """Drift whose one difference is pixels (structure, label, geometry, text and the
    environment equal, both images the same size): the steps a second capture may settle."""
    kinds = {difference.kind for difference in verdict.differences}
    return (
        verdict.status is StepStatus.DRIFT
        and kinds == {DifferenceKind.PIXELS_CHANGED}
        and comparison is not None
    )


def _only(
    comparison: ImageComparison, regions: tuple[Region, ...], target: Rect | None
) -> ImageComparison:
    """The comparison cut down to `regions`' changed pixels (counts recomputed)."""
    mask = np.zeros_like(comparison.mask)
    for left, top, right, bottom in (region.box for region in regions):
        mask[top:bottom, left:right] = comparison.mask[top:bottom, left:right]
    in_target = 0
    if target is not None:
        left, top, right, bottom = target
        in_target = int(mask[max(top, 0) : max(bottom, 0), max(left, 0) : max(right, 0)].sum())
    total = int(mask.sum())
    return replace(
        comparison,
        mismatched=total,
        mismatched_in_target=in_target,
        mismatched_outside=total - in_target,
        regions=regions,
        mask=mask,
    )


def _inside(mask: NDArray[np.bool_], box: Rect) -> bool:
    left, top, right, bottom = box
    return bool(mask[top:bottom, left:right].any())


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _units(regions: tuple[Region, ...], lines: list[Rect]) -> list[list[Region]]:
    """The areas judged together: those on one line of text (a word that moves makes
    several small areas along its line), each other area alone."""
    units: dict[int, list[Region]] = {}
    alone: list[list[Region]] = []
    for region in regions:
        line = next((n for n, box in enumerate(lines) if _overlaps(region.box, box)), None)
        if line is None:
            alone.append([region])
        else:
            units.setdefault(line, []).append(region)
    return [*units.values(), *alone]


def _overlay(comparison: ImageComparison, noisy: tuple[Region, ...]) -> Image.Image:
    picture = np.array(comparison.overlay.convert("RGB"), dtype=np.uint8)
    for left, top, right, bottom in (region.box for region in noisy):
        area = comparison.mask[top:bottom, left:right]
        picture[top:bottom, left:right][area] = NOISE_COLOR
    return Image.fromarray(picture, mode="RGB")


def judge_noise(
    first: ImageComparison,
    first_raw: Image.Image,
    second_raw: Image.Image,
    first_record: CaptureRecord,
    second_record: CaptureRecord,
    limits: Thresholds,
) -> NoiseJudgement | None:
    """Split `first` (approved vs first capture) into noisy and reproduced areas, by the
    first and second captures' own comparison; None when they cannot be compared."""
    try:
        between = compare_pixels(first_raw, second_raw, first_record, second_record, limits)
    except SizeMismatch:
        return None
    scale = first_record.environment.scale
    noisy: list[Region] = []
    reproduced: list[Region] = []
    for unit in _units(first.regions, [b.scaled(scale) for b in first_record.line_boxes]):
        varies = any(_inside(between.mask, region.box) for region in unit)
        (noisy if varies else reproduced).extend(unit)
    box = first_record.target_box
    target = box.scaled(scale) if box is not None else None
    left_over = _only(first, tuple(reproduced), target)
    return NoiseJudgement(
        noisy=tuple(noisy),
        reproduced=tuple(reproduced),
        problem=pixel_problem(left_over, first_record, limits) if reproduced else None,
        overlay=_overlay(first, tuple(noisy)),
    )


def noise_sentence(verdict: StepVerdict, judgement: NoiseJudgement) -> str:
    count = len(judgement.noisy)
    pixels = sum(region.pixels for region in judgement.noisy)
    return (
        f"step {circled(verdict.number)}: rendering noise: {pixels:,} pixels in {count} "
        f"area{'s' if count != 1 else ''} differ from the approved screenshot, but a second "
        "capture in a fresh browser differs there too (not a change of the screen)"
    )


def settle(verdict: StepVerdict, judgement: NoiseJudgement) -> None:
    """Rewrite a pixel-only drift verdict as the two captures judged it."""
    if judgement.problem is None:
        verdict.status = StepStatus.NOISE
        verdict.differences = [
            Difference(
                kind=DifferenceKind.RENDERING_NOISE, sentence=noise_sentence(verdict, judgement)
            )
        ]
        return
    repeated = len(judgement.reproduced)
    of = len(judgement.reproduced) + len(judgement.noisy)
    verdict.differences = [
        Difference(
            kind=DifferenceKind.PIXELS_CHANGED,
            sentence=(
                f"{judgement.problem}; a second capture in a fresh browser repeated it "
                f"({repeated} of {of} area{'s' if of != 1 else ''})"
            ),
        )
    ]
