"""The guide's input: one edition per device, its flows in guide order, each flow's steps.

The lead's adapter builds these from the scenarios and the annotated screenshots; the
guide package only reads them. Frozen so a rendered page can never disagree with its input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Device = Literal["android", "iphone"]


class GuideError(Exception):
    """A problem the user can fix (a missing image, a bad content file); one clear line."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GuideStep(_Frozen):
    number: int = Field(ge=1)  # the printed number: 1 → ①
    caption: str
    image: Path  # the annotated, framed PNG
    alt: str = ""  # defaults to the caption: the caption is what the picture shows
    note: str | None = None  # printed before this step, e.g. steps done as on other pages

    @model_validator(mode="before")
    @classmethod
    def _alt_from_caption(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("alt") and "caption" in data:
            return {**data, "alt": data["caption"]}
        return data


class GuideFlow(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")  # also a folder name under images/
    section: str  # e.g. "2-A 「ねんきんネット」の登録方法"; the part before the space is its code
    title: str  # the heading printed above the steps
    intro_md: str | None = None  # prose shown before the flow's step pages
    steps: list[GuideStep] = Field(min_length=1)
    outcome: str | None = None  # shown after the last step

    @field_validator("section")
    @classmethod
    def _section_has_code(cls, value: str) -> str:
        section_code(value)
        return value

    @property
    def section_code(self) -> str:
        return section_code(self.section)


class StepReference(_Frozen):
    """Words in a heading that point at another flow's step by page, e.g. 「18ページ④」.

    The printed page number is replaced by the page the step really lands on."""

    text: str  # as written in the heading, e.g. "18ページ④"
    flow: str
    step: int = Field(ge=1)

    @property
    def anchor(self) -> str:
        return step_anchor(self.flow, self.step)


def step_anchor(flow_id: str, number: int) -> str:
    return f"step-{flow_id}-{number}"


class GuideEdition(_Frozen):
    device: Device
    device_label: Literal["Android", "iPhone"]
    flows: list[GuideFlow]  # in guide order
    references: list[StepReference] = Field(default_factory=list)


def section_code(label: str) -> str:
    """ "2-A 「…」の登録方法" → "2-A"; the code orders sections and names their chapter."""
    code = label.split(maxsplit=1)[0] if label.strip() else ""
    chapter, _, letter = code.partition("-")
    if not (chapter.isdigit() and letter.isalpha()):
        raise ValueError(f"section {label!r}: expected a label starting with a code like '2-A'")
    return code
