"""The shapes written in scenario and fragment files, and their JSON Schema for editors.

These validate what a guide author wrote; `harness.scenario.load` turns them into the
runnable `Flow`. A step is written flat (caption, action, target … side by side), so each
step kind is its action plus the shared step fields.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Discriminator, Field, Tag, field_validator

from harness.scenario.model import (
    SLUG,
    Action,
    Capture,
    CheckAction,
    ExpectAction,
    Expectation,
    FillAction,
    GotoAction,
    HookAction,
    PressAction,
    ScrollAction,
    SelectAction,
    StrictModel,
    TapAction,
    Target,
    TextPattern,
    Tolerance,
    TypeAction,
    WaitForAction,
    check_path,
)


def check_slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError(
            f"must be lowercase words joined by hyphens (like login-userid): '{value}'"
        )
    return value


def _highlight_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "keyword"
    if isinstance(value, dict | Target):
        return "one"
    return "many" if isinstance(value, list) else None


Highlight = Annotated[
    Annotated[Literal["target", "none"], Tag("keyword")]
    | Annotated[Target, Tag("one")]
    | Annotated[list[Target], Tag("many")],
    Discriminator(
        _highlight_kind,
        custom_error_type="highlight_type",
        custom_error_message="expected 'target', 'none', a target or a list of targets",
    ),
]


class _StepFields(StrictModel):
    caption: str | None = Field(
        default=None,
        description="The guide's caption; a captioned step is numbered ①②… and captured.",
    )
    before: list[Action] = Field(
        default_factory=list, description="Silent actions done before the capture."
    )
    highlight: Highlight | None = Field(
        default=None,
        description="Red boxes: 'target' (default), 'none', a target or a list of targets.",
    )
    mask: list[Target] = Field(
        default_factory=list,
        description="Targets hidden in the picture (personal data) and left out of the "
        "pixel and text comparison; added to the flow's mask.",
    )
    ignore: list[Target] = Field(
        default_factory=list,
        description="Targets left out of the pixel and text comparison but shown in the "
        "picture (clocks, counters); added to the flow's ignore.",
    )
    ignore_text: list[TextPattern] = Field(
        default_factory=list,
        description="Regular expressions: the part of a screen-text line they match is not "
        "compared, e.g. 'Queries took [0-9.]+ ?ms'; added to the flow's.",
    )
    expect: Expectation | None = Field(default=None, description="Checked after the action.")
    capture: Capture | None = Field(
        default=None, description="When the screenshot is taken relative to the action."
    )
    tolerance: Tolerance | None = Field(default=None, description="Drift tolerance for this step.")

    @field_validator("caption")
    @classmethod
    def _caption(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty (leave 'caption' out for a silent step)")
        return value


# Each step kind: the action's fields first, then the shared step fields.
class TapStep(_StepFields, TapAction):
    pass


class FillStep(_StepFields, FillAction):
    pass


class TypeStep(_StepFields, TypeAction):
    pass


class SelectStep(_StepFields, SelectAction):
    pass


class CheckStep(_StepFields, CheckAction):
    pass


class ScrollStep(_StepFields, ScrollAction):
    pass


class PressStep(_StepFields, PressAction):
    pass


class WaitForStep(_StepFields, WaitForAction):
    pass


class ExpectStep(_StepFields, ExpectAction):
    pass


class GotoStep(_StepFields, GotoAction):
    pass


class HookStep(_StepFields, HookAction):
    pass


ActionStep = Annotated[
    TapStep
    | FillStep
    | TypeStep
    | SelectStep
    | CheckStep
    | ScrollStep
    | PressStep
    | WaitForStep
    | ExpectStep
    | GotoStep
    | HookStep,
    Field(discriminator="action"),
]


class IncludeStep(StrictModel):
    """Splice in the steps of a fragment (scenarios/fragments/<name>.yaml)."""

    include: str = Field(description="The fragment's name, its file name without .yaml.")

    _slug = field_validator("include")(lambda cls, v: check_slug(v))


def _entry_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "include" if "include" in value else "step"
    if isinstance(value, BaseModel):
        return "include" if isinstance(value, IncludeStep) else "step"
    return None


StepEntry = Annotated[
    Annotated[ActionStep, Tag("step")] | Annotated[IncludeStep, Tag("include")],
    Discriminator(
        _entry_kind,
        custom_error_type="step_type",
        custom_error_message="expected a step (a mapping with 'action' or 'include')",
    ),
]


class FlowFile(StrictModel):
    """A scenario file: one documented flow of the guide."""

    id: str = Field(description="Equal to the file name without .yaml; lowercase-hyphen.")
    section: str = Field(description="The guide's section label, e.g. 2-B 「…」のログイン方法.")
    title: str = Field(description="The heading printed above the steps.")
    devices: list[str] = Field(min_length=1, description="Devices the flow runs on.")
    persona: str | None = Field(default=None, description="The simulator persona, e.g. kazuko.")
    start: str = Field(description="Path relative to the base URL where the flow starts.")
    outcome: str | None = Field(
        default=None, description="Text the guide prints after the last step."
    )
    tolerance: Tolerance | None = Field(default=None, description="Drift tolerance for every step.")
    mask: list[Target] = Field(
        default_factory=list,
        description="Targets hidden in every step's picture and left out of every comparison.",
    )
    ignore: list[Target] = Field(
        default_factory=list,
        description="Targets shown in every picture but left out of every comparison "
        "(what changes by itself: timings, dates, counters).",
    )
    ignore_text: list[TextPattern] = Field(
        default_factory=list,
        description="Regular expressions for every step: the part of a screen-text line "
        "they match is not compared, e.g. '最新のログイン日時.*'.",
    )
    steps: list[StepEntry] = Field(min_length=1, description="The steps, in the guide's order.")
    setup: list[ActionStep] = Field(
        default_factory=list,
        description="Silent steps done first, in the same browser (e.g. signing in), starting "
        "with a goto; then the flow opens 'start'. Never pictured.",
    )
    cleanup: list[ActionStep] = Field(
        default_factory=list,
        description="Silent steps done after the last step, also after a failure (e.g. "
        "deleting what the flow created); they start where the flow ended. Never pictured.",
    )

    _slug = field_validator("id")(lambda cls, v: check_slug(v))
    _start = field_validator("start")(lambda cls, v: check_path(v))

    @field_validator("devices")
    @classmethod
    def _devices(cls, value: list[str]) -> list[str]:
        twice = sorted({d for d in value if value.count(d) > 1})
        if twice:
            raise ValueError(f"device '{twice[0]}' is listed twice")
        return value


class FragmentFile(StrictModel):
    """A fragment: steps shared by several flows (e.g. the マイナポータル card login)."""

    id: str = Field(description="Equal to the file name without .yaml; lowercase-hyphen.")
    description: str = Field(description="What the fragment does, for authors.")
    steps: list[StepEntry] = Field(min_length=1, description="The steps to splice in.")

    _slug = field_validator("id")(lambda cls, v: check_slug(v))


def json_schema(kind: Literal["flow", "fragment"] = "flow") -> dict[str, Any]:
    """JSON Schema of a scenario file (or a fragment), for editors' YAML language servers."""
    model = FlowFile if kind == "flow" else FragmentFile
    schema = model.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
