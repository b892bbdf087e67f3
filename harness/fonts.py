"""Find fonts by fontconfig name, failing loudly instead of falling back.

fontconfig always answers with *some* font; a silent substitute would change every pixel of
the guide, so the answer is checked against the family and weight that were asked for.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

_BOLD_WEIGHT = 200  # fontconfig's FC_WEIGHT_BOLD


class FontNotFoundError(RuntimeError):
    """The named font is not installed (or fontconfig is missing)."""


@dataclass(frozen=True, slots=True)
class FontFile:
    path: Path
    index: int  # face index inside a .ttc collection


def parse_fc_match(pattern: str, answer: str) -> FontFile:
    """Check fc-match's `file|index|families|weight` answer against `pattern`."""
    wanted = pattern.split(":", 1)[0].strip()
    parts = answer.strip().split("|")
    if len(parts) != 4 or not parts[0]:
        raise FontNotFoundError(f"font {pattern!r}: unexpected fc-match answer {answer!r}")
    file, index, families, weight = parts
    offered = [name.strip() for name in families.split(",")]
    if wanted.casefold() not in {name.casefold() for name in offered}:
        raise FontNotFoundError(
            f"font {pattern!r} is not installed (fontconfig offered {offered[0]!r}); "
            "install it, e.g. `apt-get install fonts-noto-cjk`"
        )
    if ":bold" in pattern.casefold() and float(weight or 0) < _BOLD_WEIGHT:
        raise FontNotFoundError(
            f"font {pattern!r}: no bold face installed (got weight {weight}); "
            "install the bold face, e.g. `apt-get install fonts-noto-cjk`"
        )
    return FontFile(Path(file), int(index or 0))


@functools.cache
def find_font(pattern: str) -> FontFile:
    """Resolve a fontconfig pattern such as 'Noto Sans CJK JP:bold' to a font file."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontNotFoundError("fc-match not found: install fontconfig to locate fonts")
    result = subprocess.run(
        [fc_match, "-f", "%{file}|%{index}|%{family}|%{weight}", pattern],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise FontNotFoundError(f"font {pattern!r}: fc-match failed: {result.stderr.strip()}")
    return parse_fc_match(pattern, result.stdout)


@functools.cache
def load_font(pattern: str, size: int) -> ImageFont.FreeTypeFont:
    """The font named by `pattern` at `size` image pixels (cached: fonts are immutable)."""
    if size < 1:
        raise ValueError(f"font size must be at least 1 px, got {size}")
    found = find_font(pattern)
    return ImageFont.truetype(str(found.path), size, index=found.index)
