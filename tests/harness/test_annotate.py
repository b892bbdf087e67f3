"""Annotation: boxes around elements, badge off the highlights, masks, arrow, determinism."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from harness.annotate import (
    BadgePlacement,
    Rect,
    annotate,
    annotate_step,
    arrow_polygon,
    box_rect,
    corner_radius,
    intersects,
    outline_rect,
    place_badge,
    to_px,
)
from harness.capture import Box, CaptureRecord, Environment, Swipe
from harness.theme import DEFAULT_THEME, Theme

T = DEFAULT_THEME
RED = T.box_color
WHITE = (255, 255, 255)
DEVICES = {"android": (2.625, (412, 839)), "iphone": (3.0, (390, 664))}


def make_record(
    scale: float = 2.625,
    highlights: tuple[Box, ...] = (),
    masks: tuple[Box, ...] = (),
    swipe: Swipe | None = None,
    number: int = 1,
    text_boxes: tuple[Box, ...] = (),
) -> CaptureRecord:
    return CaptureRecord(
        flow="demo",
        device="pixel7",
        number=number,
        caption="「ログイン」を押す",
        action="click",
        locator=None,
        target_name=None,
        target_box=highlights[0] if highlights else None,
        highlights=highlights,
        masks=masks,
        text_boxes=text_boxes,
        swipe=swipe,
        url="/",
        title="t",
        visible_text="",
        raw_sha256="0" * 64,
        environment=Environment(
            browser="chromium",
            browser_version="1",
            engine="chromium",
            font="Noto Sans CJK JP",
            scale=scale,
            viewport=(412, 839),
            harness_version="0",
        ),
        scenario_file="scenarios/demo.yaml",
        scenario_line=1,
        image="01.png",
        raw_image="01.raw.png",
    )


def blank(scale: float, viewport: tuple[int, int]) -> Image.Image:
    return Image.new("RGB", (math.ceil(viewport[0] * scale), math.ceil(viewport[1] * scale)), WHITE)


def px_of(img: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    value = img.getpixel((x, y))
    assert isinstance(value, tuple)
    return (value[0], value[1], value[2])


def colours(img: Image.Image, rect: Rect | None = None) -> set[tuple[int, int, int]]:
    """The distinct RGB colours in `rect` (the whole image by default)."""
    rgb = np.asarray(img.crop(rect) if rect else img).reshape(-1, 3).astype(np.uint32)
    packed = np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2])  # 1-D unique is fast
    return {(int(c >> 16), int(c >> 8 & 255), int(c & 255)) for c in packed}


def red_in(img: Image.Image, rect: Rect) -> int:
    """How many pixels of `rect` are exactly the box red."""
    crop = np.asarray(img.crop(rect))
    return int(np.all(crop == RED, axis=-1).sum())


def stroke_px(scale: float) -> tuple[int, int, int]:
    stroke = to_px(T.box_stroke, scale)
    padding = to_px(T.box_padding, scale)
    return stroke, padding, corner_radius(to_px(T.box_radius, scale), stroke, padding)


# --- pure geometry -----------------------------------------------------------------------


@pytest.mark.parametrize("scale", [2.625, 3.0])
@pytest.mark.parametrize(
    "box", [Box(x=10.3, y=20.7, width=100.1, height=33.3), Box(x=0.4, y=0.2, width=1, height=1)]
)
def test_box_rect_encloses_the_elements_pixels_with_padding(box: Box, scale: float) -> None:
    left, top, right, bottom = box_rect(box, scale, padding=4)
    pad = to_px(4, scale)
    assert left + pad <= box.x * scale and top + pad <= box.y * scale
    assert right - pad >= (box.x + box.width) * scale
    assert bottom - pad >= (box.y + box.height) * scale
    assert (left + pad, top + pad, right - pad, bottom - pad) == box.scaled(scale)


def test_to_px_rounds_half_up_not_to_even() -> None:
    assert to_px(1, 2.5) == 3 and to_px(3, 2.5) == 8  # round() would give 2 and 8


def test_outline_rect_is_pulled_inside_the_image() -> None:
    assert outline_rect((-5, -5, 50, 50), 3, (100, 100)) == (0, 0, 53, 53)
    assert outline_rect((10, 10, 120, 50), 3, (100, 100)) == (7, 7, 100, 53)
    assert outline_rect((200, 200, 250, 250), 3, (100, 100)) is None


def test_corner_radius_never_cuts_into_the_element() -> None:
    for stroke, padding, radius in [(8, 10, 40), (3, 0, 20), (8, 1, 100)]:
        r = corner_radius(radius, stroke, padding)
        inner = r - stroke
        # The element's corner, `padding` in from the stroke's inner corner, lies within the arc.
        assert inner <= 0 or math.hypot(inner - padding, inner - padding) <= inner
    assert corner_radius(10, 3, 100) == 10


VIEW = (1000, 2000)
D, GAP, REACH = 80, 10, 160


def place(
    highlights: list[Rect], text: tuple[Rect, ...] = (), size: tuple[int, int] = VIEW
) -> BadgePlacement:
    return place_badge(highlights, text, size, diameter=D, gap=GAP, reach=REACH)


def check_badge(
    highlights: list[Rect],
    text: tuple[Rect, ...] = (),
    size: tuple[int, int] = VIEW,
) -> tuple[int, int]:
    placement = place(highlights, text, size)
    x, y = placement.rect[:2]
    spot = placement.rect
    assert placement.free
    assert spot == (x, y, x + D, y + D)
    assert x >= 0 and y >= 0 and x + D <= size[0] and y + D <= size[1]
    assert not any(intersects(spot, h) for h in highlights)
    assert not any(intersects(spot, t) for t in text)
    return x, y


@pytest.mark.parametrize(
    "target",
    [
        (0, 0, 200, 100),  # top-left corner
        (800, 0, 1000, 100),  # top-right corner
        (0, 1900, 200, 2000),  # bottom-left corner
        (800, 1900, 1000, 2000),  # bottom-right corner
        (0, 0, 1000, 120),  # full width at the top
        (0, 1880, 1000, 2000),  # full width at the bottom
        (0, 900, 1000, 1000),  # full width in the middle
        (0, 0, 1000, 1900),  # nearly the whole screen
        (300, 900, 700, 1000),  # a button in the middle
    ],
)
def test_badge_stays_inside_and_off_the_highlight(target: Rect) -> None:
    check_badge([target])


def test_badge_prefers_the_left_of_the_target_centred_on_it() -> None:
    assert check_badge([(300, 900, 700, 1000)]) == (300 - GAP - D, 900 + (100 - D) // 2)


def test_badge_goes_above_when_the_left_is_taken() -> None:
    assert check_badge([(300, 900, 700, 1000), (0, 850, 290, 1050)]) == (300, 900 - GAP - D)


def test_badge_goes_below_a_full_width_bar_at_the_top() -> None:
    assert check_badge([(0, 0, 1000, 120)]) == (0, 120 + GAP)


def test_badge_keeps_clear_of_text_beside_the_box() -> None:
    """A label left of the field and a heading above it: the badge moves right, not onto them."""
    field = (300, 900, 700, 1000)
    label, heading = (0, 880, 290, 1020), (200, 780, 900, 890)
    assert check_badge([field], (label, heading)) == (700 + GAP, 900 + (100 - D) // 2)


def test_badge_takes_the_nearest_free_gap_between_lines_of_text() -> None:
    """Text on every side but a free strip further left: the badge slides out to it."""
    field = (300, 900, 700, 1000)
    text = [(180, 600, 290, 1300), (290, 600, 1000, 890), (710, 880, 1000, 1300)]
    text.append((290, 1010, 1000, 1300))
    assert check_badge([field], tuple(text)) == (180 - D, 900 + (100 - D) // 2)


def test_badge_without_free_place_sits_on_the_box_border_off_the_neighbours_words() -> None:
    """Text all around within reach: the badge overlaps, but only the box's own border and
    its own words, never a neighbour's line; the placement says it was not free."""
    field = (300, 900, 700, 1000)
    own = (320, 920, 500, 980)
    around = [
        (0, 600, 1000, 890),
        (0, 890, 290, 1010),
        (710, 890, 1000, 1010),
        (0, 1010, 1000, 1300),
    ]
    placement = place([field], (own, *around))
    assert not placement.free
    x0, y0, x1, y1 = placement.rect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    on_vertical = cx in (300, 700) and 900 <= cy <= 1000
    on_horizontal = cy in (900, 1000) and 300 <= cx <= 700
    assert on_vertical or on_horizontal, placement.rect
    assert sum(intersects(placement.rect, t) for t in around) <= 1  # only where unavoidable


