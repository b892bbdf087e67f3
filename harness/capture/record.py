"""The capture record: the one hand-over point between the browser run and everything after.

One record per numbered step, written as JSON beside its image. Annotation, drift checking
and the guide read records and raw PNGs; nothing downstream reaches back into the browser.
Boxes are in the screenshot's CSS pixels at the moment of the capture (the visual viewport
as captured: on a page a phone zooms out to fit, layout px × visualViewport.scale); multiply
by `scale` for image pixels. `scroll` is where the screenshot's top left stands on the page,
in the same pixels.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Box(_Record):
    x: float
    y: float
    width: float
    height: float

    def scaled(self, factor: float) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in image pixels, rounded outwards."""
        import math

        return (
            math.floor(self.x * factor),
            math.floor(self.y * factor),
            math.ceil((self.x + self.width) * factor),
            math.ceil((self.y + self.height) * factor),
        )


class Swipe(_Record):
    """A finger movement drawn as an arrow: 'up' = the finger moves up (content scrolls down)."""

    direction: Literal["up", "down"]
    start: tuple[float, float]
    end: tuple[float, float]


class Environment(_Record):
    """What rendered the capture. A difference here is an environment mismatch, not UI drift."""

    browser: str  # e.g. "chromium"
    browser_version: str
    engine: Literal["chromium", "webkit", "firefox"]
    font: str
    scale: float
    viewport: tuple[int, int]
    harness_version: str


class AnnotationStamp(_Record):
    """What drew the annotated image: a digest of the drawing code with this record, and the
    digest of the picture it drew. A new capture with the same inputs would draw the same
    picture, so `run` and `check` reuse the approved file instead of drawing it again."""

    inputs: str
    image_sha256: str


class CaptureRecord(_Record):
    flow: str
    device: str
    number: int = Field(ge=1)  # the step's printed number: 1 → ①
    caption: str
    action: str
    locator: str | None  # the target as written in the scenario, e.g. "role=button name=新規登録"
    target_name: str | None  # the target's accessible name as found on the screen
    target_text: str | None = None  # its visible text (「≡」 where the name says メニュー)
    target_box: Box | None
    highlights: tuple[Box, ...] = ()  # red boxes to draw; empty for 「…が表示される」 steps
    masks: tuple[Box, ...] = ()  # personal data to hide in the annotated image and the diff
    # Lines of text and controls on the screen: the step number is placed clear of them.
    text_boxes: tuple[Box, ...] = ()
    swipe: Swipe | None = None
    # Shown in the picture but compared neither as pixels nor text (clocks, timings).
    ignores: tuple[Box, ...] = ()
    # The scenario's patterns: the part of a text line they match is not compared.
    ignore_text: tuple[str, ...] = ()
    url: str  # relative to the base URL, so another address gives the same record
    title: str
    visible_text: str
    # The box of each line of visible_text, in order (empty in records made before them):
    # lines inside masks and ignored regions are left out of the text comparison.
    line_boxes: tuple[Box, ...] = ()
    scroll: tuple[float, float] | None = None  # the page's scroll offset (CSS px) at capture
    raw_sha256: str
    environment: Environment
    scenario_file: str
    scenario_line: int
    image: str  # file name of the annotated PNG beside this record
    raw_image: str  # file name of the raw capture beside this record
    annotation: AnnotationStamp | None = None  # None until the image is drawn
