"""Draw a step's annotation on its raw screenshot: masks, red boxes, swipe arrow, step number.

Geometry lives in small pure functions over image-pixel rectangles so it can be tested without
images; the drawing functions only paint what the geometry decided. Curved edges are painted
through a 4x supersampled coverage mask so they are smooth yet byte-for-byte deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from harness.capture import Box, CaptureRecord, Swipe
from harness.fonts import load_font
from harness.theme import DEFAULT_THEME, RGB, Theme

Rect = tuple[int, int, int, int]  # (left, top, right, bottom) in image px, right/bottom exclusive
Size = tuple[int, int]  # (width, height) in image px
Point = tuple[float, float]

_SUPERSAMPLE = 4


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


def badge_candidates(anchor: Rect, diameter: int, gap: int) -> list[tuple[int, int]]:
    """Top-left corners to try for the badge, in order: left, above, right, below, corners."""
    left, top, right, bottom = anchor
    # Beside a short box the badge is centred on it; beside a tall one it sits at its top.
    height = bottom - top
    beside_y = top + (height - diameter) // 2 if height < 2 * diameter else top
    before_x, after_x = left - gap - diameter, right + gap
    over_y, under_y = top - gap - diameter, bottom + gap
    return [
        (before_x, beside_y),
        (left, over_y),
        (after_x, beside_y),
        (left, under_y),
        (before_x, over_y),
        (after_x, over_y),
        (before_x, under_y),
        (after_x, under_y),
    ]


def badge_position(
    highlights: Sequence[Rect], image_size: Size, diameter: int, gap: int = 0
) -> tuple[int, int]:
    """Top-left corner of the badge: near the first highlight, inside the image, on none.

    Without highlights the badge goes to the top-left corner. If no spot around the first
    highlight fits, the image is scanned row by row; if the highlights cover everything, the
    top-left corner is used even though it overlaps.
    """
    corner = (
        min(gap, max(0, image_size[0] - diameter)),
        min(gap, max(0, image_size[1] - diameter)),
    )
    if not highlights:
        return corner

    def free(x: int, y: int) -> bool:
        spot = (x, y, x + diameter, y + diameter)
        return inside(spot, image_size) and not any(intersects(spot, h) for h in highlights)

    for x, y in badge_candidates(highlights[0], diameter, gap):
        if free(x, y):
            return (x, y)
    step = max(1, diameter // 4)
    for y in range(0, image_size[1] - diameter + 1, step):
        for x in range(0, image_size[0] - diameter + 1, step):
            if free(x, y):
                return (x, y)
    return corner


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


def annotate(raw: Image.Image, record: CaptureRecord, theme: Theme = DEFAULT_THEME) -> Image.Image:
    """A new RGB image: masks, red boxes, swipe arrow and the circled step number on `raw`."""
    canvas = raw.convert("RGB")  # always a copy, so `raw` is never touched
    scale = record.environment.scale
    for mask in record.masks:
        draw_mask(canvas, mask, scale, theme)
    stroke = max(1, to_px(theme.box_stroke, scale))
    padding = to_px(theme.box_padding, scale)
    radius = corner_radius(to_px(theme.box_radius, scale), stroke, padding)
    outlines: list[Rect] = []
    for box in record.highlights:
        outer = outline_rect(box_rect(box, scale, theme.box_padding), stroke, canvas.size)
        if outer is not None:  # a highlight scrolled out of view has nothing to box
            draw_box(canvas, outer, stroke, radius, theme)
            outlines.append(outer)
    if record.swipe is not None:
        draw_arrow(canvas, record.swipe, scale, theme)
    diameter = max(1, to_px(theme.badge_diameter, scale))
    gap = to_px(theme.badge_gap, scale)
    position = badge_position(outlines, canvas.size, diameter, gap)
    draw_badge(canvas, position, diameter, record.number, scale, theme)
    return canvas
