"""Put an annotated screenshot in a phone: status bar, the browser's own bar, a dark body.

Playwright captures only the page, but the guide's pictures show the whole phone screen
(「10:31 100%」, the address bar with the site's host). The bars are drawn here
from fixed inputs (a fixed clock, the host) so the picture is the same on every run. All sizes
are CSS px × the device scale factor, so Android and iPhone pictures look alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from harness.annotate import Point, Rect, Size, Tile, grow, paint_smooth, to_px
from harness.fonts import load_font
from harness.theme import DEFAULT_THEME, RGB, Theme

Device = Literal["android", "iphone"]


@dataclass(frozen=True, slots=True)
class DeviceBars:
    """Heights in CSS px of what the system and the browser draw around the page."""

    status: float
    top: float  # browser bar above the page (Chrome on Android)
    bottom: float  # browser bar below the page (Safari on iOS 15), home indicator included
    home: float  # gesture-handle strip under the page when no browser bar is below it


# Pixel 7 Chrome: 24 px status bar, 56 px toolbar, 20 px gesture strip. iPhone 13 Safari: 47 px
# status bar (safe area) and 133 px for address pill, toolbar and home indicator (47 + 664 +
# 133 = 844), or a 34 px home-indicator strip without Safari's bar. The strips also keep the
# glass's rounded corners off the page, so a box in a bottom corner is never cut.
DEVICE_BARS: dict[Device, DeviceBars] = {
    "android": DeviceBars(status=24, top=56, bottom=0, home=20),
    "iphone": DeviceBars(status=47, top=0, bottom=133, home=34),
}


@dataclass(frozen=True, slots=True)
class FrameLayout:
    """Where everything goes in the framed image, in image px (half-open rectangles)."""

    size: Size
    body: Rect  # the phone body, bezel included
    screen: Rect  # the glass: status bar, browser bars and page
    status_bar: Rect
    top_bar: Rect | None
    page: Rect
    bottom_bar: Rect | None
    home_bar: Rect | None


def frame_layout(
    page_size: Size, *, device: Device, scale: float, browser_bar: bool, theme: Theme
) -> FrameLayout:
    """Pure geometry of the frame around a page of `page_size` image px."""
    bars = DEVICE_BARS[device]
    width, height = page_size
    status_h = to_px(bars.status, scale)
    top_h = to_px(bars.top, scale) if browser_bar else 0
    bottom_h = to_px(bars.bottom, scale) if browser_bar else 0
    # Without the browser's bars the home strip takes their place: every picture of one
    # device is the same phone, the same size, whatever the screen shows.
    home_with_bars = 0 if bars.bottom else to_px(bars.home, scale)
    if browser_bar:
        home_h = home_with_bars
    else:
        home_h = to_px(bars.top, scale) + to_px(bars.bottom, scale) + home_with_bars
    bezel, margin = to_px(theme.bezel_width, scale), to_px(theme.margin, scale)
    x = y = margin + bezel
    page_top = y + status_h + top_h
    page_bottom = page_top + height
    screen = (x, y, x + width, page_bottom + bottom_h + home_h)
    body = grow(screen, bezel)
    return FrameLayout(
        size=(body[2] + margin, body[3] + margin),
        body=body,
        screen=screen,
        status_bar=(x, y, x + width, y + status_h),
        top_bar=(x, y + status_h, x + width, page_top) if top_h else None,
        page=(x, page_top, x + width, page_bottom),
        bottom_bar=(x, page_bottom, x + width, screen[3]) if bottom_h else None,
        home_bar=(x, page_bottom, x + width, screen[3]) if home_h else None,
    )


def time_text(clock: datetime | time) -> str:
    return f"{clock:%H:%M}"


def status_time_anchor(device: Device, bar_size: Size, scale: float) -> Point:
    """Left-middle anchor ("lm") of the clock text in the status bar."""
    return ((16 if device == "android" else 28) * scale, bar_size[1] / 2)


def status_font(device: Device, scale: float, theme: Theme) -> ImageFont.FreeTypeFont:
    if device == "android":
        return load_font(theme.ui_font, to_px(14, scale))
    return load_font(theme.ui_font_bold, to_px(16, scale))


def fit_text(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> str:
    """`text`, or as much of it as fits in `max_width` followed by an ellipsis."""
    if font.getlength(text) <= max_width:
        return text
    for end in range(len(text) - 1, 0, -1):
        shortened = text[:end] + "…"
        if font.getlength(shortened) <= max_width:
            return shortened
    return "…"


def rounded_mask(size: Size, radius: int) -> Image.Image:
    """An 'L' mask of `size` with anti-aliased rounded corners (only corners are supersampled)."""
    width, height = size
    mask = Image.new("L", size, 255)
    radius = min(radius, width // 2, height // 2)
    if radius <= 0:
        return mask
    big = Image.new("L", (radius * 4, radius * 4), 0)
    ImageDraw.Draw(big).ellipse((0, 0, radius * 8 - 1, radius * 8 - 1), fill=255)
    corner = big.resize((radius, radius), Image.Resampling.BOX)
    mask.paste(corner, (0, 0))
    mask.paste(corner.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (width - radius, 0))
    mask.paste(corner.transpose(Image.Transpose.FLIP_TOP_BOTTOM), (0, height - radius))
    mask.paste(corner.transpose(Image.Transpose.ROTATE_180), (width - radius, height - radius))
    return mask


def _area(left: float, top: float, right: float, bottom: float) -> Rect:
    """Float bounds → whole pixels with a one-pixel margin for anti-aliasing."""
    return (math.floor(left) - 1, math.floor(top) - 1, math.ceil(right) + 1, math.ceil(bottom) + 1)


def _rounded(
    img: Image.Image,
    box: tuple[float, float, float, float],
    radius: float,
    color: RGB,
    outline: float = 0,
) -> None:
    """A smooth filled (or, with `outline`, stroked) rounded rectangle at float bounds."""

    def paint(draw: ImageDraw.ImageDraw, tile: Tile) -> None:
        f, xy = tile.factor, tile.rect(box)
        if outline:
            draw.rounded_rectangle(xy, radius=radius * f, outline=255, width=round(outline * f))
        else:
            draw.rounded_rectangle(xy, radius=radius * f, fill=255)

    paint_smooth(img, _area(*box), color, paint)


def _polyline(img: Image.Image, points: list[Point], width: float, color: RGB) -> None:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = width

    def paint(draw: ImageDraw.ImageDraw, tile: Tile) -> None:
        f, scaled = tile.factor, [tile.point(p) for p in points]
        draw.line(scaled, fill=255, width=round(width * f), joint="curve")
        for x, y in scaled:  # round caps
            r = width * f / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)

    paint_smooth(
        img, _area(min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad), color, paint
    )


def _polygon(img: Image.Image, points: list[Point], color: RGB) -> None:
    xs, ys = [p[0] for p in points], [p[1] for p in points]

    def paint(draw: ImageDraw.ImageDraw, tile: Tile) -> None:
        draw.polygon([tile.point(p) for p in points], fill=255)

    paint_smooth(img, _area(min(xs), min(ys), max(xs), max(ys)), color, paint)


def _signal_bars(img: Image.Image, right: float, middle: float, s: float, color: RGB) -> float:
    """Four rising bars ending at `right`; returns their left edge."""
    bar, gap, tallest = 3 * s, 1.5 * s, 11 * s
    bottom = middle + tallest / 2
    for i in range(4):
        x1 = right - (3 - i) * (bar + gap)
        height = tallest * (i + 1) / 4
        _rounded(img, (x1 - bar, bottom - height, x1, bottom), 0.6 * s, color)
    return right - 4 * bar - 3 * gap


def _battery(
    img: Image.Image, right: float, middle: float, s: float, theme: Theme, vertical: bool
) -> float:
    """A full battery glyph ending at `right`; returns its left edge."""
    color = theme.bar_text
    if vertical:  # Android draws the battery upright
        w, h = 8 * s, 13 * s
        left, top = right - w, middle - h / 2 + s
        _rounded(
            img, (left + 2.5 * s, top - 1.5 * s, right - 2.5 * s, top + 0.5 * s), 0.5 * s, color
        )
        _rounded(img, (left, top, right, top + h - s), 1.5 * s, color)
        return left
    w, h = 25 * s, 12 * s
    left, top = right - w, middle - h / 2
    _rounded(img, (right - 1.6 * s, middle - 2 * s, right, middle + 2 * s), 0.8 * s, color)
    body = (left, top, right - 2.5 * s, top + h)
    _rounded(img, body, 3.5 * s, color, outline=1.1 * s)
    inner = (body[0] + 2.1 * s, body[1] + 2.1 * s, body[2] - 2.1 * s, body[3] - 2.1 * s)
    _rounded(img, inner, 1.6 * s, color)
    return left


def render_status_bar(
    size: Size, *, device: Device, scale: float, clock: datetime | time, theme: Theme
) -> Image.Image:
    """The system status bar: clock on the left; signal, battery and 100% on the right."""
    img = Image.new("RGB", size, theme.bar_color)
    draw = ImageDraw.Draw(img)
    s, middle = scale, size[1] / 2
    font = status_font(device, scale, theme)
    draw.text(status_time_anchor(device, size, scale), time_text(clock), theme.bar_text, font, "lm")
    right = size[0] - (14 if device == "android" else 20) * s
    percent_font = load_font(theme.ui_font, to_px(13 if device == "android" else 14, scale))
    if device == "android":
        draw.text((right, middle), "100%", theme.bar_text, percent_font, "rm")
        right -= percent_font.getlength("100%") + 4 * s
        right = _battery(img, right, middle, s, theme, vertical=True) - 6 * s
    else:
        right = _battery(img, right, middle, s, theme, vertical=False) - 5 * s
        draw.text((right, middle), "100%", theme.bar_text, percent_font, "rm")
        right -= percent_font.getlength("100%") + 6 * s
    _signal_bars(img, right, middle, s, theme.bar_text)
    return img


def render_chrome_bar(size: Size, *, scale: float, host: str, theme: Theme) -> Image.Image:
    """Chrome for Android's toolbar: the address field with the host, tabs and menu buttons."""
    img = Image.new("RGB", size, theme.bar_color)
    draw = ImageDraw.Draw(img)
    s, (width, height), middle = scale, size, size[1] / 2
    field = (12 * s, middle - 20 * s, width - 76 * s, middle + 20 * s)
    _rounded(img, field, 20 * s, theme.chrome_field)
    # Lock: shackle and body, the page-info button at the start of the field.
    lock_x = field[0] + 18 * s
    _rounded(
        img,
        (lock_x - 4 * s, middle - 6 * s, lock_x + 4 * s, middle + 3 * s),
        3.5 * s,
        theme.bar_text,
        outline=1.6 * s,
    )
    _rounded(
        img,
        (lock_x - 6 * s, middle - 1.5 * s, lock_x + 6 * s, middle + 7 * s),
        1.5 * s,
        theme.bar_text,
    )
    font = load_font(theme.ui_font, to_px(16, scale))
    text_x = field[0] + 36 * s
    shown = fit_text(host, font, field[2] - 12 * s - text_x)
    draw.text((text_x, middle), shown, theme.bar_text, font, "lm")
    # Tab switcher: a rounded square with the tab count.
    tabs_x = width - 50 * s
    tabs = (tabs_x - 10 * s, middle - 10 * s, tabs_x + 10 * s, middle + 10 * s)
    _rounded(img, tabs, 3.5 * s, theme.bar_text, outline=2 * s)
    draw.text(
        (tabs_x, middle), "1", theme.bar_text, load_font(theme.ui_font_bold, to_px(12, s)), "mm"
    )
    for dy in (-6, 0, 6):  # the ⋮ menu
        dot_y = middle + dy * s
        _rounded(
            img,
            (width - 22 * s, dot_y - 2 * s, width - 18 * s, dot_y + 2 * s),
            2 * s,
            theme.bar_text,
        )
    draw.rectangle((0, height - max(1, to_px(1, s)), width, height), fill=theme.hairline)
    return img


