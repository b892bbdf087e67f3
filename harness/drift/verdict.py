"""What `guideshot check` found, step by step: the one input of every report format.

Drift is a result value, not an exception. Each difference carries one sentence a guide
author understands; reports render these models and never recompute anything.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DifferenceKind(StrEnum):
    STEP_BROKEN = "step broken"  # the step cannot be performed any more
    LABEL_CHANGED = "label changed"  # the boxed element's name no longer matches the caption
    ELEMENT_MOVED = "element moved"  # the target moved or resized beyond the tolerance
    TEXT_CHANGED = "text changed"  # the screen's visible text differs
    PIXELS_CHANGED = "pixels changed"  # the raw captures differ beyond the tolerance
    RENDERING_NOISE = "rendering noise"  # pixels differ, but a second capture does not repeat it
    ENVIRONMENT_CHANGED = "environment changed"  # browser, engine, font or scale differ
    BASELINE = "baseline unreadable"  # the approved files cannot be judged against


class StepStatus(StrEnum):
    MATCH = "match"
    NOISE = "noise"  # only pixels differ, and a second capture does not reproduce them
    DRIFT = "drift"
    NEW = "new"  # no approved capture: reported as new, never as passing
    BROKEN = "broken"  # the flow stopped at or before this step
    ENVIRONMENT = "environment"  # only the rendering environment differs
    REMOVED = "removed"  # approved, but the scenario no longer produces it
    UNREADABLE = "unreadable"  # the approved files are damaged, missing or do not agree


# The statuses that pass a check: the screen is still the one the guide shows.
PASSING = frozenset({StepStatus.MATCH, StepStatus.NOISE})


class Difference(_Model):
    kind: DifferenceKind
    sentence: str  # e.g. "step ④: 「新規登録」 is now labelled 「新規ユーザー登録」; …"


class TextChange(_Model):
    kind: str  # "added" | "removed" | "changed"
    old: str | None = None
    new: str | None = None


class StepVerdict(_Model):
    flow: str
    device: str
    number: int | None
    caption: str
    scenario_file: str
    scenario_line: int
    status: StepStatus
    differences: list[Difference] = Field(default_factory=list)
    # Image files, relative to the report folder (annotated, so the red box shows on both).
    approved_image: str | None = None
    current_image: str | None = None
    diff_image: str | None = None
    failed_image: str | None = None  # a broken step: the screen as it was when it failed
    text_changes: list[TextChange] = Field(default_factory=list)
    mismatched_pixels: int | None = None
    mismatch_ratio: float | None = None
    environment: dict[str, tuple[str, str]] = Field(default_factory=dict)  # field → (old, new)
    # The printed guide's page of this step, per edition (e.g. {"android": 12}).
    guide_page: dict[str, int] = Field(default_factory=dict)


class FlowVerdict(_Model):
    flow: str
    device: str
    title: str
    scenario_file: str
    failure: str | None = None  # the run's own message when a step could not be performed
    trace: str | None = None  # a failed run's Playwright trace.zip, relative to the report
    steps: list[StepVerdict] = Field(default_factory=list)

    @property
    def status(self) -> StepStatus:
        order = [
            StepStatus.BROKEN,
            StepStatus.UNREADABLE,
            StepStatus.DRIFT,
            StepStatus.REMOVED,
            StepStatus.NEW,
            StepStatus.ENVIRONMENT,
            StepStatus.NOISE,
        ]
        present = {step.status for step in self.steps}
        if self.failure is not None:
            return StepStatus.BROKEN
        return next((status for status in order if status in present), StepStatus.MATCH)


class CheckReport(_Model):
    base_url: str
    flows: list[FlowVerdict] = Field(default_factory=list)

    def steps(self) -> list[StepVerdict]:
        return [step for flow in self.flows for step in flow.steps]

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in StepStatus}
        for step in self.steps():
            counts[step.status.value] += 1
        return counts

    @property
    def drift_found(self) -> bool:
        """New, removed, broken, drifted or environment-changed steps all fail the check;
        rendering noise does not."""
        return any(flow.status not in PASSING for flow in self.flows)
