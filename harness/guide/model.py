"""The guide's input: one edition per device, its flows in guide order, each flow's steps.

harness.guide.assemble builds these from the scenarios and the approved screenshots. Frozen
so a rendered page can never disagree with its input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class GuideError(Exception):
    """A problem the user can fix (a missing image, a bad content file); one clear line."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GuideStep(_Frozen):
    number: int = Field(ge=1)  # the printed number: 1 → ①
    caption: str
    image: Path  # the annotated, framed PNG
    picture: Path | None = None  # the approved annotated PNG, unframed: the video's still
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
    section: str  # free text, e.g. "2-A 登録方法" or "はじめに"
    title: str  # the heading printed above the steps
    intro_md: str | None = None  # prose shown before the flow's step pages
    steps: list[GuideStep] = Field(min_length=1)
    outcome: str | None = None  # shown after the last step


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
    device: str
    device_label: str  # printed on the cover and in every footer
    flows: list[GuideFlow]  # in guide order
    references: list[StepReference] = Field(default_factory=list)
