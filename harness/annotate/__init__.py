"""Annotation: red boxes, the circled step number clear of the screen's text, swipe arrows
and masks, drawn on a raw capture (Pillow, numpy)."""

from harness.annotate.badge import BadgePlacement, badge_placement, place_badge
from harness.annotate.draw import (
    Annotated,
    Tile,
    annotate,
    annotate_step,
    arrow_polygon,
    badge_font_size,
    paint_smooth,
)
from harness.annotate.geometry import (
    Point,
    Rect,
    Size,
    box_rect,
    clip_rect,
    corner_radius,
    grow,
    highlight_outlines,
    inside,
    intersects,
    outline_rect,
    to_px,
)

__all__ = [
    "Annotated",
    "BadgePlacement",
    "Point",
    "Rect",
    "Size",
    "Tile",
    "annotate",
    "annotate_step",
    "arrow_polygon",
    "badge_font_size",
    "badge_placement",
    "box_rect",
    "clip_rect",
    "corner_radius",
    "grow",
    "highlight_outlines",
    "inside",
    "intersects",
    "outline_rect",
    "paint_smooth",
    "place_badge",
    "to_px",
]
