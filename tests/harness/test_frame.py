"""Phone frame: layout sizes, status-bar clock, browser bars present or absent, bezel; fonts."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest
from PIL import Image, ImageDraw

from harness.annotate import Rect, to_px
from harness.fonts import FontNotFoundError, find_font, load_font, parse_fc_match
from harness.frame import (
    DEVICE_BARS,
    Device,
    fit_text,
    frame,
    frame_layout,
    render_chrome_bar,
    rounded_mask,
    status_font,
    status_time_anchor,
    time_text,
)
from harness.theme import DEFAULT_THEME

T = DEFAULT_THEME
HOST = "www3.idpass-net.nenkin.go.jp"
CLOCK = datetime(2024, 5, 1, 10, 31)
DEVICES: dict[Device, tuple[float, tuple[int, int]]] = {
    "android": (2.625, (412, 839)),
    "iphone": (3.0, (390, 664)),
}


def page(device: Device) -> Image.Image:
    """A synthetic page: a gradient, so any misplaced pixel shows."""
    scale, (w, h) = DEVICES[device]
    width, height = math.ceil(w * scale), math.ceil(h * scale)
    ramp = np.add.outer(np.arange(height) % 200, np.arange(width) % 50).astype(np.uint8)
    return Image.fromarray(np.stack([ramp, 255 - ramp, np.full_like(ramp, 90)], axis=-1))


def framed(device: Device, host: str | None = HOST, show_browser_bar: bool = True) -> Image.Image:
    scale = DEVICES[device][0]
    return frame(
        page(device),
        device=device,
        scale=scale,
        clock=CLOCK,
        host=host,
        show_browser_bar=show_browser_bar,
    )


def crop(img: Image.Image, rect: Rect) -> np.ndarray:
    return np.asarray(img.crop(rect))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bar", [True, False])
def test_output_size_is_page_plus_bars_plus_bezel(device: Device, bar: bool) -> None:
    """With or without the browser's bars, one device's phone is always the same size: the
    home strip takes the bars' place."""
    scale = DEVICES[device][0]
    raw = page(device)
    out = framed(device, show_browser_bar=bar)
    bars = DEVICE_BARS[device]
    around = 2 * (to_px(T.bezel_width, scale) + to_px(T.margin, scale))
    browser = to_px(bars.top, scale) + to_px(bars.bottom, scale)
    home = 0 if bars.bottom else to_px(bars.home, scale)
    extra = to_px(bars.status, scale) + browser + home
    assert out.size == (raw.width + around, raw.height + extra + around)
    layout = frame_layout(raw.size, device=device, scale=scale, browser_bar=bar, theme=T)
    assert layout.size == out.size
    assert out.mode == "RGB"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("bar", [True, False])
def test_page_is_pasted_unchanged_between_the_bars(device: Device, bar: bool) -> None:
    scale = DEVICES[device][0]
    raw = page(device)
    out = framed(device, show_browser_bar=bar)
    layout = frame_layout(raw.size, device=device, scale=scale, browser_bar=bar, theme=T)
    x0, y0, x1, y1 = layout.page
    assert (x1 - x0, y1 - y0) == raw.size
    # Every page pixel survives: the glass's rounded corners fall on the bars, not the page.
    assert np.array_equal(crop(out, layout.page), np.asarray(raw))


@pytest.mark.parametrize("device", DEVICES)
def test_status_bar_shows_the_clock_time(device: Device) -> None:
    scale = DEVICES[device][0]
    out = framed(device)
    layout = frame_layout(page(device).size, device=device, scale=scale, browser_bar=True, theme=T)
    bar = layout.status_bar
    size = (bar[2] - bar[0], bar[3] - bar[1])
    # Draw the expected text on its own and compare the pixels where it lands.
    expected = Image.new("RGB", size, T.bar_color)
    font = status_font(device, scale, T)
    anchor = status_time_anchor(device, size, scale)
    draw = ImageDraw.Draw(expected)
    draw.text(anchor, "10:31", T.bar_text, font, "lm")
    left, top, right, bottom = draw.textbbox(anchor, "10:31", font=font, anchor="lm")
    text_box = (math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom))
    shifted = (
        text_box[0] + bar[0],
        text_box[1] + bar[1],
        text_box[2] + bar[0],
        text_box[3] + bar[1],
    )
    assert np.array_equal(crop(out, shifted), crop(expected, text_box))
    assert (crop(expected, text_box) != T.bar_color).any(), "the text has ink"
    later = frame(
        page(device), device=device, scale=scale, clock=datetime(2024, 5, 1, 14, 35), host=HOST
    )
    assert not np.array_equal(crop(later, shifted), crop(out, shifted))


def test_time_text_is_zero_padded_hours_and_minutes() -> None:
    assert time_text(datetime(2024, 5, 1, 9, 5)) == "09:05"


@pytest.mark.parametrize("device", DEVICES)
def test_browser_bar_only_for_pages_and_only_when_asked(device: Device) -> None:
    scale = DEVICES[device][0]
    size = page(device).size
    with_bar = frame_layout(size, device=device, scale=scale, browser_bar=True, theme=T)
    if device == "android":
        assert with_bar.top_bar is not None and with_bar.bottom_bar is None
        assert with_bar.top_bar[3] == with_bar.page[1], "Chrome's bar sits right above the page"
        assert with_bar.home_bar is not None, "the gesture strip stays under the page"
    else:
        assert with_bar.bottom_bar is not None and with_bar.top_bar is None
        assert with_bar.bottom_bar[1] == with_bar.page[3], "Safari's bar sits right below the page"
        assert with_bar.home_bar is None, "Safari's bar holds the home indicator itself"
    without = frame_layout(size, device=device, scale=scale, browser_bar=False, theme=T)
    assert without.top_bar is None and without.bottom_bar is None
    assert without.home_bar is not None and without.home_bar[1] == without.page[3]
    not_page, switched_off = framed(device, host=None), framed(device, show_browser_bar=False)
    assert not_page.size == switched_off.size
    assert np.array_equal(np.asarray(not_page), np.asarray(switched_off))
    assert framed(device).size == not_page.size  # the same phone either way