def render_safari_bar(size: Size, *, scale: float, host: str, theme: Theme) -> Image.Image:
    """Safari's iOS 15 bottom bar: address pill with the host, toolbar, home indicator."""
    img = Image.new("RGB", size, theme.safari_bar)
    draw = ImageDraw.Draw(img)
    s, width = scale, size[0]
    draw.rectangle((0, 0, width, max(1, to_px(1, s)) - 1), fill=theme.hairline)
    pill = (10 * s, 8 * s, width - 10 * s, 52 * s)
    middle = (pill[1] + pill[3]) / 2
    _rounded(img, pill, 12 * s, theme.safari_field)
    # 「AA」 page-settings button: a small and a large A.
    draw.text(
        (pill[0] + 14 * s, middle),
        "A",
        theme.bar_text,
        load_font(theme.ui_font, to_px(12, s)),
        "lm",
    )
    draw.text(
        (pill[0] + 22 * s, middle),
        "A",
        theme.bar_text,
        load_font(theme.ui_font, to_px(17, s)),
        "lm",
    )
    font = load_font(theme.ui_font, to_px(16, scale))
    shown = fit_text(host, font, pill[2] - pill[0] - 100 * s)
    draw.text((width / 2, middle), shown, theme.bar_text, font, "mm")
    # Reload (arrow.clockwise): an arc open at the top, its arrowhead pointing clockwise.
    cx, r = pill[2] - 22 * s, 6.5 * s
    angles = [math.radians(a) for a in range(-50, 260, 10)]
    arc = [(cx + r * math.cos(a), middle + r * math.sin(a)) for a in angles]
    _polyline(img, arc, 1.8 * s, theme.bar_text)
    end_x, end_y = arc[-1]
    tx, ty = -math.sin(angles[-1]), math.cos(angles[-1])  # clockwise tangent
    head = [
        (end_x + tx * 4 * s, end_y + ty * 4 * s),
        (end_x - ty * 3.5 * s, end_y + tx * 3.5 * s),
        (end_x + ty * 3.5 * s, end_y - tx * 3.5 * s),
    ]
    _polygon(img, head, theme.bar_text)
    _safari_toolbar(img, 52 * s + 24 * s, s, theme)
    _home_indicator(img, "iphone", s)
    return img


