"""The annotated PNG of a capture, and the digest of everything that draws it.

Drawing and encoding cost more CPU than the browser's own screenshot, yet an unchanged
screen with an unchanged record always draws the same picture. The digest names those
inputs (this package's code, the theme, the font lookup, Pillow's version and the record),
so a capture whose digest equals its approved record's can reuse the approved picture.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

import PIL
from PIL import Image

import harness.fonts
import harness.theme
from harness.annotate.draw import annotate
from harness.capture import CaptureRecord

_PACKAGE = Path(__file__).resolve().parent
_COMPRESS_LEVEL = 6


@functools.cache
def drawing_fingerprint() -> str:
    """A digest of what turns a record into pixels, other than the record itself."""
    digest = hashlib.sha256(f"Pillow {PIL.__version__}\n".encode())
    sources = [*sorted(_PACKAGE.glob("*.py"))]
    sources += [Path(harness.theme.__file__), Path(harness.fonts.__file__)]
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


def annotation_inputs(record: CaptureRecord) -> str:
    """The digest of the drawing code and of this record (its stamp aside)."""
    content = record.model_dump_json(exclude={"annotation"})
    return hashlib.sha256(f"{drawing_fingerprint()}\n{content}".encode()).hexdigest()


def draw_png(raw_png: bytes, record: CaptureRecord) -> bytes:
    """The annotated image of `raw_png`, PNG-encoded."""
    with Image.open(io.BytesIO(raw_png)) as raw:
        image = annotate(raw, record)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=_COMPRESS_LEVEL)
    return buffer.getvalue()