def test_badge_far_from_everything_stays_near_its_box() -> None:
    """Walls around the box within reach: no far-away spot is taken; it overlaps the border."""
    first = (300, 300, 700, 400)
    walls = [(0, 0, 1000, 290), (0, 290, 290, 1400), (710, 290, 1000, 1400), (290, 410, 710, 1400)]
    placement = place([first, *walls])
    assert not placement.free
    assert intersects(placement.rect, first)


def test_badge_without_highlights_is_at_the_top_left() -> None:
    assert place([]) == BadgePlacement((GAP, GAP, GAP + D, GAP + D), free=True)


def test_badge_without_highlights_avoids_text_at_the_top_left() -> None:
    x, y = check_badge([], ((0, 0, 1000, 60),))
    assert (x, y) == (GAP, 60)


def test_badge_falls_back_to_the_corner_when_everything_is_covered() -> None:
    assert place([(0, 0, 1000, 2000)]) == BadgePlacement((GAP, GAP, GAP + D, GAP + D), False)


def test_arrow_polygon_points_from_start_to_tip() -> None:
    poly = arrow_polygon((50, 100), (50, 20), width=10, head_length=30, head_width=40)
    assert poly[3] == (50, 20)
    xs = sorted(round(p[0], 6) for p in poly)
    assert xs[0] == 30 and xs[-1] == 70  # wings: half the head width each side
    assert {round(p[1], 6) for p in (poly[1], poly[2], poly[4], poly[5])} == {50}
    with pytest.raises(ValueError, match="same point"):
        arrow_polygon((1, 1), (1, 1), 10, 30, 40)


