"""A flow as recorded (by `guideshot record` or from Playwright codegen), before it is YAML.

Both recorders fill these in; `captions` words them and `writer` turns them into a scenario
file that `load` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from harness.scenario.model import Target

Sensitivity = Literal["", "password", "personal"]


@dataclass
class DraftStep:
    action: Literal["tap", "fill", "select", "check", "scroll", "press", "goto", "expect"]
    target: Target | None = None
    value: str | None = None  # fill, select
    key: str | None = None  # press
    by: int | None = None  # scroll
    direction: Literal["up", "down"] = "up"
    url: str | None = None  # goto
    expect: dict[str, str] = field(default_factory=dict)  # heading, text, url, absent_text
    sensitive: Sensitivity = ""
    notes: list[str] = field(default_factory=list)  # YAML comments for the step's target
    # What the screen says for an element its target cannot name (a css: target): the
    # words just before a field nothing labels, for the caption.
    words: str = ""
    caption: str = ""


@dataclass
class DraftFlow:
    id: str
    title: str
    devices: list[str]
    start: str  # a path after the base URL
    origin: str  # where it was recorded from, for the file's first comment
    steps: list[DraftStep] = field(default_factory=list)

    def masks(self) -> list[tuple[Target, Sensitivity]]:
        """Every field whose value must not be published, once, in recording order."""
        seen: list[tuple[Target, Sensitivity]] = []
        for step in self.steps:
            target = step.target
            if step.sensitive and target is not None and all(target != t for t, _ in seen):
                seen.append((target, step.sensitive))
        return seen