def _home_indicator(img: Image.Image, device: Device, s: float) -> None:
    """The gesture handle: iOS's at the very bottom, Android's centred in its strip."""
    if device == "iphone":
        w, h, bottom, color = 134 * s, 5 * s, img.height - 8 * s, (0, 0, 0)
    else:
        w, h, bottom, color = 104 * s, 4 * s, img.height / 2 + 2 * s, (0x44, 0x44, 0x48)
    left = (img.width - w) / 2
    _rounded(img, (left, bottom - h, left + w, bottom), h / 2, color)


def render_home_bar(size: Size, *, device: Device, scale: float, theme: Theme) -> Image.Image:
    """The strip under the page with the system's gesture handle."""
    img = Image.new("RGB", size, theme.bar_color)
    _home_indicator(img, device, scale)
    return img


def _safari_toolbar(img: Image.Image, middle: float, s: float, theme: Theme) -> None:
    """Back, forward, share, bookmarks and tabs buttons, evenly spaced."""
    tint, dim, w = theme.safari_tint, theme.safari_dim, 2.2 * s
    xs = [img.width * (i + 0.5) / 5 for i in range(5)]
    _polyline(
        img,
        [(xs[0] + 4 * s, middle - 9 * s), (xs[0] - 5 * s, middle), (xs[0] + 4 * s, middle + 9 * s)],
        w,
        tint,
    )
    _polyline(
        img,
        [(xs[1] - 4 * s, middle - 9 * s), (xs[1] + 5 * s, middle), (xs[1] - 4 * s, middle + 9 * s)],
        w,
        dim,
    )
    x = xs[2]  # share: a tray with an arrow leaving it
    _polyline(
        img,
        [
            (x - 4 * s, middle - 4 * s),
            (x - 9 * s, middle - 4 * s),
            (x - 9 * s, middle + 11 * s),
            (x + 9 * s, middle + 11 * s),
            (x + 9 * s, middle - 4 * s),
            (x + 4 * s, middle - 4 * s),
        ],
        w * 0.8,
        tint,
    )
    _polyline(img, [(x, middle + 3 * s), (x, middle - 12 * s)], w * 0.8, tint)
    _polyline(
        img,
        [(x - 4.5 * s, middle - 7.5 * s), (x, middle - 12 * s), (x + 4.5 * s, middle - 7.5 * s)],
        w * 0.8,
        tint,
    )
    x = xs[3]  # bookmarks: an open book
    _polyline(
        img,
        [
            (x, middle - 6 * s),
            (x - 10 * s, middle - 9 * s),
            (x - 10 * s, middle + 8 * s),
            (x, middle + 10 * s),
            (x + 10 * s, middle + 8 * s),
            (x + 10 * s, middle - 9 * s),
            (x, middle - 6 * s),
            (x, middle + 10 * s),
        ],
        w * 0.8,
        tint,
    )
    x = xs[4]  # tabs: two overlapping squares
    _rounded(
        img, (x - 10 * s, middle - 5 * s, x + 5 * s, middle + 10 * s), 3 * s, tint, outline=w * 0.8
    )
    _polyline(
        img,
        [(x - 5 * s, middle - 10 * s), (x + 10 * s, middle - 10 * s), (x + 10 * s, middle + 5 * s)],
        w * 0.8,
        tint,
    )