# --- pixels -------------------------------------------------------------------------------


@pytest.mark.parametrize("device", DEVICES)
def test_box_is_drawn_exactly_around_the_element(device: str) -> None:
    scale, viewport = DEVICES[device]
    box = Box(x=100.3, y=200.7, width=150.2, height=40.1)
    out = annotate(blank(scale, viewport), make_record(scale, highlights=(box,)))
    stroke, padding, radius = stroke_px(scale)
    el = box.scaled(scale)
    ol, ot, orr, ob = (
        el[0] - padding - stroke,
        el[1] - padding - stroke,
        el[2] + padding + stroke,
        el[3] + padding + stroke,
    )
    assert red_in(out, el) == 0, "the box must not cover the element"
    assert red_in(out, (el[0] - padding, el[1] - padding, el[2] + padding, el[3] + padding)) <= (
        4 * radius * radius
    ), "only the rounded corners may reach into the padding"
    for x in range(ol + radius, orr - radius):  # top and bottom straight edges
        for y in (*range(ot, ot + stroke), *range(ob - stroke, ob)):
            assert px_of(out, x, y) == RED, (x, y)
        for y in (ot - 1, ot + stroke, ob - stroke - 1, ob):
            assert px_of(out, x, y) == WHITE, (x, y)
    for y in range(ot + radius, ob - radius):  # left and right straight edges
        for x in (*range(ol, ol + stroke), *range(orr - stroke, orr)):
            assert px_of(out, x, y) == RED, (x, y)
        for x in (ol + stroke, orr - stroke - 1, orr):
            assert px_of(out, x, y) == WHITE, (x, y)


@pytest.mark.parametrize("device", DEVICES)
def test_box_at_the_image_edge_is_clipped_but_visible(device: str) -> None:
    scale, viewport = DEVICES[device]
    img = blank(scale, viewport)
    box = Box(x=0, y=0, width=viewport[0], height=56)  # a full-width header
    out = annotate(img, make_record(scale, highlights=(box,)))
    assert out.size == img.size
    stroke, _, radius = stroke_px(scale)
    bottom = box.scaled(scale)[3] + to_px(T.box_padding, scale) + stroke
    for y in range(radius, bottom - radius):
        assert px_of(out, 0, y) == RED and px_of(out, img.width - 1, y) == RED
    for x in range(radius, img.width - radius):
        assert px_of(out, x, 0) == RED and px_of(out, x, bottom - 1) == RED
        assert px_of(out, x, bottom) == WHITE


