"""Draw a step's annotation on its raw screenshot: masks, red boxes, swipe arrow, step number.

Geometry lives in small pure functions over image-pixel rectangles (geometry.py, badge.py) so
it can be tested without images; the drawing functions only paint what the geometry decided.
Curved edges are painted through a 4x supersampled coverage mask so they are smooth yet
byte-for-byte deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from harness.annotate.badge import BadgePlacement, badge_placement
from harness.annotate.geometry import (
    Point,
    Rect,
    clip_rect,
    corner_radius,
    grow,
    highlight_outlines,
    to_px,
)
from harness.capture import Box, CaptureRecord, Swipe
from harness.fonts import load_font
from harness.theme import DEFAULT_THEME, RGB, Theme

_SUPERSAMPLE = 4


def arrow_polygon(
    start: Point, end: Point, width: float, head_length: float, head_width: float
) -> list[Point]:
    """A seven-point arrow from `start` to a tip at `end` (shaft, then a triangular head)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length == 0:
        raise ValueError("swipe start and end are the same point: no direction to draw")
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    head = min(head_length, length)
    base = (end[0] - ux * head, end[1] - uy * head)

    def offset(p: Point, half: float) -> Point:
        return (p[0] + nx * half, p[1] + ny * half)

    shaft, wing = width / 2, max(head_width, width) / 2
    return [
        offset(start, shaft),
        offset(base, shaft),
        offset(base, wing),
        end,
        offset(base, -wing),
        offset(base, -shaft),
        offset(start, -shaft),
    ]


def badge_font_size(digits: int, diameter: int) -> int:
    """Digits large enough to read, small enough that two or three still fit the circle."""
    share = {1: 0.62, 2: 0.46}.get(digits, 0.36)
    return max(1, round(diameter * share))


@dataclass(frozen=True, slots=True)
class Tile:
    """Maps image coordinates into a supersampled tile whose top-left is `origin`."""

    origin: tuple[int, int]
    factor: int

    def point(self, p: Point) -> Point:
        return ((p[0] - self.origin[0]) * self.factor, (p[1] - self.origin[1]) * self.factor)

    def rect(self, r: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """Half-open image bounds as Pillow's inclusive tile coordinates."""
        f, (ox, oy) = self.factor, self.origin
        return ((r[0] - ox) * f, (r[1] - oy) * f, (r[2] - ox) * f - 1, (r[3] - oy) * f - 1)


Painter = Callable[[ImageDraw.ImageDraw, Tile], None]


def paint_smooth(canvas: Image.Image, area: Rect, color: RGB, paint: Painter) -> None:
    """Fill with `color` whatever `paint` draws (in white) inside `area`, anti-aliased."""
    clipped = clip_rect(area, canvas.size)
    if clipped is None:
        return
    width, height = clipped[2] - clipped[0], clipped[3] - clipped[1]
    tile = Tile((clipped[0], clipped[1]), _SUPERSAMPLE)
    big = Image.new("L", (width * _SUPERSAMPLE, height * _SUPERSAMPLE), 0)
    paint(ImageDraw.Draw(big), tile)
    # BOX averages exactly the 4x4 samples of each pixel: coverage, no ringing.
    mask = big.resize((width, height), Image.Resampling.BOX)
    canvas.paste(color, clipped, mask)


def draw_mask(canvas: Image.Image, box: Box, scale: float, theme: Theme) -> None:
    area = clip_rect(box.scaled(scale), canvas.size)
    if area is not None:
        ImageDraw.Draw(canvas).rectangle(
            (area[0], area[1], area[2] - 1, area[3] - 1), theme.mask_fill
        )


def draw_box(canvas: Image.Image, outer: Rect, stroke: int, radius: int, theme: Theme) -> None:
    def paint(draw: ImageDraw.ImageDraw, tile: Tile) -> None:
        f = tile.factor
        draw.rounded_rectangle(tile.rect(outer), radius=radius * f, outline=255, width=stroke * f)

    paint_smooth(canvas, outer, theme.box_color, paint)


def draw_arrow(canvas: Image.Image, swipe: Swipe, scale: float, theme: Theme) -> None:
    start = (swipe.start[0] * scale, swipe.start[1] * scale)
    end = (swipe.end[0] * scale, swipe.end[1] * scale)
    width, head = theme.arrow_width * scale, theme.arrow_head_length * scale
    wing, rim = theme.arrow_head_width * scale, theme.arrow_outline_width * scale
    core = arrow_polygon(start, end, width, head, wing)
    # The rim is the same arrow, fatter and a little longer at both ends.
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    rim_start = (start[0] - ux * rim, start[1] - uy * rim)
    rim_end = (end[0] + ux * rim * 2, end[1] + uy * rim * 2)
    halo = arrow_polygon(rim_start, rim_end, width + 2 * rim, head + 2 * rim, wing + 4 * rim)
    for polygon, color in ((halo, theme.arrow_outline), (core, theme.arrow_color)):
        xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
        area = (math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys)))

        def paint(draw: ImageDraw.ImageDraw, tile: Tile, shape: list[Point] = polygon) -> None:
            draw.polygon([tile.point(p) for p in shape], fill=255)

        paint_smooth(canvas, area, color, paint)