def frame(
    annotated: Image.Image,
    *,
    device: Device,
    scale: float,
    clock: datetime | time,  # only its hours and minutes show
    host: str | None,
    show_browser_bar: bool = True,
    theme: Theme = DEFAULT_THEME,
) -> Image.Image:
    """`annotated` inside a phone: status bar, browser bar (for pages), bezel and margin.

    `host` None means the screen is not a web page (home screen, app), so no browser bar.
    """
    with_bar = host is not None and show_browser_bar
    layout = frame_layout(
        annotated.size, device=device, scale=scale, browser_bar=with_bar, theme=theme
    )
    x0, y0, x1, y1 = layout.screen
    screen = Image.new("RGB", (x1 - x0, y1 - y0), theme.bar_color)

    def place(part: Image.Image, rect: Rect) -> None:
        screen.paste(part, (rect[0] - x0, rect[1] - y0))

    def size_of(rect: Rect) -> Size:
        return (rect[2] - rect[0], rect[3] - rect[1])

    place(
        render_status_bar(
            size_of(layout.status_bar), device=device, scale=scale, clock=clock, theme=theme
        ),
        layout.status_bar,
    )
    if layout.top_bar is not None and host is not None:
        place(
            render_chrome_bar(size_of(layout.top_bar), scale=scale, host=host, theme=theme),
            layout.top_bar,
        )
    place(annotated.convert("RGB"), layout.page)
    if layout.bottom_bar is not None and host is not None:
        place(
            render_safari_bar(size_of(layout.bottom_bar), scale=scale, host=host, theme=theme),
            layout.bottom_bar,
        )
    if layout.home_bar is not None:
        place(
            render_home_bar(size_of(layout.home_bar), device=device, scale=scale, theme=theme),
            layout.home_bar,
        )
    canvas = Image.new("RGB", layout.size, theme.page_color)
    radius = to_px(theme.screen_radius, scale)
    body = layout.body
    canvas.paste(
        theme.bezel_color,
        body,
        rounded_mask(size_of(body), radius + to_px(theme.bezel_width, scale)),
    )
    canvas.paste(screen, (x0, y0), rounded_mask(screen.size, radius))
    return canvas
