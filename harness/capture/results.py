"""What a run hands on: each step's capture (record and raw PNG) and a flow's failure.

Plain data beside the capture record, so judging, staging and reports read a run's result
without importing the runner or Playwright.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from harness.capture.record import Box, CaptureRecord


@dataclass(frozen=True)
class ScreenElement:
    """Something a person could name on the screen: its role, name and where it stands."""

    role: str
    name: str
    box: Box

    def describe(self) -> str:
        return f"{self.role} 「{self.name}」"


@dataclass(frozen=True)
class StepCapture:
    record: CaptureRecord
    raw_png: bytes
    annotated_png: bytes = b""  # set once drawn (or reused): store.annotate_captures


@dataclass(frozen=True)
class FlowFailure:
    number: int | None  # the printed step number, None for a silent step
    caption: str | None
    scenario_file: str
    scenario_line: int
    message: str
    looked_for: str | None
    wanted: str | None  # the words a person would look for, e.g. 新規登録
    candidates: tuple[str, ...]
    screenshot: bytes | None  # the screen as it was when the step failed
    before_steps: bool = False  # it failed opening the flow, before its first step
    # What stood on the screen (role, name, box) and the role looked for: to name what now
    # stands where the approved capture had the target.
    on_screen: tuple[ScreenElement, ...] = ()
    role: str | None = None
    # Every candidate on the page and verified targets to write instead, when the target did
    # not resolve to one visible element (indented lines, printed as they are).
    explanation: tuple[str, ...] = ()

    def describe(self) -> str:
        """One paragraph a guide author can act on."""
        if self.before_steps:
            step = "opening the flow"
        else:
            step = f"step {self.number} 「{self.caption}」" if self.number else "a silent step"
        lines = [f"{self.scenario_file}:{self.scenario_line}: {step}: {self.message}"]
        if self.looked_for:
            lines.append(f"  looked for: {self.looked_for}")
        if self.explanation:
            lines.extend(self.explanation)
        elif self.candidates:
            lines.append("  closest on the screen: " + ", ".join(self.candidates))
        return "\n".join(lines)


@dataclass
class FlowResult:
    flow: str
    device: str
    captures: list[StepCapture] = field(default_factory=list)
    failure: FlowFailure | None = None
    seconds: float = 0.0
    trace: bytes | None = None  # Playwright's trace.zip, when kept (a failed flow's, by default)
    end_screenshot: bytes | None = None  # the screen after the last step, when asked for

    @property
    def ok(self) -> bool:
        return self.failure is None

    def release_pixels(self) -> None:
        """Forget the PNG bytes once they are written and judged; the records stay. A run
        keeps every result until it ends, so this keeps memory flat as the suite grows."""
        self.captures = [
            replace(capture, raw_png=b"", annotated_png=b"") for capture in self.captures
        ]
        if self.failure is not None:
            self.failure = replace(self.failure, screenshot=None)
        self.trace = self.end_screenshot = None
