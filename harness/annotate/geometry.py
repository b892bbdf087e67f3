"""Pure geometry of the annotation in image pixels: rounding, growing, clipping rectangles."""

from __future__ import annotations

import math

from harness.capture import Box, CaptureRecord
from harness.theme import Theme

Rect = tuple[int, int, int, int]  # (left, top, right, bottom) in image px, right/bottom exclusive
Size = tuple[int, int]  # (width, height) in image px
Point = tuple[float, float]


def to_px(css: float, scale: float) -> int:
    """CSS px → whole image px, half rounding up (Python's round() would alternate)."""
    return math.floor(css * scale + 0.5)


def box_rect(box: Box, scale: float, padding: float) -> Rect:
    """The element's pixel rectangle (rounded outwards) grown by `padding` CSS px.

    This is the area the red stroke surrounds: the stroke is drawn just outside it.
    """
    left, top, right, bottom = box.scaled(scale)
    pad = to_px(padding, scale)
    return (left - pad, top - pad, right + pad, bottom + pad)


def grow(rect: Rect, by: int) -> Rect:
    return (rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by)


def clip_rect(rect: Rect, image_size: Size) -> Rect | None:
    """`rect` cut to the image, or None when nothing of it is visible."""
    left, top = max(rect[0], 0), max(rect[1], 0)
    right, bottom = min(rect[2], image_size[0]), min(rect[3], image_size[1])
    if left >= right or top >= bottom:
        return None
    return (left, top, right, bottom)


def intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(rect: Rect, image_size: Size) -> bool:
    return rect[0] >= 0 and rect[1] >= 0 and rect[2] <= image_size[0] and rect[3] <= image_size[1]


def outline_rect(inner: Rect, stroke: int, image_size: Size) -> Rect | None:
    """The stroke's outer bounds, pulled inside the image so a box at the edge stays visible."""
    return clip_rect(grow(inner, stroke), image_size)


def corner_radius(radius: int, stroke: int, padding: int) -> int:
    """The largest outer radius ≤ `radius` whose inner arc still clears the element's corner.

    The element's corner sits `padding` px inside the stroke's inner corner; an inner arc of
    radius r cuts r·(1 − 1/√2) deep along the diagonal, so r may be at most padding / 0.2929.
    """
    inner_limit = math.floor(padding / (1 - 1 / math.sqrt(2)))
    return max(0, min(radius, stroke + inner_limit))


def highlight_outlines(record: CaptureRecord, image_size: Size, theme: Theme) -> list[Rect]:
    """The red boxes' outer bounds, in order; a highlight scrolled out of view has none."""
    scale = record.environment.scale
    stroke = max(1, to_px(theme.box_stroke, scale))
    outlines = []
    for box in record.highlights:
        outer = outline_rect(box_rect(box, scale, theme.box_padding), stroke, image_size)
        if outer is not None:
            outlines.append(outer)
    return outlines