def test_highlight_scrolled_out_of_view_draws_no_box() -> None:
    scale, viewport = DEVICES["android"]
    far = Box(x=10, y=2000, width=100, height=40)
    out = annotate(blank(scale, viewport), make_record(scale, highlights=(far,)))
    d = to_px(T.badge_diameter, scale)
    g = to_px(T.badge_gap, scale)
    assert red_in(out, (0, 0, out.width, out.height)) == red_in(out, (g, g, g + d, g + d)) > 0


@pytest.mark.parametrize(
    "box",
    [
        Box(x=0, y=0, width=120, height=44),
        Box(x=292, y=0, width=120, height=44),
        Box(x=0, y=795, width=120, height=44),
        Box(x=292, y=795, width=120, height=44),
        Box(x=0, y=400, width=412, height=48),
    ],
)
def test_rendered_badge_does_not_cover_the_target(box: Box) -> None:
    scale, viewport = DEVICES["android"]
    raw = blank(scale, viewport)
    green = (0, 160, 0)
    ImageDraw.Draw(raw).rectangle(
        [c - i for c, i in zip(box.scaled(scale), (0, 0, 1, 1), strict=True)], fill=green
    )
    out = annotate(raw, make_record(scale, highlights=(box,), number=7))
    _, _, radius = stroke_px(scale)
    # A clipped stroke lies on the target's edge; its corners reach at most `radius` in.
    left, top, right, bottom = box.scaled(scale)
    inner = (left + radius, top + radius, right - radius, bottom - radius)
    assert colours(out, inner) == {green}


def test_rendered_badge_keeps_off_the_screens_text() -> None:
    """A field with its label on the left and a hint above: the badge is drawn where neither
    is, and the result says the place was free."""
    scale, viewport = DEVICES["android"]
    raw = blank(scale, viewport)
    green = (0, 160, 0)
    field = Box(x=120, y=300, width=276, height=44)
    label, hint = Box(x=16, y=310, width=96, height=24), Box(x=16, y=262, width=380, height=24)
    for box in (label, hint):
        left, top, right, bottom = box.scaled(scale)
        ImageDraw.Draw(raw).rectangle((left, top, right - 1, bottom - 1), fill=green)
    record = make_record(scale, highlights=(field,), number=3, text_boxes=(label, hint))
    result = annotate_step(raw, record)
    assert result.badge.free
    for box in (label, hint):
        assert colours(result.image, box.scaled(scale)) == {green}
    assert not intersects(result.badge.rect, hint.scaled(scale))
    assert red_in(result.image, result.badge.rect) > 0


