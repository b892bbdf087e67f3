"""The pictures a walkthrough video is made of, drawn in the guide's type and colours: a
title card, one card per step (its circled number and caption above the annotated screen)
and an end card with the flow's outcome.

Portrait, the shape of the phone it is watched on. Every card is drawn from its text and
picture alone (no clock, no randomness), so the same inputs give the same pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from harness.fonts import load_font
from harness.guide.printfont import FACES
from harness.numbering import circled

RGB = tuple[int, int, int]

SIZE = (720, 1280)  # width × height; even numbers, as yuv420p needs
PAPER: RGB = (0xFF, 0xFF, 0xFF)
INK: RGB = (0x11, 0x11, 0x11)  # guide.css --ink
MARK: RGB = (0xC0, 0x00, 0x00)  # guide.css --mark: the step numbers
ACCENT: RGB = (0x0B, 0x4A, 0x8B)  # guide.css --accent: section bands
MUTED: RGB = (0x55, 0x55, 0x55)
HAIRLINE: RGB = (0xC8, 0xC8, 0xCC)  # keeps a white screen apart from the white card
REGULAR, BOLD = FACES[400], FACES[700]

SIDE = 36  # left and right margin of text
CAPTION_TOP = 40
CAPTION_SIZE = 42  # px: large type for older readers, as the printed captions
NUMBER_SIZE = 54  # the circled number, larger as in print
CAPTION_LINES = 3  # the band is as tall as three lines, so every screen sits in one place
LINE_GAP = 1.4
BAND_HEIGHT = 260  # caption band above the screen
PICTURE_MARGIN = 24  # around the screen inside its area

# Kinsoku: characters a line may not start with, and ones it may not end with.
NO_START = set("、。，．・：；？！ー」』）］｝〉》】〕”’),.:;?!%…‐–—")
NO_START |= set("ゃゅょっぁぃぅぇぉャュョッァィゥェォ")  # small kana
NO_END = set("「『（［｛〈《【〔“‘(")


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int


def _units(text: str) -> list[str]:
    """Text cut where a line may break: between CJK characters, between Latin words, never
    before closing or after opening punctuation."""
    units: list[str] = []
    for char in text:
        latin = char.isascii() and (char.isalnum() or char in "-_/@.'")
        if units and (
            char in NO_START
            or units[-1][-1] in NO_END
            or (latin and units[-1][-1].isascii() and units[-1][-1] != " ")
        ):
            units[-1] += char
        else:
            units.append(char)
    return units


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy line breaking at the break points `_units` allows; a unit wider than a line
    is cut by character."""
    lines: list[str] = []
    line = ""
    for unit in _units(" ".join(text.split())):
        trial = line + unit
        if not line or font.getlength(trial) <= width:
            line = trial
            continue
        lines.append(line.rstrip())
        line = unit.lstrip()
    if line:
        lines.append(line.rstrip())
    cut: list[str] = []
    for candidate in lines:
        while font.getlength(candidate) > width and len(candidate) > 1:
            end = len(candidate) - 1
            while end > 1 and font.getlength(candidate[:end]) > width:
                end -= 1
            cut.append(candidate[:end])
            candidate = candidate[end:]
        cut.append(candidate)
    return cut


