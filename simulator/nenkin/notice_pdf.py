"""A notice (通知書) as a one-page PDF: drawn with Pillow in Noto Sans CJK, byte-for-byte stable.

Pure: everything that varies (the person, the notice, the date written into the PDF's
metadata, the font file) comes in as an argument.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from simulator.personas import Notice, Persona, Record

# The one font the project names explicitly (fonts-noto-cjk); index 0 of the collection is JP.
DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_INDEX = 0

DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 110
SAMPLE_NOTE = "練習用シミュレーターが作成した見本です。本物の通知書ではありません。"
RECORD_LINES = 6  # "a few lines of records", enough to recognise whose notice it is


def _record_line(record: Record) -> str:
    premium = "-" if record.premium is None else f"{record.premium:,}円"
    return (
        f"{record.fiscal_year}（{record.age}歳）　{record.employer}　{record.months}月　{premium}"
    )


def notice_lines(persona: Persona, notice: Notice) -> list[tuple[str, int]]:
    """The text of the page, top to bottom, each with its font size in pixels."""
    lines: list[tuple[str, int]] = [
        (notice.title, 44),
        ("", 20),
        (f"氏名　{persona.full_name}　様", 30),
        (f"基礎年金番号　{persona.kiso_number}", 30),
        (f"作成日　{notice.issued}", 30),
        ("", 20),
        ("年金記録（抜粋）", 32),
    ]
    lines += [(_record_line(record), 26) for record in persona.records[:RECORD_LINES]]
    lines += [("", 20), (SAMPLE_NOTE, 24)]
    return lines


@cache
def _font(font_path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path), size, index=FONT_INDEX)


def render_notice_image(persona: Persona, notice: Notice, font_path: Path) -> Image.Image:
    # Bilevel without anti-aliasing: crisp at 150 dpi and stored losslessly (CCITT G4).
    page = Image.new("1", PAGE, 1)
    draw = ImageDraw.Draw(page)
    draw.fontmode = "1"
    y = MARGIN
    for text, size in notice_lines(persona, notice):
        if text:
            draw.text((MARGIN, y), text, font=_font(font_path, size), fill=0)
        y += int(size * 1.7)
    draw.rectangle((MARGIN - 30, MARGIN - 40, PAGE[0] - MARGIN + 30, y + 10), outline=0, width=3)
    return page


def render_notice_pdf(
    persona: Persona, notice: Notice, *, created: datetime, font_path: Path = DEFAULT_FONT
) -> bytes:
    """The PDF of `notice` for `persona`; `created` fixes the metadata dates Pillow would
    otherwise take from the wall clock, so the same inputs give the same bytes."""
    stamp = created.astimezone(UTC).timetuple()
    out = io.BytesIO()
    render_notice_image(persona, notice, font_path).save(
        out,
        format="PDF",
        resolution=float(DPI),
        title=notice.title,
        author="日本年金機構（練習用シミュレーター）",
        producer="guideshot simulator",
        creationDate=stamp,
        modDate=stamp,
    )
    return out.getvalue()