def draw_badge(
    canvas: Image.Image,
    position: tuple[int, int],
    diameter: int,
    number: int,
    scale: float,
    theme: Theme,
) -> None:
    x, y = position
    area = (x, y, x + diameter, y + diameter)
    ring = to_px(theme.badge_ring_width, scale)

    def disc(inset: int) -> Painter:
        def paint(draw: ImageDraw.ImageDraw, tile: Tile) -> None:
            draw.ellipse(tile.rect(grow(area, -inset)), fill=255)

        return paint

    paint_smooth(canvas, area, theme.badge_ring, disc(0))
    paint_smooth(canvas, area, theme.badge_fill, disc(ring))
    text = str(number)
    font = load_font(theme.badge_font, badge_font_size(len(text), diameter))
    draw = ImageDraw.Draw(canvas)
    # Centre the digits' ink, not the font's line box, so they sit visually in the middle.
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font, anchor="lt")
    origin = (x + (diameter - (right + left)) / 2, y + (diameter - (bottom + top)) / 2)
    draw.text(origin, text, fill=theme.badge_text, font=font, anchor="lt")


@dataclass(frozen=True, slots=True)
class Annotated:
    image: Image.Image
    badge: BadgePlacement  # where the number went, and whether that place was free


def annotate_step(
    raw: Image.Image, record: CaptureRecord, theme: Theme = DEFAULT_THEME
) -> Annotated:
    """Masks, red boxes, swipe arrow and the circled step number on a copy of `raw`."""
    canvas = raw.convert("RGB")  # always a copy, so `raw` is never touched
    scale = record.environment.scale
    for mask in record.masks:
        draw_mask(canvas, mask, scale, theme)
    stroke = max(1, to_px(theme.box_stroke, scale))
    padding = to_px(theme.box_padding, scale)
    radius = corner_radius(to_px(theme.box_radius, scale), stroke, padding)
    for outer in highlight_outlines(record, canvas.size, theme):
        draw_box(canvas, outer, stroke, radius, theme)
    if record.swipe is not None:
        draw_arrow(canvas, record.swipe, scale, theme)
    placement = badge_placement(record, canvas.size, theme)
    position = (placement.rect[0], placement.rect[1])
    draw_badge(canvas, position, placement.rect[2] - placement.rect[0], record.number, scale, theme)
    return Annotated(canvas, placement)


def annotate(raw: Image.Image, record: CaptureRecord, theme: Theme = DEFAULT_THEME) -> Image.Image:
    """A new RGB image: masks, red boxes, swipe arrow and the circled step number on `raw`."""
    return annotate_step(raw, record, theme).image
