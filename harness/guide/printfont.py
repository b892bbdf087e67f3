"""The guide's CJK font as a TrueType subset, so the PDF carries real, searchable text.

Chromium's PDF writer (Skia) embeds fonts with TrueType outlines as CID fonts but draws
CFF-outline fonts - Noto Sans CJK is one, as OTF or TTC - as Type 3 glyph procedures,
which print blurrier and which many readers cannot search. So the guide ships its own copy:
the installed Noto Sans CJK JP, cut to the characters the guide uses (fontTools' subsetter),
its cubic outlines turned into TrueType's quadratic ones (cu2qu). `pdffonts` then lists
"CID TrueType, emb yes". Timestamps are left as in the source: same text → same bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont, newTable

from harness.fonts import find_font

FAMILY = "Guide Sans CJK"  # the @font-face name the stylesheet asks for
FACES = {400: "Noto Sans CJK JP", 700: "Noto Sans CJK JP:bold"}  # CSS weight → fontconfig
MAX_ERROR = 1.0  # font units: the quadratic outline stays within 1/1000 em of the cubic one
# Text the page script writes after rendering (page numbers, unresolved references).
ALWAYS = "0123456789?P "


def font_file_name(weight: int) -> str:
    return f"guide-{weight}.ttf"


def guide_fonts(texts: Iterable[str]) -> dict[str, bytes]:
    """File name → TrueType bytes of each weight, covering every character of `texts`."""
    characters = set(ALWAYS)
    for text in texts:
        characters.update(text)
    unicodes = tuple(sorted(ord(c) for c in characters if c.isprintable() or c == "\u3000"))
    return {font_file_name(w): truetype_subset(p, unicodes) for w, p in FACES.items()}


@functools.lru_cache(maxsize=8)  # tests build the same small guide many times
def truetype_subset(pattern: str, unicodes: tuple[int, ...]) -> bytes:
    found = find_font(pattern)
    font = TTFont(str(found.path), fontNumber=found.index, recalcTimestamp=False, lazy=False)
    options = Options()
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=list(unicodes))
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_truetype(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def _cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca, as fontTools' otf2ttf snippet does."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0
