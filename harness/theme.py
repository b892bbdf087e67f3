"""The look of annotated screenshots and phone frames: colours, strokes, sizes and fonts.

Lengths are CSS pixels; drawing code multiplies them by the capture's device scale factor so
an Android (2.625) and an iPhone (3) picture look alike when printed at the same width.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

RGB = tuple[int, int, int]

GUIDE_RED: RGB = (0xE6, 0x00, 0x12)  # the red of the printed guide's boxes and numbers
WHITE: RGB = (0xFF, 0xFF, 0xFF)


@dataclass(frozen=True, slots=True)
class Theme:
    # Red box around the element to press.
    box_color: RGB = GUIDE_RED
    box_stroke: float = 3.0
    box_padding: float = 4.0  # gap between the element and the inside of the stroke
    box_radius: float = 8.0  # outer corner radius (reduced if it would cut into the element)
    # Circled step number.
    badge_diameter: float = 30.0
    badge_gap: float = 4.0  # distance kept from the red box
    badge_reach: float = 90.0  # how far beyond the gap a free place may be and still point
    badge_fill: RGB = GUIDE_RED
    badge_ring: RGB = WHITE  # keeps the badge readable on red or dark screens
    badge_ring_width: float = 2.0
    badge_text: RGB = WHITE
    badge_font: str = "Noto Sans CJK JP:bold"
    # Swipe arrow.
    arrow_color: RGB = GUIDE_RED
    arrow_width: float = 8.0
    arrow_head_length: float = 22.0
    arrow_head_width: float = 28.0
    arrow_outline: RGB = WHITE
    arrow_outline_width: float = 2.0
    # Personal data.
    mask_fill: RGB = (0x9E, 0x9E, 0x9E)
    # Phone frame.
    ui_font: str = "Noto Sans CJK JP"
    ui_font_bold: str = "Noto Sans CJK JP:bold"
    bar_color: RGB = WHITE
    bar_text: RGB = (0x20, 0x21, 0x24)
    chrome_field: RGB = (0xF1, 0xF3, 0xF4)
    safari_bar: RGB = (0xF2, 0xF2, 0xF7)
    safari_field: RGB = WHITE
    safari_tint: RGB = (0x00, 0x7A, 0xFF)
    safari_dim: RGB = (0xB0, 0xB0, 0xB5)
    hairline: RGB = (0xD0, 0xD0, 0xD4)
    bezel_color: RGB = (0x1C, 0x1C, 0x1E)
    bezel_width: float = 10.0
    screen_radius: float = 16.0  # corners of the glass; the body's radius adds the bezel
    margin: float = 8.0  # blank paper around the phone body
    page_color: RGB = WHITE

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, float) and value < 0:
                raise ValueError(f"Theme.{field.name} must not be negative, got {value}")
            if isinstance(value, tuple) and not (
                len(value) == 3 and all(isinstance(c, int) and 0 <= c <= 255 for c in value)
            ):
                raise ValueError(f"Theme.{field.name} must be an (r, g, b) of 0..255, got {value}")
        for name in ("box_stroke", "badge_diameter", "arrow_width"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Theme.{name} must be positive")


DEFAULT_THEME = Theme()
