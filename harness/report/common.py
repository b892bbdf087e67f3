"""Wording shared by every report format, so HTML, JUnit and annotations say the same thing."""

from __future__ import annotations

from harness.drift.verdict import PASSING, FlowVerdict, StepStatus, StepVerdict
from harness.numbering import circled as circled_number

STATUS_LABELS: dict[StepStatus, str] = {
    StepStatus.MATCH: "match",
    StepStatus.NOISE: "noise — rendering varies, no change",
    StepStatus.DRIFT: "drift",
    StepStatus.NEW: "new — not yet approved",
    StepStatus.BROKEN: "broken",
    StepStatus.ENVIRONMENT: "environment changed",
    StepStatus.REMOVED: "removed — no longer produced",
    StepStatus.UNREADABLE: "baseline unreadable",
}

# Used only when the verdict carries no sentence of its own for a step that differs.
_FALLBACK: dict[StepStatus, str] = {
    StepStatus.NOISE: "a second capture did not repeat the pixels that differ",
    StepStatus.DRIFT: "the screen differs from the approved screenshot",
    StepStatus.NEW: "no approved screenshot",
    StepStatus.BROKEN: "the step could not be performed",
    StepStatus.ENVIRONMENT: "the rendering environment differs from the approved one",
    StepStatus.REMOVED: "the scenario no longer produces this approved step",
    StepStatus.UNREADABLE: "the approved screenshot cannot be read",
}


def circled(number: int | None) -> str:
    if number is None:
        return "–"
    return circled_number(number)


def failing(step: StepVerdict) -> bool:
    """The step fails the check (rendering noise passes: the screen did not change)."""
    return step.status not in PASSING


def noisy(step: StepVerdict) -> bool:
    return step.status is StepStatus.NOISE


def step_sentences(step: StepVerdict) -> list[str]:
    """The verdict's own sentences; a status-based one when it has none (never an empty list)."""
    sentences = [difference.sentence for difference in step.differences]
    if sentences or step.status is StepStatus.MATCH:
        return sentences
    return [_FALLBACK[step.status]]


def orphan_failure(flow: FlowVerdict) -> str | None:
    """A run failure that no broken step reports, so it still reaches every format."""
    if flow.failure is None:
        return None
    if any(step.status is StepStatus.BROKEN for step in flow.steps):
        return None
    return flow.failure