def test_badge_at_top_left_without_highlights_shows_the_number() -> None:
    scale, viewport = DEVICES["iphone"]
    out = annotate(blank(scale, viewport), make_record(scale, number=24))
    d, g = to_px(T.badge_diameter, scale), to_px(T.badge_gap, scale)
    badge = out.crop((g, g, g + d, g + d))
    core = badge.crop((d // 5, d // 5, d - d // 5, d - d // 5))
    seen = colours(core)
    assert RED in seen and WHITE in seen, "red disc with white digits"
    assert red_in(out, (g + d + 2, 0, out.width, out.height)) == 0
    assert px_of(out, g + d // 2, g + d // 2 + d) == WHITE


def test_two_digit_numbers_stay_inside_the_disc() -> None:
    scale, viewport = DEVICES["android"]
    out = annotate(blank(scale, viewport), make_record(scale, number=88))
    d, g = to_px(T.badge_diameter, scale), to_px(T.badge_gap, scale)
    ring = to_px(T.badge_ring_width, scale)
    cx = cy = g + d / 2
    for y in range(g, g + d):
        for x in range(g, g + d):
            if math.hypot(x + 0.5 - cx, y + 0.5 - cy) > d / 2 - ring - 1:
                continue
            r, gg, b = px_of(out, x, y)
            if (r, gg, b) == WHITE:  # a digit pixel: must be well inside, not touching the ring
                assert math.hypot(x + 0.5 - cx, y + 0.5 - cy) < d / 2 - ring - 2


def test_masks_hide_the_region() -> None:
    scale, viewport = DEVICES["android"]
    raw = blank(scale, viewport)
    mask = Box(x=70.5, y=118.2, width=100, height=24)
    ImageDraw.Draw(raw).rectangle(mask.scaled(scale), fill=(0, 0, 0))  # "personal data"
    out = annotate(raw, make_record(scale, masks=(mask,)))
    region = out.crop(mask.scaled(scale))
    assert colours(region) == {T.mask_fill}


def test_swipe_arrow_runs_from_start_to_end() -> None:
    scale, viewport = DEVICES["iphone"]
    swipe = Swipe(direction="up", start=(195, 600), end=(195, 400))
    out = annotate(blank(scale, viewport), make_record(scale, swipe=swipe))
    (x0, y0), (x1, y1) = [(p[0] * scale, p[1] * scale) for p in (swipe.start, swipe.end)]
    for i in range(1, 40):
        t = i / 40
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        assert px_of(out, int(x), int(y)) == RED, (x, y, t)
    head = T.arrow_head_width * scale / 2
    base_y = int(y1 + T.arrow_head_length * scale) - 2
    assert px_of(out, int(x1 + head * 0.8), base_y) == RED, "the arrowhead is wider than the shaft"
    assert px_of(out, int(x1), int(y1 - 6 * scale)) == WHITE, "nothing beyond the tip"
    assert px_of(out, int(x1 + 30 * scale), int((y0 + y1) / 2)) == WHITE


def test_diagonal_swipe_arrow_follows_its_path() -> None:
    scale, viewport = DEVICES["android"]
    swipe = Swipe(direction="down", start=(100, 200), end=(300, 600))
    out = annotate(blank(scale, viewport), make_record(scale, swipe=swipe))
    for i in range(1, 19):
        x, y = 100 + 200 * i / 20, 200 + 400 * i / 20
        assert px_of(out, int(x * scale), int(y * scale)) == RED, (x, y)
    # Off the path, beside the shaft's middle, the screen is untouched.
    assert px_of(out, int(200 * scale + 30 * scale), int(400 * scale)) == WHITE


def rendered_png(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return buffer.getvalue()


def full_record(scale: float) -> CaptureRecord:
    return make_record(
        scale,
        highlights=(Box(x=24, y=300, width=364, height=48), Box(x=24, y=360, width=100, height=30)),
        masks=(Box(x=70, y=118, width=100, height=24),),
        swipe=Swipe(direction="up", start=(206, 600), end=(206, 420)),
        number=12,
    )


def test_rendering_is_deterministic_and_raw_is_untouched() -> None:
    scale, viewport = DEVICES["android"]
    raw = blank(scale, viewport)
    ImageDraw.Draw(raw).rectangle((100, 300, 900, 700), fill=(0, 90, 160))
    before = raw.tobytes()
    first = annotate(raw, full_record(scale))
    second = annotate(raw, full_record(scale))
    assert raw.tobytes() == before
    assert first is not raw and first.mode == "RGB"
    assert rendered_png(first) == rendered_png(second)


def test_rgba_input_gives_rgb_output() -> None:
    scale, viewport = DEVICES["iphone"]
    raw = blank(scale, viewport).convert("RGBA")
    out = annotate(raw, make_record(scale, highlights=(Box(x=10, y=10, width=50, height=20),)))
    assert out.mode == "RGB" and raw.mode == "RGBA" and out.size == raw.size


def test_theme_changes_the_drawing_and_rejects_nonsense() -> None:
    scale, viewport = DEVICES["android"]
    blue = (0, 0, 255)
    theme = Theme(box_color=blue, badge_fill=blue)
    box = Box(x=100, y=300, width=200, height=40)
    out = annotate(blank(scale, viewport), make_record(scale, highlights=(box,)), theme)
    assert red_in(out, (0, 0, out.width, out.height)) == 0
    assert blue in colours(out)
    with pytest.raises(ValueError, match="box_stroke"):
        Theme(box_stroke=0.0)
    with pytest.raises(ValueError, match="box_color"):
        Theme(box_color=(300, 0, 0))