def fitted_lines(
    text: str, face: str, size: int, width: int, max_lines: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The text wrapped to `width`, in the largest size down from `size` that needs at most
    `max_lines` lines (never below two thirds of it: long text then runs over)."""
    for trial in range(size, (size * 2) // 3 - 1, -2):
        font = load_font(face, trial)
        lines = wrap(text, font, width)
        if len(lines) <= max_lines:
            return lines, font
    return lines, font


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: Sequence[str],
    font: ImageFont.FreeTypeFont,
    x: int,
    y: int,
    fill: RGB,
    *,
    center: bool = False,
) -> int:
    """Draw `lines` from top `y`; returns the y below the last line."""
    step = round(font.size * LINE_GAP)
    for line in lines:
        left = x - round(font.getlength(line) / 2) if center else x
        draw.text((left, y), line, font=font, fill=fill)
        y += step
    return y


def _blank() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    card = Image.new("RGB", SIZE, PAPER)
    return card, ImageDraw.Draw(card)


def _block_height(lines: Sequence[str], font: ImageFont.FreeTypeFont) -> int:
    return round(font.size * LINE_GAP) * len(lines)


def title_card(section: str, title: str, subtitle: str | None, edition: str) -> Image.Image:
    """The flow's section, its title (and parenthetical second line) and the edition."""
    card, draw = _blank()
    width, height = SIZE
    text_width = width - 2 * SIDE
    section_lines, section_font = fitted_lines(section, BOLD, 32, text_width, 2)
    title_lines, title_font = fitted_lines(title, BOLD, 56, text_width, 5)
    sub_lines, sub_font = fitted_lines(subtitle or "", REGULAR, 34, text_width, 4)
    blocks = _block_height(section_lines, section_font) + _block_height(title_lines, title_font)
    blocks += _block_height(sub_lines, sub_font) + 80
    y = max(SIDE, (height - blocks) // 2)
    band = _block_height(section_lines, section_font)
    draw.rectangle((0, y - 16, width, y + band + 4), fill=ACCENT)
    y = _draw_lines(draw, section_lines, section_font, SIDE, y - 4, PAPER) + 60
    y = _draw_lines(draw, title_lines, title_font, SIDE, y, INK)
    if sub_lines:
        _draw_lines(draw, sub_lines, sub_font, SIDE, y + 10, MUTED)
    edition_font = load_font(REGULAR, 30)
    _draw_lines(draw, [edition], edition_font, width // 2, height - 110, MUTED, center=True)
    return card


def picture_box(picture: tuple[int, int]) -> Box:
    """Where a screen of `picture` size (width, height) sits on its step card: as large as
    the area below the caption band allows, centred, never enlarged."""
    width, height = SIZE
    area_w = width - 2 * PICTURE_MARGIN
    area_h = height - BAND_HEIGHT - 2 * PICTURE_MARGIN
    scale = min(area_w / picture[0], area_h / picture[1], 1.0)
    w, h = round(picture[0] * scale), round(picture[1] * scale)
    return Box((width - w) // 2, BAND_HEIGHT + PICTURE_MARGIN + (area_h - h) // 2, w, h)


def fit_picture(picture: Image.Image) -> Image.Image:
    """The annotated screen at its size on the card (Lanczos, as the printed pictures)."""
    box = picture_box(picture.size)
    rgb = picture.convert("RGB")
    if rgb.size == (box.width, box.height):
        return rgb
    return rgb.resize((box.width, box.height), Image.Resampling.LANCZOS)


def step_card(number: int, caption: str, picture: Image.Image) -> Image.Image:
    """The circled number and caption in the band at the top, the screen below."""
    card, draw = _blank()
    mark = circled(number)
    number_font = load_font(BOLD, NUMBER_SIZE)
    indent = round(number_font.getlength(mark)) + 10
    lines, font = fitted_lines(
        caption, BOLD, CAPTION_SIZE, SIZE[0] - 2 * SIDE - indent, CAPTION_LINES
    )
    # The number's centre on the first line's centre, as the guide prints it.
    first_middle = CAPTION_TOP + font.size // 2 + round(font.size * 0.2)
    draw.text((SIDE, first_middle), mark, font=number_font, fill=MARK, anchor="lm")
    _draw_lines(draw, lines, font, SIDE + indent, CAPTION_TOP, INK)
    box = picture_box(picture.size)
    draw.rectangle(
        (box.x - 2, box.y - 2, box.x + box.width + 1, box.y + box.height + 1), fill=HAIRLINE
    )
    card.paste(fit_picture(picture), (box.x, box.y))
    return card


def end_card(title: str, outcome: str) -> Image.Image:
    """The outcome in a red-ruled box, as the printed guide ends a flow, under its title."""
    card, draw = _blank()
    width, height = SIZE
    text_width = width - 2 * SIDE - 2 * 28
    title_lines, title_font = fitted_lines(title, REGULAR, 32, width - 2 * SIDE, 3)
    lines, font = fitted_lines(outcome, BOLD, 48, text_width, 7)
    box_height = _block_height(lines, font) + 2 * 28
    top = max(SIDE, (height - box_height) // 2)
    title_top = top - 40 - _block_height(title_lines, title_font)
    _draw_lines(draw, title_lines, title_font, SIDE, title_top, MUTED)
    draw.rounded_rectangle(
        (SIDE, top, width - SIDE, top + box_height), radius=18, outline=MARK, width=6
    )
    _draw_lines(draw, lines, font, SIDE + 28, top + 28, INK)
    return card