@pytest.mark.parametrize("device", DEVICES)
def test_browser_bar_shows_the_host(device: Device) -> None:
    scale = DEVICES[device][0]
    layout = frame_layout(page(device).size, device=device, scale=scale, browser_bar=True, theme=T)
    bar = layout.top_bar or layout.bottom_bar
    assert bar is not None
    one, other = framed(device), framed(device, host="example.jp")
    differs = np.any(crop(one, bar) != crop(other, bar), axis=-1)
    assert differs.any(), "the host text is drawn in the bar"
    everywhere_else = np.asarray(one).copy(), np.asarray(other).copy()
    for img in everywhere_else:
        img[bar[1] : bar[3], bar[0] : bar[2]] = 0
    assert np.array_equal(*everywhere_else), "only the bar depends on the host"
    # The text sits in the bar's field, not at its ends.
    columns = np.nonzero(differs.any(axis=0))[0]
    width = bar[2] - bar[0]
    assert columns.min() > 0.08 * width and columns.max() < 0.9 * width


def test_chrome_bar_draws_the_host_text_itself() -> None:
    scale = 2.625
    size = (1082, to_px(DEVICE_BARS["android"].top, scale))
    bar = render_chrome_bar(size, scale=scale, host=HOST, theme=T)
    blank = render_chrome_bar(size, scale=scale, host="", theme=T)
    ink = np.any(np.asarray(bar) != np.asarray(blank), axis=-1)
    font = load_font(T.ui_font, to_px(16, scale))
    columns = np.nonzero(ink.any(axis=0))[0]
    assert abs((columns.max() - columns.min()) - font.getlength(HOST)) < 4 * scale


def test_long_hosts_are_shortened_with_an_ellipsis() -> None:
    font = load_font(T.ui_font, 40)
    assert fit_text(HOST, font, 10_000) == HOST
    short = fit_text(HOST, font, 300)
    assert short.endswith("…") and HOST.startswith(short[:-1]) and font.getlength(short) <= 300
    assert fit_text(HOST, font, 1) == "…"


@pytest.mark.parametrize("device", DEVICES)
def test_phone_body_is_a_dark_rounded_bezel_on_paper(device: Device) -> None:
    scale = DEVICES[device][0]
    out = framed(device)
    layout = frame_layout(page(device).size, device=device, scale=scale, browser_bar=True, theme=T)
    body, screen = layout.body, layout.screen
    middle_y = (body[1] + body[3]) // 2
    assert out.getpixel((0, 0)) == T.page_color
    assert out.getpixel((body[0] - 1, middle_y)) == T.page_color
    for x in (body[0], screen[0] - 1, screen[2], body[2] - 1):
        assert out.getpixel((x, middle_y)) == T.bezel_color, x
    assert out.getpixel((body[0], body[1])) == T.page_color, "the body's corners are rounded"
    assert out.getpixel((screen[0], screen[1])) == T.bezel_color, "so are the glass's"
    assert (
        out.getpixel((screen[0] + 3 * to_px(T.screen_radius, scale), screen[1] + 2)) == T.bar_color
    )


def test_frame_is_deterministic_and_leaves_its_input_alone() -> None:
    raw = page("iphone")
    before = raw.tobytes()
    first = frame(raw, device="iphone", scale=3.0, clock=CLOCK, host=HOST)
    second = frame(raw, device="iphone", scale=3.0, clock=CLOCK, host=HOST)
    assert first.tobytes() == second.tobytes()
    assert raw.tobytes() == before


def test_rounded_mask_is_clear_in_the_corners_and_solid_inside() -> None:
    mask = np.asarray(rounded_mask((100, 60), 20))
    assert mask[0, 0] == mask[0, 99] == mask[59, 0] == mask[59, 99] == 0
    assert (mask[20:40, :] == 255).all() and (mask[:, 20:80] == 255).all()
    corner = mask[:20, :20]
    assert ((corner > 0) & (corner < 255)).sum() >= 20, "the arc is anti-aliased"
    assert np.array_equal(mask, mask[::-1, ::-1]), "all four corners alike"


# --- fonts ----------------------------------------------------------------------------------


def test_fonts_are_found_by_name() -> None:
    bold = find_font("Noto Sans CJK JP:bold")
    assert bold.path.exists() and "Bold" in bold.path.name
    assert load_font("Noto Sans CJK JP", 20).getname() == ("Noto Sans CJK JP", "Regular")


def test_a_substituted_font_is_an_error_not_a_fallback() -> None:
    with pytest.raises(FontNotFoundError, match="'No Such Font' is not installed"):
        parse_fc_match("No Such Font", "/usr/share/fonts/DejaVuSans.ttf|0|DejaVu Sans|80")
    with pytest.raises(FontNotFoundError, match="no bold face"):
        parse_fc_match("Noto Sans CJK JP:bold", "/x/NotoSansCJK-Regular.ttc|0|Noto Sans CJK JP|80")
    found = parse_fc_match("Noto Sans CJK JP", "/x/a.ttc|2|Noto Sans CJK JP,Noto Sans CJK|80")
    assert found.index == 2
    with pytest.raises(FontNotFoundError, match="is not installed"):
        find_font("Surely Not Installed Sans")
